#include "platform/catalog/advisory_lock_queries.hpp"

#include <fmt/format.h>

namespace migsafe::platform::catalog {
namespace {

/// A bigint advisory key is stored in pg_locks as classid (high 32 bits), objid (low 32
/// bits) and objsubid 1.
constexpr const char* k_is_key = "l.locktype = 'advisory' AND l.granted "
                                 "AND l.classid = ($1::bigint >> 32)::oid "
                                 "AND l.objid = ($1::bigint & 4294967295)::oid AND l.objsubid = 1";

} // namespace

bool try_advisory_lock(Session& conn, std::int64_t key)
{
    return conn.query_value("SELECT pg_catalog.pg_try_advisory_lock($1::bigint)",
                            {std::to_string(key)})
               .value_or("f") == "t";
}

void advisory_unlock(Session& conn, std::int64_t key)
{
    conn.query_value("SELECT pg_catalog.pg_advisory_unlock($1::bigint)", {std::to_string(key)});
}

bool holds_advisory_lock(Session& conn, std::int64_t key)
{
    return conn.query_value(std::string("SELECT count(*) FROM pg_catalog.pg_locks l WHERE ") +
                                k_is_key + " AND l.pid = pg_catalog.pg_backend_pid()",
                            {std::to_string(key)})
               .value_or("0") != "0";
}

std::optional<SessionDescription> advisory_lock_holder(Session& conn, std::int64_t key)
{
    auto result = conn.query(
        fmt::format("SELECT {} FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON "
                    "a.pid = l.pid WHERE l.database = (SELECT oid FROM pg_catalog.pg_database "
                    "WHERE datname = pg_catalog.current_database()) AND {}",
                    k_session_description_columns, k_is_key),
        {std::to_string(key)});
    if (result.rows.empty()) {
        return std::nullopt;
    }
    return session_description(result.rows.front());
}

} // namespace migsafe::platform::catalog
