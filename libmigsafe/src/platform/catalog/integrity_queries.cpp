// The SQL of the integrity engine (docs/integrity.md explains the choices).
#include "platform/catalog/integrity_queries.hpp"

#include "platform/catalog/timeouts.hpp"
#include "platform/catalog/user_schemas.hpp"
#include "platform/transaction_control.hpp"

#include <migsafe/platform/session.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <map>

namespace migsafe::platform::catalog {
namespace {

std::optional<std::int64_t> to_int64(const Value& text)
{
    if (!text) {
        return std::nullopt;
    }
    std::int64_t value = 0;
    const char* end = text->data() + text->size();
    auto [ptr, ec] = std::from_chars(text->data(), end, value);
    if (ec != std::errc() || ptr != end) {
        return std::nullopt;
    }
    return value;
}

std::string text(const Value& value)
{
    return value.value_or("");
}

std::string table_sql(const RelationInfo& rel)
{
    return "ONLY " + quote_identifier(rel.schema) + "." + quote_identifier(rel.name);
}

std::string column_list(const std::vector<std::string>& columns)
{
    std::string out;
    for (const auto& column : columns) {
        out += out.empty() ? "" : ", ";
        out += quote_identifier(column);
    }
    return out;
}

std::string key_tuple(const RelationInfo& rel, const Key& key)
{
    std::string out;
    for (std::size_t i = 0; i < key.size(); ++i) {
        out += i == 0 ? "" : ", ";
        out += quote_string(key[i]) + "::" + rel.key_types.at(i);
    }
    return "(" + out + ")";
}

std::string key_predicate(const RelationInfo& rel, const KeyRange& range)
{
    std::string columns = "(" + column_list(rel.key_columns) + ")";
    std::string out = "true";
    if (range.lower) {
        out += " AND " + columns + " >= " + key_tuple(rel, *range.lower);
    }
    if (range.upper) {
        out += " AND " + columns + " < " + key_tuple(rel, *range.upper);
    }
    return out;
}

std::string key_texts(const RelationInfo& rel)
{
    std::string out;
    for (const auto& column : rel.key_columns) {
        out += out.empty() ? "" : ", ";
        out += quote_identifier(column) + "::text";
    }
    return out;
}

} // namespace

std::string quote_identifier(std::string_view name)
{
    return quote_ident(name);
}

std::string quote_string(std::string_view text)
{
    return quote_literal(text);
}

void pin_output_settings(Session& conn)
{
    // Each of these changes the text COPY produces for some type; timeouts are lifted
    // because a long COPY is the point, and search_path is emptied so that reg* values
    // print schema-qualified.
    conn.exec("SET client_encoding = 'UTF8'; SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; "
              "SET IntervalStyle = 'postgres'; SET extra_float_digits = 1; "
              "SET bytea_output = 'hex'; SET lc_monetary = 'C'; "
              "SET idle_in_transaction_session_timeout = 0; "
              "SELECT pg_catalog.set_config('search_path', '', false)");
    set_timeouts(conn, SettingScope::session, std::nullopt, std::chrono::milliseconds(0));
}

void pin_output_settings_local(Session& conn, std::chrono::milliseconds lock_timeout)
{
    conn.exec("SET LOCAL client_encoding = 'UTF8'; SET LOCAL TimeZone = 'UTC'; "
              "SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL IntervalStyle = 'postgres'; "
              "SET LOCAL extra_float_digits = 1; SET LOCAL bytea_output = 'hex'; "
              "SET LOCAL lc_monetary = 'C'; "
              "SELECT pg_catalog.set_config('search_path', '', true)");
    set_timeouts(conn, SettingScope::transaction, lock_timeout, std::chrono::milliseconds(0));
}

std::vector<std::string> tables_locked_exclusively(Session& conn)
{
    auto rows = conn.query("SELECT DISTINCT pg_catalog.quote_ident(n.nspname) || '.' || "
                           "  pg_catalog.quote_ident(c.relname) "
                           "FROM pg_catalog.pg_locks l "
                           "JOIN pg_catalog.pg_class c ON c.oid = l.relation "
                           "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                           "WHERE l.locktype = 'relation' AND l.granted "
                           "  AND l.mode = 'AccessExclusiveLock' "
                           "  AND l.pid <> pg_catalog.pg_backend_pid() "
                           "  AND l.database = (SELECT oid FROM pg_catalog.pg_database "
                           "                    WHERE datname = pg_catalog.current_database()) "
                           "ORDER BY 1")
                    .rows;
    std::vector<std::string> names;
    names.reserve(rows.size());
    for (const auto& row : rows) {
        names.push_back(text(row.at(0)));
    }
    return names;
}

void begin_snapshot_transaction(Session& conn)
{
    begin_transaction(conn, TransactionKind::repeatable_read_read_only);
}

std::string export_snapshot(Session& conn)
{
    return text(conn.query("SELECT pg_catalog.pg_export_snapshot()").rows.at(0).at(0));
}

void import_snapshot(Session& conn, const std::string& snapshot_id)
{
    conn.exec("SET TRANSACTION SNAPSHOT " + quote_string(snapshot_id));
}

void end_transaction(Session& conn)
{
    commit_transaction(conn);
}

ServerFacts server_facts(Session& conn)
{
    auto row = conn.query("SELECT pg_catalog.current_setting('server_version'), "
                          "pg_catalog.current_database(), "
                          "pg_catalog.to_char(pg_catalog.now() AT TIME ZONE 'UTC', "
                          "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')")
                   .rows.at(0);
    // `15.18 (Debian 15.18-0+deb12u1)`: the packager's suffix is not the server's version.
    auto version = text(row.at(0));
    return {.version = version.substr(0, version.find(' ')),
            .version_text = version,
            .database = text(row.at(1)),
            .now_utc = text(row.at(2))};
}

std::vector<RelationInfo> list_relations(Session& conn)
{
    auto rows =
        conn
            .query(fmt::format(
                "SELECT c.oid::text, n.nspname, c.relname, c.relkind = 'p', "
                "  COALESCE(pn.nspname, ''), COALESCE(pc.relname, ''), "
                "  (pg_catalog.pg_relation_size(c.oid) / "
                "   pg_catalog.current_setting('block_size')::int8)::text "
                "FROM pg_catalog.pg_class c "
                "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                "LEFT JOIN pg_catalog.pg_inherits i ON c.relispartition AND i.inhrelid = c.oid "
                "LEFT JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent "
                "LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace "
                "WHERE c.relkind IN ('r', 'p') AND c.relpersistence <> 't' AND {} "
                "ORDER BY n.nspname, c.relname",
                k_user_schemas_predicate))
            .rows;
    std::vector<RelationInfo> relations;
    std::map<std::string, std::size_t> by_oid;
    for (const auto& row : rows) {
        by_oid[text(row[0])] = relations.size();
        relations.push_back({.oid = text(row[0]),
                             .schema = text(row[1]),
                             .name = text(row[2]),
                             .partitioned = text(row[3]) == "t",
                             .parent_schema = text(row[4]),
                             .parent_name = text(row[5]),
                             .pages = to_int64(row[6]).value_or(0)});
    }
    auto columns =
        conn
            .query(fmt::format(
                "SELECT a.attrelid::text, a.attname FROM pg_catalog.pg_attribute a "
                "JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
                "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND {}",
                k_user_schemas_predicate))
            .rows;
    for (const auto& row : columns) {
        auto it = by_oid.find(text(row[0]));
        if (it != by_oid.end()) {
            relations[it->second].columns.push_back(text(row[1]));
        }
    }
    auto keys =
        conn
            .query(fmt::format(
                "SELECT i.indrelid::text, a.attname, "
                "  pg_catalog.format_type(a.atttypid, a.atttypmod) "
                "FROM pg_catalog.pg_index i "
                "CROSS JOIN LATERAL pg_catalog.unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) "
                "JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
                "JOIN pg_catalog.pg_class c ON c.oid = i.indrelid "
                "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                "WHERE i.indisprimary AND {} ORDER BY i.indrelid, k.ord",
                k_user_schemas_predicate))
            .rows;
    for (const auto& row : keys) {
        auto it = by_oid.find(text(row[0]));
        if (it != by_oid.end()) {
            relations[it->second].key_columns.push_back(text(row[1]));
            relations[it->second].key_types.push_back(text(row[2]));
        }
    }
    for (auto& rel : relations) {
        // Byte order, not the server's collation: the same on every server.
        std::sort(rel.columns.begin(), rel.columns.end());
    }
    return relations;
}

std::vector<UnvalidatedConstraintRow> list_unvalidated_constraints(Session& conn)
{
    auto rows =
        conn
            .query(fmt::format(
                "SELECT n.nspname, t.relname, con.conname, "
                "  CASE con.contype WHEN 'f' THEN 'foreign-key' WHEN 'c' THEN 'check' "
                "  ELSE con.contype::text END "
                "FROM pg_catalog.pg_constraint con "
                "JOIN pg_catalog.pg_class t ON t.oid = con.conrelid "
                "JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace "
                "WHERE NOT con.convalidated AND t.relpersistence <> 't' AND {} ORDER BY 1, 2, 3",
                k_user_schemas_predicate))
            .rows;
    std::vector<UnvalidatedConstraintRow> out;
    out.reserve(rows.size());
    for (const auto& row : rows) {
        out.push_back({text(row[0]), text(row[1]), text(row[2]), text(row[3])});
    }
    return out;
}

std::vector<SequenceRow> list_sequences(Session& conn)
{
    auto rows =
        conn
            .query(fmt::format(
                "SELECT n.nspname, c.relname, s.seqincrement::text, "
                "  pg_catalog.has_sequence_privilege(c.oid, 'SELECT'), "
                "  COALESCE(tn.nspname, ''), COALESCE(t.relname, ''), COALESCE(a.attname, ''), "
                "  COALESCE(a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype), "
                "false) "
                "FROM pg_catalog.pg_sequence s "
                "JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid "
                "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                "LEFT JOIN pg_catalog.pg_depend d ON d.classid = 'pg_class'::regclass "
                "  AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass "
                "  AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i') "
                "LEFT JOIN pg_catalog.pg_class t ON t.oid = d.refobjid "
                "LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace "
                "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid "
                "  AND a.attnum = d.refobjsubid "
                "WHERE c.relpersistence <> 't' AND {} ORDER BY 1, 2",
                k_user_schemas_predicate))
            .rows;
    std::vector<SequenceRow> out;
    for (const auto& row : rows) {
        SequenceRow seq{.schema = text(row[0]),
                        .name = text(row[1]),
                        .increment = to_int64(row[2]).value_or(1),
                        .owner_schema = text(row[4]),
                        .owner_table = text(row[5]),
                        .owner_column = text(row[6])};
        if (text(row[3]) == "t") {
            auto position =
                conn.query("SELECT last_value::text, is_called FROM " +
                           quote_identifier(seq.schema) + "." + quote_identifier(seq.name))
                    .rows.at(0);
            seq.last_value = to_int64(position.at(0));
            seq.is_called = text(position.at(1)) == "t";
        }
        if (!seq.owner_table.empty() && text(row[7]) == "t") {
            seq.column_max =
                to_int64(conn.query("SELECT pg_catalog.max(" + quote_identifier(seq.owner_column) +
                                    ")::int8::text FROM " + quote_identifier(seq.owner_schema) +
                                    "." + quote_identifier(seq.owner_table))
                             .rows.at(0)
                             .at(0));
        }
        out.push_back(std::move(seq));
    }
    return out;
}

std::uint64_t stream_rows(Session& conn, const RelationInfo& rel, const BlockRange& blocks,
                          const std::function<void(std::string_view)>& on_row)
{
    if (blocks.first == 0 && !blocks.last) {
        // A whole table: COPY's own table path, without a query and its projection
        // (about 10 % less server time than `COPY (SELECT ...)`, docs/benchmarks.md).
        // Like `ONLY`, it never includes child tables' rows.
        return conn.copy_out(fmt::format("COPY {}.{} ({}) TO STDOUT", quote_identifier(rel.schema),
                                         quote_identifier(rel.name), column_list(rel.columns)),
                             on_row);
    }
    std::string where;
    if (blocks.first > 0) {
        where += fmt::format(" WHERE ctid >= '({},0)'::tid", blocks.first);
    }
    if (blocks.last) {
        where +=
            fmt::format("{} ctid < '({},0)'::tid", where.empty() ? " WHERE" : " AND", *blocks.last);
    }
    return conn.copy_out(fmt::format("COPY (SELECT {} FROM {}{}) TO STDOUT",
                                     column_list(rel.columns), table_sql(rel), where),
                         on_row);
}

std::uint64_t stream_key_range(Session& conn, const RelationInfo& rel, const KeyRange& range,
                               const std::function<void(std::string_view)>& on_row)
{
    return conn.copy_out(fmt::format("COPY (SELECT {} FROM {} WHERE {}) TO STDOUT",
                                     column_list(rel.columns), table_sql(rel),
                                     key_predicate(rel, range)),
                         on_row);
}

std::vector<Key> split_keys(Session& conn, const RelationInfo& rel, const KeyRange& range,
                            std::int64_t parts)
{
    auto keys = column_list(rel.key_columns);
    auto rows =
        conn
            .query(fmt::format(
                "SELECT {} FROM (SELECT {}, pg_catalog.row_number() OVER (ORDER BY {}) AS "
                "migsafe_rn, "
                "pg_catalog.count(*) OVER () AS migsafe_n FROM {} WHERE {}) s "
                "WHERE migsafe_rn > 1 AND (migsafe_rn - 1) % "
                "GREATEST(1, ceil(migsafe_n::numeric / {})::int8) = 0 ORDER BY migsafe_rn",
                key_texts(rel), keys, keys, table_sql(rel), key_predicate(rel, range), parts))
            .rows;
    std::vector<Key> out;
    for (const auto& row : rows) {
        Key key;
        for (const auto& value : row) {
            key.push_back(text(value));
        }
        out.push_back(std::move(key));
    }
    return out;
}

double estimated_rows(Session& conn, const RelationInfo& rel)
{
    auto row = conn.query("SELECT c.reltuples::float8::text FROM pg_catalog.pg_class c "
                          "WHERE c.oid = $1::oid",
                          {rel.oid})
                   .rows;
    if (row.empty() || !row.at(0).at(0)) {
        return -1;
    }
    return std::strtod(row.at(0).at(0)->c_str(), nullptr);
}

std::vector<std::string> sample_keys(Session& conn, const RelationInfo& rel, double percent)
{
    const auto key = quote_identifier(rel.key_columns.at(0));
    std::string sample = percent >= 100.0
                             ? std::string()
                             : fmt::format(" TABLESAMPLE SYSTEM ({:.6f}) REPEATABLE (0)", percent);
    // Aliased: `ORDER BY "id"` would otherwise sort by the text output column of that name.
    auto rows = conn.query(fmt::format("SELECT {}::text AS migsafe_key FROM {}{} ORDER BY {}", key,
                                       table_sql(rel), sample, key))
                    .rows;
    std::vector<std::string> out;
    out.reserve(rows.size());
    for (const auto& row : rows) {
        out.push_back(text(row.at(0)));
    }
    return out;
}

std::vector<Key> keys_in_range(Session& conn, const RelationInfo& rel, const KeyRange& range,
                               std::size_t limit)
{
    std::string keys;
    for (std::size_t i = 0; i < rel.key_columns.size(); ++i) {
        // Aliased, so that ORDER BY below sorts by the key, not by its text.
        keys += fmt::format("{}{}::text AS migsafe_key{}", i == 0 ? "" : ", ",
                            quote_identifier(rel.key_columns[i]), i);
    }
    auto rows = conn.query(fmt::format("SELECT {} FROM {} WHERE {} ORDER BY {} LIMIT {}", keys,
                                       table_sql(rel), key_predicate(rel, range),
                                       column_list(rel.key_columns), limit))
                    .rows;
    std::vector<Key> out;
    for (const auto& row : rows) {
        Key key;
        for (const auto& value : row) {
            key.push_back(text(value));
        }
        out.push_back(std::move(key));
    }
    return out;
}

std::vector<std::pair<Key, std::string>> keyed_rows(Session& conn, const RelationInfo& rel,
                                                    const KeyRange& range)
{
    auto rows = conn.query(fmt::format("SELECT {}, ROW({})::text FROM {} WHERE {} ORDER BY {}",
                                       key_texts(rel), column_list(rel.columns), table_sql(rel),
                                       key_predicate(rel, range), column_list(rel.key_columns)))
                    .rows;
    std::vector<std::pair<Key, std::string>> out;
    for (auto& row : rows) {
        Key key;
        for (std::size_t i = 0; i + 1 < row.size(); ++i) {
            key.push_back(text(row[i]));
        }
        out.emplace_back(std::move(key), text(row.back()));
    }
    return out;
}

} // namespace migsafe::platform::catalog
