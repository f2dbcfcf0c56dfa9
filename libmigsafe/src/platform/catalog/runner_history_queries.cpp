#include "platform/catalog/runner_history_queries.hpp"

#include <migsafe/platform/identifier.hpp>

#include <fmt/format.h>

namespace migsafe::platform::catalog {
namespace {

/// RFC 3339 UTC with milliseconds, of a timestamptz expression.
std::string utc_text(std::string_view expression)
{
    return fmt::format("to_char(({}) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')",
                       expression);
}

/// The same, of a `timestamp without time zone` column written with now(): the tools wrote
/// the session's local time, so it is read back in the session's TimeZone.
std::string local_utc_text(std::string_view column)
{
    return utc_text(fmt::format("{} AT TIME ZONE pg_catalog.current_setting('TimeZone')", column));
}

std::vector<RunnerHistoryRecord> read_records(Session& conn, const std::string& sql)
{
    auto result = conn.query(sql);
    std::vector<RunnerHistoryRecord> records;
    records.reserve(result.rows.size());
    for (auto& row : result.rows) {
        RunnerHistoryRecord record;
        record.row_json = row.back().value_or("{}");
        row.pop_back();
        record.values = std::move(row);
        records.push_back(std::move(record));
    }
    return records;
}

std::string hex_of(std::string_view bytes)
{
    static constexpr char k_digits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        hex.push_back(k_digits[c >> 4]);
        hex.push_back(k_digits[c & 0x0f]);
    }
    return hex;
}

} // namespace

std::string current_schema_name(Session& conn)
{
    return conn.query_value("SELECT pg_catalog.current_schema()").value_or("");
}

std::string current_database_name(Session& conn)
{
    return conn.query_value("SELECT pg_catalog.current_database()").value_or("");
}

std::optional<std::vector<TableColumn>> table_columns(Session& conn, std::string_view schema,
                                                      std::string_view name)
{
    auto result =
        conn.query("SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), c.oid "
                   "FROM pg_catalog.pg_class c "
                   "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                   "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 "
                   "AND NOT a.attisdropped "
                   "WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p') "
                   "ORDER BY a.attnum",
                   {std::string(schema), std::string(name)});
    if (result.rows.empty()) {
        return std::nullopt;
    }
    std::vector<TableColumn> columns;
    for (const auto& row : result.rows) {
        if (row[0]) { // a table without columns has one row of NULLs
            columns.push_back({.name = *row[0], .type = row[1].value_or("")});
        }
    }
    return columns;
}

std::vector<RunnerHistoryRecord> prisma_history(Session& conn, std::string_view schema,
                                                std::string_view table)
{
    return read_records(
        conn,
        fmt::format("SELECT t.id::text, t.checksum::text, t.migration_name::text, t.logs, "
                    "{}, {}, {}, t.applied_steps_count::text, pg_catalog.row_to_json(t)::text "
                    "FROM {} t ORDER BY t.started_at, t.migration_name",
                    utc_text("t.started_at"), utc_text("t.finished_at"),
                    utc_text("t.rolled_back_at"), qualified_name(schema, table)));
}

std::vector<RunnerHistoryRecord> flyway_history(Session& conn, std::string_view schema,
                                                std::string_view table)
{
    return read_records(
        conn, fmt::format("SELECT t.installed_rank::text, t.version::text, t.description::text, "
                          "t.type::text, t.script::text, t.checksum::text, t.installed_by::text, "
                          "{}, t.execution_time::text, t.success::text, "
                          "pg_catalog.row_to_json(t)::text FROM {} t ORDER BY t.installed_rank",
                          local_utc_text("t.installed_on"), qualified_name(schema, table)));
}

std::vector<RunnerHistoryRecord> golang_migrate_history(Session& conn, std::string_view schema,
                                                        std::string_view table)
{
    return read_records(conn, fmt::format("SELECT t.version::text, t.dirty::text, "
                                          "pg_catalog.row_to_json(t)::text FROM {} t "
                                          "ORDER BY t.version",
                                          qualified_name(schema, table)));
}

