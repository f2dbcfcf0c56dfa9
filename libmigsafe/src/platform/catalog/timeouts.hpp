#pragma once
// The one way migsafe bounds its own waits on a session: lock_timeout and
// statement_timeout with SET, for the session or (SET LOCAL) the current transaction.

#include <migsafe/platform/session.hpp>

#include <chrono>
#include <optional>

namespace migsafe::platform::catalog {

/// How long a setting holds.
enum class SettingScope {
    session,     ///< until the session ends or sets it again (`SET`)
    transaction, ///< until the current transaction ends (`SET LOCAL`)
};

/// Sets `lock_timeout` and `statement_timeout` in milliseconds (0 disables; nullopt leaves
/// the setting as it is), in one round trip.
void set_timeouts(Session& conn, SettingScope scope, std::optional<std::chrono::milliseconds> lock,
                  std::optional<std::chrono::milliseconds> statement);

} // namespace migsafe::platform::catalog
