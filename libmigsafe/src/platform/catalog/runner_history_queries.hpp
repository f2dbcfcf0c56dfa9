#pragma once
// Every SQL text that reads or writes another migration runner's history table (Prisma's
// `_prisma_migrations`, Flyway's `flyway_schema_history`, golang-migrate's and dbmate's
// `schema_migrations`, Rails' `schema_migrations` + `ar_internal_metadata`, diesel's
// `__diesel_schema_migrations`), and the server-side SHA-256 Prisma's checksums need.
// Table names are always passed as (schema, name) and quoted with qualified_name; the
// catalog layer knows the tables' columns, not what the tools mean by them (adopt/ does).
// Times are RFC 3339 UTC with milliseconds; a `timestamp without time zone` column is read
// in the session's TimeZone, the way the tool wrote it with now().

#include <migsafe/platform/session.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::platform::catalog {

/// The session's current_schema() (the first existing schema of its search_path), or ""
/// when none of its search_path exists; and current_database().
std::string current_schema_name(Session& conn);
std::string current_database_name(Session& conn);

/// One column of a table, as format_type() writes its type (`character varying(128)`).
struct TableColumn {
    std::string name{};
    std::string type{};
};

/// The columns of table `schema.name` (an ordinary or partitioned table), in order;
/// nullopt when there is no such table.
std::optional<std::vector<TableColumn>> table_columns(Session& conn, std::string_view schema,
                                                      std::string_view name);

/// One row of a runner's history, every value as text (NULL: nullopt), plus the whole row as
/// JSON (row_to_json: the provenance migsafe keeps).
struct RunnerHistoryRecord {
    std::vector<Value> values{};
    std::string row_json{};
};

/// `_prisma_migrations` rows by started_at, then migration_name: id, checksum,
/// migration_name, logs, started_at, finished_at, rolled_back_at, applied_steps_count.
std::vector<RunnerHistoryRecord> prisma_history(Session& conn, std::string_view schema,
                                                std::string_view table);
/// `flyway_schema_history` rows by installed_rank: installed_rank, version, description,
/// type, script, checksum, installed_by, installed_on, execution_time, success (true/false).
std::vector<RunnerHistoryRecord> flyway_history(Session& conn, std::string_view schema,
                                                std::string_view table);
/// golang-migrate's rows (it keeps one): version, dirty (true/false).
std::vector<RunnerHistoryRecord> golang_migrate_history(Session& conn, std::string_view schema,
                                                        std::string_view table);
/// dbmate's and Rails' rows, by version: version.
std::vector<RunnerHistoryRecord> version_history(Session& conn, std::string_view schema,
                                                 std::string_view table);
/// diesel's rows, by version: version, run_on.
std::vector<RunnerHistoryRecord> diesel_history(Session& conn, std::string_view schema,
                                                std::string_view table);

/// Lowercase hex SHA-256 of each of `texts`, computed by the server's sha256() (PostgreSQL
/// 11+) in one round trip. The bytes travel hex-encoded, so any byte (NUL included) counts.
std::vector<std::string> sha256_hex(Session& conn, const std::vector<std::string>& texts);

/// The tools' own history tables, created exactly as each tool creates them (when missing).
void create_prisma_history(Session& conn, std::string_view schema, std::string_view table);
void create_flyway_history(Session& conn, std::string_view schema, std::string_view table);
void create_golang_migrate_history(Session& conn, std::string_view schema, std::string_view table);
void create_dbmate_history(Session& conn, std::string_view schema, std::string_view table);
void create_rails_history(Session& conn, std::string_view schema, std::string_view table);
void create_diesel_history(Session& conn, std::string_view schema, std::string_view table);

/// Prisma's finished row: a random UUID id, the SHA-256 of `script` (server-side),
/// `started_at` (RFC 3339; empty: now()), finished_at now(), applied_steps_count 1, logs
/// and rolled_back_at NULL.
void insert_prisma_row(Session& conn, std::string_view schema, std::string_view table,
                       std::string_view migration_name, std::string_view script,
                       std::string_view started_at);

/// Flyway's row: installed_rank max + 1, installed_by current_user, installed_on now(),
/// success true. `version` empty: NULL (a repeatable migration).
struct FlywayRow {
    std::string version{};
    std::string description{};
    std::string type{"SQL"};
    std::string script{};
    std::int32_t checksum = 0;
    std::int64_t execution_time_ms = 0;
};
void insert_flyway_row(Session& conn, std::string_view schema, std::string_view table,
                       const FlywayRow& row);

/// golang-migrate's one row: TRUNCATE, then (version, dirty false), as SetVersion does.
void set_golang_migrate_version(Session& conn, std::string_view schema, std::string_view table,
                                std::int64_t version);

/// dbmate's and Rails' row: (version).
void insert_version_row(Session& conn, std::string_view schema, std::string_view table,
                        std::string_view version);

/// diesel's row: (version), run_on by its default (CURRENT_TIMESTAMP).
void insert_diesel_row(Session& conn, std::string_view schema, std::string_view table,
                       std::string_view version);

} // namespace migsafe::platform::catalog
