#pragma once
// Opening the sessions the integrity engine reads through: output settings pinned, one
// read-only REPEATABLE READ transaction, optionally adopting another session's snapshot.

#include <migsafe/platform/session.hpp>

#include <optional>
#include <string>

namespace migsafe::integrity::detail {

/// Connects, pins the COPY output settings and begins a read-only REPEATABLE READ
/// transaction, importing `snapshot_id` when given.
platform::Session open_read_session(const std::string& conninfo,
                                    const std::optional<std::string>& snapshot_id);

} // namespace migsafe::integrity::detail
