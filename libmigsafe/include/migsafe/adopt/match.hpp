#pragma once

/// Matching another runner's rows to the migration files: a file for every row, the tool's
/// checksum where it keeps one, the order; and the rows migsafe must refuse to adopt, with
/// the tool's own command that fixes each.

#include <migsafe/adopt/history_table.hpp>
#include <migsafe/adopt/runner_row.hpp>
#include <migsafe/adopt/tool.hpp>
#include <migsafe/export.hpp>
#include <migsafe/model/migration_set.hpp>
#include <migsafe/platform/session.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::adopt {

/// How `tool` identifies `migration`, derived from its file name as the tool derives it:
/// - prisma: the folder (`20240101120000_init`);
/// - flyway: the version with `_` as `.` (`V1_2__x.sql` -> `1.2`); "" for `R__x.sql`;
/// - dbmate, rails: the leading digits, as written (`20240101120000`, `0003`);
/// - diesel: the folder's part before the first `_`, dashes dropped
///   (`2024-01-01-000000_x` -> `20240101000000`);
/// - golang-migrate: the number before the first `_`, without leading zeros (`0003` -> `3`).
/// Pure.
MIGSAFE_API std::string tool_identity(Tool tool, const model::Migration& migration);

/// One file the tool's history says is applied, with the row that says so.
struct Adoption {
    const model::Migration* migration = nullptr;
    RunnerRow row{};   ///< the tool's row (golang-migrate: its one row; Flyway: a baseline)
    std::string why{}; ///< "row 20240101120000_init", "covered by golang-migrate version 7", ...
};

/// A row migsafe will not adopt.
struct Refusal {
    RunnerRow row{};
    std::string reason{}; ///< names the row: "_prisma_migrations row 2024..._init: ..."
    std::string fix{};    ///< the tool's own command (or the step) that fixes it
};

/// The outcome of matching.
struct MatchResult {
    std::vector<Adoption> adoptions{}; ///< in file order
    std::vector<Refusal> refusals{};
    std::vector<std::string> warnings{}; ///< order notes: nothing is refused for them
    int rows = 0;                        ///< rows read (markers included)
};

/// Where the files are, for the commands in messages (`--dir`).
struct MatchOptions {
    std::string directory{};
    /// Compare the tool's checksums (Prisma: one round trip per file). Off for the cheap
    /// coverage check of `uncovered_histories`.
    bool check_checksums = true;
};

/// Matches `rows` (from `read_rows` on `table`) to `set`:
/// - a row without a file: refused (restore the file);
/// - Prisma: finished -> adopted (checksum checked, line-ending variants accepted);
///   unfinished -> refused (`prisma migrate resolve --rolled-back NAME` or `--applied NAME`);
///   rolled back -> ignored (Prisma runs it again, so it is pending);
/// - Flyway: the last row of each version decides; success = false -> refused
///   (`flyway repair`); a checksum that differs -> refused (restore the file, or `flyway
///   repair` to accept the edit); a repeatable whose last checksum differs is pending, not
///   adopted; a baseline covers every file up to its version;
/// - golang-migrate: every file up to its version is adopted; dirty -> refused
///   (`migrate force V`);
/// - dbmate, rails, diesel: one row per version, no checksum.
/// Warnings: a file never applied by the tool but older than its newest applied one (it
/// will be out of order), and rows applied in another order than the files'.
/// Throws the errors of `Session::query` (checksums).
MIGSAFE_API MatchResult match_rows(platform::Session& session, const HistoryTable& table,
                                   const model::MigrationSet& set,
                                   const std::vector<RunnerRow>& rows,
                                   const MatchOptions& options = {});

} // namespace migsafe::adopt
