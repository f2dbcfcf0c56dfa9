// The row generator's SQL: which tables are empty, their columns, and the INSERT.
#include "platform/catalog/row_generator.hpp"

#include "platform/catalog/user_schemas.hpp"
#include "platform/logging.hpp"
#include "platform/transaction_control.hpp"

#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

#include <string>

namespace migsafe::platform::catalog {
namespace {

struct Table {
    std::string oid{};
    std::string qualified{}; ///< quoted, for SQL
    std::string display{};   ///< `schema.name`
};

struct Column {
    std::string name{};
    std::string type{}; ///< format_type(): already quoted where needed
    char category = 'X';
    bool filled_by_server = false; ///< default, identity or generated: left out
};

std::vector<Table> ordinary_tables(Session& session)
{
    const auto result = session.query(
        fmt::format("SELECT c.oid::bigint, n.nspname, c.relname FROM pg_catalog.pg_class c "
                    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE c.relkind = 'r' AND c.relpersistence <> 't' AND {} ORDER BY c.oid",
                    k_user_schemas_predicate));
    std::vector<Table> tables;
    for (const auto& row : result.rows) {
        const std::string schema = row[1].value_or("");
        const std::string name = row[2].value_or("");
        tables.push_back({.oid = row[0].value_or("0"),
                          .qualified = fmt::format("{}.{}", quote_ident(schema), quote_ident(name)),
                          .display = fmt::format("{}.{}", schema, name)});
    }
    return tables;
}

bool is_empty(Session& session, const Table& table)
{
    return session.query_value("SELECT NOT EXISTS (SELECT FROM " + table.qualified + ")") ==
           Value("t");
}

std::vector<Column> columns_of(Session& session, const Table& table)
{
    const auto result = session.query(
        "SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), "
        "t.typcategory::text, (a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '') "
        "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
        "WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped "
        "ORDER BY a.attnum",
        {table.oid});
    std::vector<Column> columns;
    for (const auto& row : result.rows) {
        columns.push_back({.name = row[0].value_or(""),
                           .type = row[1].value_or("text"),
                           .category = row[2] && !row[2]->empty() ? row[2]->front() : 'X',
                           .filled_by_server = row[3] == Value("t")});
    }
    return columns;
}

// A value for row `g.i` of a column, by pg_type.typcategory.
std::string value_for(const Column& column)
{
    const std::string& type = column.type;
    switch (column.category) {
    case 'N':
        return fmt::format("g.i::{}", type);
    case 'S':
        return fmt::format("('v' || g.i)::{}", type);
    case 'B':
        return fmt::format("true::{}", type);
    case 'D':
        return fmt::format("(TIMESTAMP '2020-01-01' + g.i * INTERVAL '1 day')::{}", type);
    case 'T':
        return fmt::format("(g.i * INTERVAL '1 day')::{}", type);
    case 'E':
        return fmt::format("(pg_catalog.enum_range(NULL::{}))[1]", type);
    case 'A':
        return fmt::format("'{{}}'::{}", type);
    case 'I':
        return fmt::format("('10.0.0.' || g.i)::{}", type);
    case 'U':
        if (type == "uuid") {
            return "pg_catalog.md5(g.i::text)::uuid";
        }
        if (type == "json" || type == "jsonb") {
            return fmt::format("'{{}}'::{}", type);
        }
        return "NULL";
    default:
        return "NULL";
    }
}

// INSERT ... SELECT over generate_series(1, $1); DEFAULT VALUES (one row) when every
// column fills itself.
std::string insert_sql(const Table& table, const std::vector<Column>& columns)
{
    std::vector<std::string> names;
    std::vector<std::string> values;
    for (const auto& column : columns) {
        if (!column.filled_by_server) {
            names.push_back(quote_ident(column.name));
            values.push_back(value_for(column));
        }
    }
    if (names.empty()) {
        return fmt::format("INSERT INTO {} DEFAULT VALUES", table.qualified);
    }
    return fmt::format("INSERT INTO {} ({}) SELECT {} FROM pg_catalog.generate_series(1, $1) g(i)",
                       table.qualified, fmt::join(names, ", "), fmt::join(values, ", "));
}

// One INSERT in its own transaction; false when the server refused the rows.
bool try_fill(Session& session, const Table& table, int rows)
{
    const std::string sql = insert_sql(table, columns_of(session, table));
    try {
        begin_transaction(session);
        if (sql.find("$1") == std::string::npos) {
            session.exec(sql);
        } else {
            session.exec_params(sql, {std::to_string(rows)});
        }
        commit_transaction(session);
        return true;
    } catch (const Error& error) {
        detail::log_debug("trace: no generated rows for {}: {}", table.display, error.what());
        rollback_transaction(session);
        return false;
    }
}

} // namespace

FillResult fill_empty_tables(Session& session, int rows)
{
    std::vector<Table> pending;
    for (auto& table : ordinary_tables(session)) {
        if (is_empty(session, table)) {
            pending.push_back(std::move(table));
        }
    }
    FillResult result;
    // Parents before children: retry the refused tables while a pass makes progress.
    bool progress = true;
    while (progress && !pending.empty()) {
        progress = false;
        std::vector<Table> refused;
        for (auto& table : pending) {
            if (try_fill(session, table, rows)) {
                result.filled.push_back(table.display);
                progress = true;
            } else {
                refused.push_back(std::move(table));
            }
        }
        pending = std::move(refused);
    }
    for (const auto& table : pending) {
        result.skipped.push_back(table.display);
    }
    return result;
}

} // namespace migsafe::platform::catalog