std::vector<RunnerHistoryRecord> version_history(Session& conn, std::string_view schema,
                                                 std::string_view table)
{
    return read_records(conn, fmt::format("SELECT t.version::text, pg_catalog.row_to_json(t)::text "
                                          "FROM {} t ORDER BY t.version",
                                          qualified_name(schema, table)));
}

std::vector<RunnerHistoryRecord> diesel_history(Session& conn, std::string_view schema,
                                                std::string_view table)
{
    return read_records(conn,
                        fmt::format("SELECT t.version::text, {}, pg_catalog.row_to_json(t)::text "
                                    "FROM {} t ORDER BY t.version",
                                    local_utc_text("t.run_on"), qualified_name(schema, table)));
}

std::vector<std::string> sha256_hex(Session& conn, const std::vector<std::string>& texts)
{
    if (texts.empty()) {
        return {};
    }
    // A text[] literal of hex strings (quoted, so an empty text is an empty element).
    std::string array = "{";
    for (const auto& text : texts) {
        array += (array.size() > 1 ? ",\"" : "\"") + hex_of(text) + "\"";
    }
    array += "}";
    auto result = conn.query("SELECT pg_catalog.encode(pg_catalog.sha256("
                             "pg_catalog.decode(h, 'hex')), 'hex') "
                             "FROM unnest($1::text[]) WITH ORDINALITY AS u(h, n) ORDER BY n",
                             {array});
    std::vector<std::string> digests;
    digests.reserve(result.rows.size());
    for (const auto& row : result.rows) {
        digests.push_back(row[0].value_or(""));
    }
    return digests;
}

// The DDL below is each tool's own, with the table name quoted by qualified_name (the
// sources are cited in docs/adopt.md and in tests/db/adopt/).

void create_prisma_history(Session& conn, std::string_view schema, std::string_view table)
{
    // prisma-engines schema-engine/connectors/sql-schema-connector/src/flavour/postgres.rs,
    // create_migrations_table.
    conn.exec(fmt::format("CREATE TABLE IF NOT EXISTS {} (\n"
                          "    id                      VARCHAR(36) PRIMARY KEY NOT NULL,\n"
                          "    checksum                VARCHAR(64) NOT NULL,\n"
                          "    finished_at             TIMESTAMPTZ,\n"
                          "    migration_name          VARCHAR(255) NOT NULL,\n"
                          "    logs                    TEXT,\n"
                          "    rolled_back_at          TIMESTAMPTZ,\n"
                          "    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),\n"
                          "    applied_steps_count     INTEGER NOT NULL DEFAULT 0\n"
                          ")",
                          qualified_name(schema, table)));
}

void create_flyway_history(Session& conn, std::string_view schema, std::string_view table)
{
    // flyway-core .../database/postgresql/createMetaDataTable.sql
    const auto name = qualified_name(schema, table);
    conn.exec(fmt::format("CREATE TABLE IF NOT EXISTS {} (\n"
                          "    \"installed_rank\" INT NOT NULL,\n"
                          "    \"version\" VARCHAR(50),\n"
                          "    \"description\" VARCHAR(200) NOT NULL,\n"
                          "    \"type\" VARCHAR(20) NOT NULL,\n"
                          "    \"script\" VARCHAR(1000) NOT NULL,\n"
                          "    \"checksum\" INTEGER,\n"
                          "    \"installed_by\" VARCHAR(100) NOT NULL,\n"
                          "    \"installed_on\" TIMESTAMP NOT NULL DEFAULT now(),\n"
                          "    \"execution_time\" INTEGER NOT NULL,\n"
                          "    \"success\" BOOLEAN NOT NULL,\n"
                          "    CONSTRAINT {} PRIMARY KEY (\"installed_rank\")\n"
                          ");\n"
                          "CREATE INDEX IF NOT EXISTS {} ON {} (\"success\")",
                          name, quote_ident(std::string(table) + "_pk"),
                          quote_ident(std::string(table) + "_s_idx"), name));
}

void create_golang_migrate_history(Session& conn, std::string_view schema, std::string_view table)
{
    // golang-migrate database/postgres/postgres.go, ensureVersionTable.
    conn.exec(fmt::format("CREATE TABLE IF NOT EXISTS {} (version bigint not null primary key, "
                          "dirty boolean not null)",
                          qualified_name(schema, table)));
}

