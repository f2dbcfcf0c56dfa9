// The SQL of index validity.
#include "platform/catalog/index_queries.hpp"

#include "platform/catalog/user_schemas.hpp"

#include <migsafe/platform/error.hpp>
#include <migsafe/platform/identifier.hpp>

#include <fmt/format.h>

namespace migsafe::platform::catalog {
namespace {

/// A boolean column in its output form ('t' / 'f'); anything else is a bug.
bool boolean_of(const Value& value)
{
    if (value == Value("t")) {
        return true;
    }
    if (value == Value("f")) {
        return false;
    }
    throw Error("internal-assertion",
                fmt::format("a boolean read from the catalog is '{}'", value.value_or("NULL")));
}

} // namespace

std::vector<InvalidIndex> invalid_indexes(Session& conn, const InvalidIndexFilter& filter)
{
    Params params;
    std::string where;
    if (filter.table) {
        where = "tn.nspname = $1 AND t.relname = $2";
        params = {filter.table->first, filter.table->second};
    } else {
        where = std::string(k_user_schemas_predicate);
    }
    if (filter.skip_builds_in_progress && conn.server_version() >= 120000) {
        where += " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_progress_create_index p "
                 "WHERE p.index_relid = i.indexrelid)";
    }
    const auto rows = conn.query(fmt::format("SELECT n.nspname, c.relname, tn.nspname, t.relname "
                                             "FROM pg_catalog.pg_index i "
                                             "JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid "
                                             "JOIN pg_catalog.pg_namespace n ON n.oid = "
                                             "c.relnamespace "
                                             "JOIN pg_catalog.pg_class t ON t.oid = i.indrelid "
                                             "JOIN pg_catalog.pg_namespace tn ON tn.oid = "
                                             "t.relnamespace "
                                             "WHERE NOT i.indisvalid AND {} ORDER BY 1, 2",
                                             where),
                                 params);
    std::vector<InvalidIndex> out;
    for (const auto& row : rows.rows) {
        out.push_back({.index_schema = row[0].value_or(""),
                       .index_name = row[1].value_or(""),
                       .table_schema = row[2].value_or(""),
                       .table_name = row[3].value_or("")});
    }
    return out;
}

std::optional<bool> index_validity(Session& conn, const std::string& schema,
                                   const std::string& name)
{
    // The boolean itself, not its text cast: `indisvalid::text` is 'true' / 'false', the
    // output form of a boolean column is 't' / 'f'.
    auto result = conn.query("SELECT i.indisvalid FROM pg_catalog.pg_index i "
                             "JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
                             "JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace "
                             "WHERE n.nspname = $1 AND ic.relname = $2",
                             {schema, name});
    if (result.rows.empty()) {
        return std::nullopt;
    }
    return boolean_of(result.rows.front().front());
}

void drop_index_concurrently_if_exists(Session& conn, const std::string& schema,
                                       const std::string& name)
{
    conn.exec("DROP INDEX CONCURRENTLY IF EXISTS " + qualified_name(schema, name));
}

} // namespace migsafe::platform::catalog
