// The catalog reads of the apply runner (its SQL apart from the history's).
#include "platform/catalog/object_queries.hpp"
#include "workflow/apply_internal.hpp"

#include <migsafe/platform/error.hpp>
#include <migsafe/platform/identifier.hpp>

#include <fmt/format.h>

namespace migsafe::workflow::detail {
using platform::catalog::k_relation_in_list;
using platform::catalog::relation_list;

namespace {

/// A boolean column in its output form ('t' / 'f'); anything else is a bug.
bool boolean_of(const platform::Value& value)
{
    if (value == platform::Value("t")) {
        return true;
    }
    if (value == platform::Value("f")) {
        return false;
    }
    throw Error("internal-assertion",
                fmt::format("a boolean read from the catalog is '{}'", value.value_or("NULL")));
}

// Relations are matched by (schema, name), never by a dotted string: `x."y.z"` and
// `"x.y".z` would read the same. `qualified` is a display form (platform::qualified_name).
std::string schema_of(const std::string& qualified)
{
    return model::RelationName::from_qualified(qualified).schema;
}

std::string name_of(const std::string& qualified)
{
    return model::RelationName::from_qualified(qualified).name;
}

} // namespace

std::vector<std::string> lock_holders(platform::Session& monitor,
                                      const std::set<std::string>& relations, int exclude_pid)
{
    std::string sql = fmt::format(
        "SELECT a.pid::text, coalesce(a.usename, ''), coalesce(a.application_name, ''), "
        "coalesce(host(a.client_addr), 'local socket'), coalesce(a.state, ''), "
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
        k_relation_in_list);
    // The holder's query text is left out on purpose: it may carry secrets.
    std::vector<std::string> out;
    for (const auto& row :
         monitor.query(sql, {relation_list(relations), std::to_string(exclude_pid)}).rows) {
        out.push_back(fmt::format(
            "pid {} (user {}, application '{}', from {}, {}{}) holds {} on {}",
            row[0].value_or("?"), row[1].value_or("?"), row[2].value_or(""), row[3].value_or("?"),
            row[4].value_or("?"),
            row[5].value_or("").empty() ? "" : ", transaction open for " + *row[5] + " s",
            row[6].value_or("?"), row[7].value_or("?")));
    }
    return out;
}

std::map<std::string, std::string> invalid_indexes(platform::Session& session,
                                                   const std::string& table)
{
    std::map<std::string, std::string> out;
    auto result = session.query(
        "SELECT n.nspname || '.' || ic.relname, "
        "pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(ic.relname) "
        "FROM pg_catalog.pg_index i "
        "JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
        "JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace "
        "JOIN pg_catalog.pg_class c ON c.oid = i.indrelid "
        "JOIN pg_catalog.pg_namespace tn ON tn.oid = c.relnamespace "
        "WHERE NOT i.indisvalid AND tn.nspname = $1 AND c.relname = $2",
        {schema_of(table), name_of(table)});
    for (const auto& row : result.rows) {
        out.emplace(row[0].value_or(""), row[1].value_or(""));
    }
    return out;
}

std::optional<bool> index_valid(platform::Session& session, const std::string& qualified)
{
    // The boolean itself, not its text cast: `indisvalid::text` is 'true' / 'false', the
    // output form of a boolean column is 't' / 'f'.
    auto result = session.query("SELECT i.indisvalid FROM pg_catalog.pg_index i "
                                "JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
                                "JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace "
                                "WHERE n.nspname = $1 AND ic.relname = $2",
                                {schema_of(qualified), name_of(qualified)});
    if (result.rows.empty()) {
        return std::nullopt;
    }
    return boolean_of(result.rows.front().front());
}

std::vector<std::string> interrupted_backends(platform::Session& session,
                                              const std::vector<int>& exclude_pids)
{
    // Sessions named like this run's main session that still run a statement while this
    // run holds the runner lock: the server side of a killed run (a runner waiting for
    // the lock runs nothing on its main session). Their query text is left out on
    // purpose: it may carry secrets.
    std::string excluded = "{";
    for (std::size_t i = 0; i < exclude_pids.size(); ++i) {
        excluded += (i == 0 ? "" : ",") + std::to_string(exclude_pids[i]);
    }
    excluded += "}";
    auto result =
        session.query("SELECT a.pid::text, coalesce(extract(epoch FROM pg_catalog.now() - "
                      "a.query_start)::bigint::text, '?') FROM pg_catalog.pg_stat_activity a "
                      "WHERE a.application_name = $1 AND a.state = 'active' "
                      "AND a.datname = pg_catalog.current_database() AND a.pid <> ALL ($2::int[]) "
                      "ORDER BY a.pid",
                      {std::string(k_application_name), excluded});
    std::vector<std::string> out;
    for (const auto& row : result.rows) {
        out.push_back(fmt::format("pid {} (its statement started {} s ago)", row[0].value_or("?"),
                                  row[1].value_or("?")));
    }
    return out;
}

std::set<std::string> existing_objects(platform::Session& session,
                                       const std::set<std::string>& names)
{
    // Relations (tables, views, materialized views, sequences, indexes), types and
    // functions, by (schema, name).
    std::string sql =
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
    std::set<std::string> out;
    if (names.empty()) {
        return out;
    }
    for (const auto& row : session.query(sql, {relation_list(names)}).rows) {
        out.insert(platform::qualified_name(row[0].value_or(""), row[1].value_or("")));
    }
    return out;
}

} // namespace migsafe::workflow::detail
