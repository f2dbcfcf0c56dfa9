#pragma once
// "Who is this session": the one description of a server session (pid, user, application,
// client, when it connected) every report of another session uses. Never its query text:
// it may carry secrets.

#include <migsafe/platform/session.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::platform::catalog {

/// The columns of `a` (pg_stat_activity) that describe a session, in `SessionDescription`'s
/// order; a query selects them first and reads them with `session_description`.
inline constexpr std::string_view k_session_description_columns =
    "a.pid::text, coalesce(a.usename, ''), coalesce(a.application_name, ''), "
    "coalesce(host(a.client_addr), 'local socket'), "
    "coalesce(to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '')";
/// How many columns `k_session_description_columns` has.
inline constexpr std::size_t k_session_description_width = 5;

struct SessionDescription {
    std::string pid{}, user{}, application{};
    std::string client{};          ///< the client's address, or `local socket`
    std::string connected_since{}; ///< backend_start, RFC 3339, UTC
};

/// The description in the first `k_session_description_width` columns of `row`.
SessionDescription session_description(const std::vector<Value>& row);

} // namespace migsafe::platform::catalog
