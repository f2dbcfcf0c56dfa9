#pragma once

/// The rows of another runner's history, read into one shape whatever the tool.

#include <migsafe/adopt/history_table.hpp>
#include <migsafe/adopt/tool.hpp>
#include <migsafe/export.hpp>
#include <migsafe/platform/session.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::adopt {

/// Where a row says its migration stands, in the tool's own terms.
enum class RowState {
    applied,     ///< ran to the end (Prisma finished_at set, Flyway success, ...)
    failed,      ///< Flyway `success = false`
    unfinished,  ///< Prisma: finished_at and rolled_back_at both NULL
    rolled_back, ///< Prisma: rolled_back_at set (`prisma migrate resolve --rolled-back`)
    dirty,       ///< golang-migrate: `dirty = true`
    baseline,    ///< Flyway `<< Flyway Baseline >>`: everything up to its version counts
    marker,      ///< not a migration: Flyway's `SCHEMA` row, or a `DELETE` row (repair)
};

/// `applied`, `failed`, `unfinished`, `rolled-back`, `dirty`, `baseline`, `marker`.
MIGSAFE_API std::string_view to_string(RowState state) noexcept;

/// One row of a tool's history.
struct RunnerRow {
    Tool tool = Tool::prisma;
    /// The version as the tool wrote it: Prisma's migration_name (the folder name),
    /// Flyway's version (empty for a repeatable migration), the others' version column.
    std::string version{};
    /// Flyway's description, Prisma's migration name after its timestamp; else empty.
    std::string name{};
    /// The tool's checksum, as stored: Prisma's SHA-256 hex, Flyway's signed CRC32 in
    /// decimal; empty where the tool keeps none (or Flyway's NULL).
    std::string checksum{};
    RowState state = RowState::applied;
    std::string applied_at{}; ///< RFC 3339 UTC (finished_at, installed_on, run_on), if kept
    std::string started_at{}; ///< Prisma's started_at
    std::string applied_by{}; ///< Flyway's installed_by; else empty
    std::string script{};     ///< Flyway's script (the file name)
    std::string type{};       ///< Flyway's type (SQL, BASELINE, ...)
    std::optional<std::int64_t> rank{}; ///< Flyway's installed_rank
    std::int64_t execution_time_ms = 0; ///< Flyway's execution_time
    std::string logs{};                 ///< Prisma's logs (the error of a failed run)
    std::string row_json{};             ///< the whole row, as row_to_json wrote it
};

/// Every row of `table` (found by `locate_history`, with `is_tools`), in the tool's order:
/// Prisma by started_at, Flyway by installed_rank, the others by version. golang-migrate's
/// one row is returned as it is (what it means for the files is the matcher's business).
/// Throws the errors of `Session::query`. Cost: one query.
MIGSAFE_API std::vector<RunnerRow> read_rows(platform::Session& session, const HistoryTable& table);

} // namespace migsafe::adopt
