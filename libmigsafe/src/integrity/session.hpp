#pragma once
// Opening the sessions the integrity engine reads through: output settings pinned, one
// read-only REPEATABLE READ transaction, optionally adopting another session's snapshot.

#include <migsafe/platform/session.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace migsafe::integrity::detail {

/// Connects, pins the COPY output settings, bounds lock waits to `lock_timeout` and begins
/// a read-only REPEATABLE READ transaction, importing `snapshot_id` when given.
platform::Session open_read_session(const std::string& conninfo,
                                    const std::optional<std::string>& snapshot_id,
                                    std::chrono::milliseconds lock_timeout);
/// The same from a parsed conninfo (a scan's sessions share one).
platform::Session open_read_session(const platform::ConnInfo& conninfo,
                                    const std::optional<std::string>& snapshot_id,
                                    std::chrono::milliseconds lock_timeout);

/// Throws `usage-invalid-option` unless `lock_timeout` is positive (zero would mean that a
/// scan waits forever behind a migration's lock).
void check_lock_timeout(std::chrono::milliseconds lock_timeout);

} // namespace migsafe::integrity::detail
