// The SQL of the apply runner's catalog reads.
#include "platform/catalog/apply_queries.hpp"

#include "platform/catalog/object_queries.hpp"

#include <fmt/format.h>

namespace migsafe::platform::catalog {

std::vector<LockHolder> relation_lock_holders(Session& conn, const std::set<std::string>& relations,
                                              int exclude_pid)
{
    const std::string sql = fmt::format(
        "SELECT {}, coalesce(a.state, ''), "
        "coalesce(extract(epoch FROM pg_catalog.now() - a.xact_start)::bigint::text, ''), "
        "l.mode, n.nspname || '.' || c.relname "
        "FROM pg_catalog.pg_locks l "
        "JOIN pg_catalog.pg_class c ON c.oid = l.relation "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.granted AND l.locktype = 'relation' AND {} "
        "AND l.database = (SELECT oid FROM pg_catalog.pg_database "
        "WHERE datname = pg_catalog.current_database()) "
        "AND l.pid <> pg_catalog.pg_backend_pid() AND l.pid <> $2::int "
        "ORDER BY a.xact_start NULLS LAST, a.pid LIMIT 5",
        k_session_description_columns, k_relation_in_list);
    std::vector<LockHolder> out;
    for (const auto& row :
         conn.query(sql, {relation_list(relations), std::to_string(exclude_pid)}).rows) {
        const auto at = k_session_description_width;
        out.push_back({.session = session_description(row),
                       .state = row[at].value_or("?"),
                       .transaction_age = row[at + 1].value_or(""),
                       .mode = row[at + 2].value_or("?"),
                       .relation = row[at + 3].value_or("?")});
    }
    return out;
}

std::vector<ActiveBackend> active_backends_named(Session& conn, std::string_view application_name,
                                                 const std::vector<int>& exclude_pids)
{
    std::string excluded = "{";
    for (std::size_t i = 0; i < exclude_pids.size(); ++i) {
        excluded += (i == 0 ? "" : ",") + std::to_string(exclude_pids[i]);
    }
    excluded += "}";
    auto result =
        conn.query("SELECT a.pid::text, coalesce(extract(epoch FROM pg_catalog.now() - "
                   "a.query_start)::bigint::text, '?') FROM pg_catalog.pg_stat_activity a "
                   "WHERE a.application_name = $1 AND a.state = 'active' "
                   "AND a.datname = pg_catalog.current_database() AND a.pid <> ALL ($2::int[]) "
                   "ORDER BY a.pid",
                   {std::string(application_name), excluded});
    std::vector<ActiveBackend> out;
    for (const auto& row : result.rows) {
        out.push_back({.pid = row[0].value_or("?"), .running_for = row[1].value_or("?")});
    }
    return out;
}

std::vector<std::pair<std::string, std::string>>
existing_objects(Session& conn, const std::set<std::string>& names)
{
    std::vector<std::pair<std::string, std::string>> out;
    if (names.empty()) {
        return out;
    }
    // Relations (tables, views, materialized views, sequences, indexes), types and
    // functions, by (schema, name).
    const std::string sql =
        fmt::format("SELECT n.nspname, c.relname FROM pg_catalog.pg_class c "
                    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE {0} "
                    "UNION SELECT n.nspname, t.typname FROM pg_catalog.pg_type t "
                    "JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
                    "WHERE (n.nspname, t.typname) IN (SELECT r.value ->> 0, r.value ->> 1 "
                    "FROM pg_catalog.jsonb_array_elements($1::jsonb) AS r) "
                    "UNION SELECT n.nspname, p.proname FROM pg_catalog.pg_proc p "
                    "JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
                    "WHERE (n.nspname, p.proname) IN (SELECT r.value ->> 0, r.value ->> 1 "
                    "FROM pg_catalog.jsonb_array_elements($1::jsonb) AS r)",
                    k_relation_in_list);
    for (const auto& row : conn.query(sql, {relation_list(names)}).rows) {
        out.emplace_back(row[0].value_or(""), row[1].value_or(""));
    }
    return out;
}

} // namespace migsafe::platform::catalog
