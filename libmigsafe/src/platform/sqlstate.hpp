#pragma once
// Private: what a SQLSTATE means to migsafe, shared by every libpq connection class so
// callers see one set of error codes whichever class ran the statement (docs/style.md, "Errors").

#include <string_view>

namespace migsafe::detail {

/// The error code for a failed statement: 55P03 `db-lock-timeout`, 57014
/// `db-statement-timeout`, 40001 `db-serialization-failure`, 40P01 `db-deadlock`, else
/// `db-query-failed`.
inline std::string_view error_code_for_sqlstate(std::string_view sqlstate)
{
    if (sqlstate == "55P03") {
        return "db-lock-timeout";
    }
    if (sqlstate == "57014") {
        return "db-statement-timeout";
    }
    if (sqlstate == "40001") {
        return "db-serialization-failure";
    }
    if (sqlstate == "40P01") {
        return "db-deadlock";
    }
    return "db-query-failed";
}

/// Whether the connection is gone: class 08, or the server shutting down (57P01-57P03).
inline bool sqlstate_means_connection_lost(std::string_view sqlstate)
{
    return sqlstate.starts_with("08") || sqlstate == "57P01" || sqlstate == "57P02" ||
           sqlstate == "57P03";
}

} // namespace migsafe::detail
