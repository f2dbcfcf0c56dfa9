// SQL of model::load_catalog_facts: sizes, columns, checks, indexes, foreign keys and
// functions of the user schemas. Lists of names come back joined by the unit separator;
// relations as their display form (platform::qualified_name).
#include "platform/catalog/catalog_facts_queries.hpp"

#include "platform/catalog/user_schemas.hpp"
#include "platform/transaction_control.hpp"

#include <string>

namespace migsafe::platform::catalog {
namespace {

constexpr char k_separator = '\x1f';

// The relations of user schemas.
const std::string k_user_schema(k_user_schemas_predicate);

std::vector<std::string> split(const Value& value)
{
    std::vector<std::string> parts;
    if (!value) {
        return parts;
    }
    std::string part;
    for (const char c : *value) {
        if (c == k_separator) {
            parts.push_back(part);
            part.clear();
        } else {
            part += c;
        }
    }
    parts.push_back(part);
    return parts;
}

bool is_true(const Value& value)
{
    return value == Value("t");
}

std::string text(const Value& value)
{
    return value.value_or("");
}

// A relation's key and display form (`"x.y".z`): schema and name come back as two
// columns, never joined with a dot in SQL, where `x."y.z"` would read the same.
std::string qualified(const Value& schema, const Value& name)
{
    return qualified_name(text(schema), text(name));
}

/// Rows of (a table's oid, a relation's schema, its name), as the three queries below give
/// them.
std::vector<ReadRow> read_rows(const QueryResult& result)
{
    std::vector<ReadRow> rows;
    rows.reserve(result.rows.size());
    for (const auto& row : result.rows) {
        rows.push_back({.table_oid = text(row[0]), .qualified = qualified(row[1], row[2])});
    }
    return rows;
}

} // namespace

std::vector<TableRow> user_tables(Session& session)
{
    const auto result = session.query(
        std::string("SELECT c.oid::bigint, n.nspname, c.relname, c.relkind::text, "
                    "c.reltuples, c.relpages, pg_catalog.pg_total_relation_size(c.oid), "
                    "c.relpersistence = 'u', ts.spcname, am.amname "
                    "FROM pg_catalog.pg_class c "
                    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                    "LEFT JOIN pg_catalog.pg_tablespace ts ON ts.oid = c.reltablespace "
                    "LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam "
                    "WHERE c.relkind IN ('r', 'p', 'm') AND ") +
        k_user_schema);
    std::vector<TableRow> rows;
    for (const auto& row : result.rows) {
        rows.push_back({.oid = text(row[0]),
                        .qualified = qualified(row[1], row[2]),
                        .kind = text(row[3]).empty() ? 'r' : text(row[3]).front(),
                        .reltuples = std::stod(row[4].value_or("0")),
                        .relpages = std::stoll(row[5].value_or("0")),
                        .total_bytes = std::stoll(row[6].value_or("0")),
                        .unlogged = is_true(row[7]),
                        .tablespace = text(row[8]),
                        .access_method = text(row[9])});
    }
    return rows;
}

std::vector<ColumnRow> user_columns(Session& session)
{
    const auto result =
        session.query(std::string("SELECT a.attrelid::bigint, a.attname, "
                                  "pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, "
                                  "t.typtype = 'd', tn.nspname, t.typname, "
                                  "pg_catalog.format_type(t.typbasetype, t.typtypmod) "
                                  "FROM pg_catalog.pg_attribute a "
                                  "JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
                                  "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                                  "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
                                  "JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace "
                                  "WHERE a.attnum > 0 AND NOT a.attisdropped "
                                  "AND c.relkind IN ('r', 'p', 'm') AND ") +
                      k_user_schema + " ORDER BY a.attrelid, a.attnum");
    std::vector<ColumnRow> rows;
    for (const auto& row : result.rows) {
        rows.push_back({.table_oid = text(row[0]),
                        .name = text(row[1]),
                        .type = text(row[2]),
                        .not_null = is_true(row[3]),
                        .domain = is_true(row[4]) ? qualified(row[5], row[6]) : std::string(),
                        .domain_base = is_true(row[4]) ? text(row[7]) : std::string()});
    }
    return rows;
}

std::vector<ReadRow> matview_reads(Session& session)
{
    // A materialized view's query depends, through its _RETURN rule, on every relation
    // it names (one row per column used, hence DISTINCT).
    const auto result = session.query(
        std::string("SELECT DISTINCT r.ev_class::bigint, n.nspname, c.relname "
                    "FROM pg_catalog.pg_rewrite r "
                    "JOIN pg_catalog.pg_class m ON m.oid = r.ev_class AND m.relkind = 'm' "
                    "JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::regclass "
                    " AND d.objid = r.oid AND d.refclassid = 'pg_catalog.pg_class'::regclass "
                    " AND d.refobjid <> r.ev_class "
                    "JOIN pg_catalog.pg_class c ON c.oid = d.refobjid "
                    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE ") +
        k_user_schema + " ORDER BY 1, 2, 3");
    return read_rows(result);
}

std::vector<ReadRow> view_dependents(Session& session)
{
    // The reverse of matview_reads, for views too: through the view's _RETURN rule.
    const auto result = session.query(
        std::string("SELECT DISTINCT d.refobjid::bigint, n.nspname, v.relname "
                    "FROM pg_catalog.pg_rewrite r "
                    "JOIN pg_catalog.pg_class v ON v.oid = r.ev_class AND v.relkind IN ('v', 'm') "
                    "JOIN pg_catalog.pg_namespace n ON n.oid = v.relnamespace "
                    "JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::regclass "
                    " AND d.objid = r.oid AND d.refclassid = 'pg_catalog.pg_class'::regclass "
                    " AND d.refobjid <> r.ev_class WHERE ") +
        k_user_schema + " ORDER BY 1, 2, 3");
    return read_rows(result);
}

std::vector<ReadRow> table_children(Session& session)
{
    const auto result = session.query(
        std::string("SELECT i.inhparent::bigint, n.nspname, c.relname "
                    "FROM pg_catalog.pg_inherits i "
                    "JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid AND c.relkind IN ('r', 'p') "
                    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE ") +
        k_user_schema + " ORDER BY 1, 2, 3");
    return read_rows(result);
}

std::vector<CheckRow> validated_checks(Session& session)
{
    const auto result =
        session.query("SELECT k.conrelid::bigint, pg_catalog.pg_get_constraintdef(k.oid), "
                      "k.conname "
                      "FROM pg_catalog.pg_constraint k WHERE k.contype = 'c' AND k.convalidated "
                      "AND k.conrelid <> 0");
    std::vector<CheckRow> rows;
    for (const auto& row : result.rows) {
        rows.push_back(
            {.table_oid = text(row[0]), .name = text(row[2]), .definition = text(row[1])});
    }
    return rows;
}

std::vector<IndexRow> user_indexes(Session& session)
{
    const auto result = session.query(
        std::string(
            "SELECT i.indrelid::bigint, n.nspname, c.relname, "
            "(SELECT pg_catalog.string_agg(COALESCE(a.attname, ''), chr(31) ORDER BY k.ord) "
            " FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) "
            " LEFT JOIN pg_catalog.pg_attribute a "
            " ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0 "
            " WHERE k.ord <= i.indnkeyatts), "
            "i.indisunique, i.indisprimary, i.indisvalid, i.indpred IS NOT NULL "
            "FROM pg_catalog.pg_index i "
            "JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE ") +
        k_user_schema);
    std::vector<IndexRow> rows;
    for (const auto& row : result.rows) {
        rows.push_back({.table_oid = text(row[0]),
                        .qualified = qualified(row[1], row[2]),
                        .columns = split(row[3]),
                        .unique = is_true(row[4]),
                        .primary = is_true(row[5]),
                        .valid = is_true(row[6]),
                        .partial = is_true(row[7])});
    }
    return rows;
}

std::vector<ForeignKeyRow> foreign_keys(Session& session)
{
    const auto result = session.query(
        "SELECT k.conname, cn.nspname, c.relname, "
        "(SELECT pg_catalog.string_agg(a.attname, chr(31) ORDER BY u.ord) "
        " FROM unnest(k.conkey) WITH ORDINALITY AS u(attnum, ord) "
        " JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum), "
        "fn.nspname, f.relname, "
        "(SELECT pg_catalog.string_agg(a.attname, chr(31) ORDER BY u.ord) "
        " FROM unnest(k.confkey) WITH ORDINALITY AS u(attnum, ord) "
        " JOIN pg_catalog.pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum), "
        "k.convalidated "
        "FROM pg_catalog.pg_constraint k "
        "JOIN pg_catalog.pg_class c ON c.oid = k.conrelid "
        "JOIN pg_catalog.pg_namespace cn ON cn.oid = c.relnamespace "
        "JOIN pg_catalog.pg_class f ON f.oid = k.confrelid "
        "JOIN pg_catalog.pg_namespace fn ON fn.oid = f.relnamespace "
        "WHERE k.contype = 'f' ORDER BY 2, 3, 1");
    std::vector<ForeignKeyRow> rows;
    for (const auto& row : result.rows) {
        rows.push_back({.name = text(row[0]),
                        .table = qualified(row[1], row[2]),
                        .columns = split(row[3]),
                        .referenced = qualified(row[4], row[5]),
                        .referenced_columns = split(row[6]),
                        .validated = is_true(row[7])});
    }
    return rows;
}

std::vector<FunctionRow> functions(Session& session)
{
    const auto result = session.query(
        "SELECT n.nspname || '.' || p.proname, p.provolatile::text FROM pg_catalog.pg_proc p "
        "JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname <> 'information_schema'");
    std::vector<FunctionRow> rows;
    rows.reserve(result.rows.size());
    for (const auto& row : result.rows) {
        const std::string volatility = text(row[1]);
        rows.push_back(
            {.qualified = text(row[0]), .volatility = volatility.empty() ? 'v' : volatility[0]});
    }
    return rows;
}

void begin_read_only(Session& session)
{
    begin_transaction(session, TransactionKind::read_only);
}

void end_read_only(Session& session)
{
    rollback_transaction(session);
}

} // namespace migsafe::platform::catalog
