#include "platform/catalog/rehearse_queries.hpp"

#include "platform/catalog/user_schemas.hpp"

#include <migsafe/platform/identifier.hpp>

#include <fmt/format.h>

#include <string>

namespace migsafe::platform::catalog {
namespace {

std::int64_t to_int(const Value& value)
{
    return value ? std::stoll(*value) : 0;
}

} // namespace

void copy_database(Session& session, std::string_view name, std::string_view source)
{
    std::string sql = "CREATE DATABASE " + quote_ident(name) + " TEMPLATE " + quote_ident(source);
    if (session.server_version() >= 150000) {
        sql += " STRATEGY FILE_COPY";
    }
    session.exec(sql);
}

void create_empty_database(Session& session, std::string_view name)
{
    session.exec("CREATE DATABASE " + quote_ident(name) + " TEMPLATE template0");
}

void drop_database_force(Session& session, std::string_view name)
{
    std::string sql = "DROP DATABASE IF EXISTS " + quote_ident(name);
    if (session.server_version() >= 130000) {
        sql += " WITH (FORCE)";
    }
    session.exec(sql);
}

std::vector<std::string> databases_named(Session& session, std::string_view prefix)
{
    const auto result = session.query("SELECT datname FROM pg_catalog.pg_database "
                                      "WHERE left(datname, length($1)) = $1 ORDER BY datname",
                                      {std::string(prefix)});
    std::vector<std::string> names;
    for (const auto& row : result.rows) {
        names.push_back(row[0].value_or(""));
    }
    return names;
}

std::vector<TableLockRow> own_table_locks(Session& session)
{
    const auto result = session.query(fmt::format(
        "SELECT n.nspname || '.' || c.relname, l.mode FROM pg_catalog.pg_locks l "
        "JOIN pg_catalog.pg_class c ON c.oid = l.relation "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'relation' AND l.granted "
        "AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d "
        "WHERE d.datname = pg_catalog.current_database()) "
        "AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND {} "
        "ORDER BY 1, 2",
        k_user_schemas_but_migsafe_predicate));
    std::vector<TableLockRow> rows;
    rows.reserve(result.rows.size());
    for (const auto& row : result.rows) {
        rows.push_back({.table = row[0].value_or(""), .mode = row[1].value_or("")});
    }
    return rows;
}

std::vector<std::uint64_t> non_null_counts(Session& session, std::string_view schema,
                                           std::string_view table,
                                           const std::vector<std::string>& columns)
{
    if (columns.empty()) {
        return {};
    }
    std::string sql = "SELECT ";
    for (std::size_t i = 0; i < columns.size(); ++i) {
        sql += (i == 0 ? "count(" : ", count(") + quote_ident(columns[i]) + ")";
    }
    sql += " FROM " + quote_ident(schema) + "." + quote_ident(table);
    const auto result = session.query(sql);
    std::vector<std::uint64_t> counts;
    for (const auto& value : result.rows.at(0)) {
        counts.push_back(static_cast<std::uint64_t>(to_int(value)));
    }
    return counts;
}

void drop_archive_schema(Session& session, std::string_view name)
{
    session.exec("DROP SCHEMA IF EXISTS " + quote_ident(name) + " CASCADE");
}

std::int64_t user_table_count(Session& session)
{
    return to_int(session.query_value(fmt::format("SELECT count(*) FROM pg_catalog.pg_class c "
                                                  "JOIN pg_catalog.pg_namespace n ON n.oid = "
                                                  "c.relnamespace "
                                                  "WHERE c.relkind IN ('r', 'p') AND {}",
                                                  k_user_schemas_but_migsafe_predicate)));
}

} // namespace migsafe::platform::catalog