void create_dbmate_history(Session& conn, std::string_view schema, std::string_view table)
{
    // dbmate 2.36.0 pkg/driver/postgres/postgres.go, CreateMigrationsTable (as its server log
    // shows it: `varchar` without a length; older versions wrote varchar(255)).
    conn.exec(fmt::format("create table if not exists {} (version varchar primary key)",
                          qualified_name(schema, table)));
}

void create_rails_history(Session& conn, std::string_view schema, std::string_view table)
{
    // activerecord lib/active_record/schema_migration.rb and internal_metadata.rb (7.1):
    // what create_table renders on PostgreSQL.
    conn.exec(fmt::format(
        "CREATE TABLE IF NOT EXISTS {} (\"version\" character varying NOT NULL PRIMARY KEY);\n"
        "CREATE TABLE IF NOT EXISTS {} (\"key\" character varying NOT NULL PRIMARY KEY, "
        "\"value\" character varying, \"created_at\" timestamp(6) NOT NULL, "
        "\"updated_at\" timestamp(6) NOT NULL)",
        qualified_name(schema, table), qualified_name(schema, "ar_internal_metadata")));
}

void create_diesel_history(Session& conn, std::string_view schema, std::string_view table)
{
    // diesel diesel_migrations/src/migration_harness.rs (setup_migration_table.sql).
    conn.exec(fmt::format("CREATE TABLE IF NOT EXISTS {} (\n"
                          "       version VARCHAR(50) PRIMARY KEY NOT NULL,\n"
                          "       run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP\n"
                          ")",
                          qualified_name(schema, table)));
}

void insert_prisma_row(Session& conn, std::string_view schema, std::string_view table,
                       std::string_view migration_name, std::string_view script,
                       std::string_view started_at)
{
    Value started = started_at.empty() ? Value{} : Value{std::string(started_at)};
    conn.exec_params(
        fmt::format("INSERT INTO {} (id, checksum, started_at, finished_at, migration_name, "
                    "applied_steps_count) VALUES (pg_catalog.gen_random_uuid()::text, "
                    "pg_catalog.encode(pg_catalog.sha256(pg_catalog.decode($1, 'hex')), 'hex'), "
                    "coalesce($2::timestamptz, now()), pg_catalog.clock_timestamp(), $3, 1)",
                    qualified_name(schema, table)),
        {hex_of(script), started, std::string(migration_name)});
}

void insert_flyway_row(Session& conn, std::string_view schema, std::string_view table,
                       const FlywayRow& row)
{
    const auto name = qualified_name(schema, table);
    conn.exec_params(
        fmt::format("INSERT INTO {} (installed_rank, version, description, type, script, "
                    "checksum, installed_by, execution_time, success) "
                    "SELECT coalesce(max(installed_rank), 0) + 1, $1, $2, $3, $4, $5::integer, "
                    "current_user, $6::integer, true FROM {}",
                    name, name),
        {row.version.empty() ? Value{} : Value{row.version}, row.description, row.type, row.script,
         std::to_string(row.checksum), std::to_string(row.execution_time_ms)});
}

void set_golang_migrate_version(Session& conn, std::string_view schema, std::string_view table,
                                std::int64_t version)
{
    const auto name = qualified_name(schema, table);
    conn.exec(fmt::format("TRUNCATE {}", name));
    conn.exec_params(
        fmt::format("INSERT INTO {} (version, dirty) VALUES ($1::bigint, false)", name),
        {std::to_string(version)});
}

void insert_version_row(Session& conn, std::string_view schema, std::string_view table,
                        std::string_view version)
{
    conn.exec_params(
        fmt::format("INSERT INTO {} (version) VALUES ($1)", qualified_name(schema, table)),
        {std::string(version)});
}

void insert_diesel_row(Session& conn, std::string_view schema, std::string_view table,
                       std::string_view version)
{
    conn.exec_params(
        fmt::format("INSERT INTO {} (version) VALUES ($1)", qualified_name(schema, table)),
        {std::string(version)});
}

} // namespace migsafe::platform::catalog
