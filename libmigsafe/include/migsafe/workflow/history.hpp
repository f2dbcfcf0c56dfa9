#pragma once

/// The apply history: one row per migration in `migsafe.history` (ARCHITECTURE.md fixes the
/// name). Columns and their meaning are in docs/apply.md.

#include <migsafe/export.hpp>
#include <migsafe/model/version.hpp>
#include <migsafe/platform/session.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::workflow {

/// The history table, schema-qualified.
inline constexpr std::string_view k_history_table = "migsafe.history";

/// Where a migration stands in the history.
enum class HistoryStatus {
    applied, ///< every statement ran and committed
    failed,  ///< it failed and nothing of it is in the database (a rerun starts over)
    partial, ///< a no-transaction file or a backfill stopped part-way (a rerun resumes)
    adopted, ///< applied by another runner and imported by `migsafe adopt` (counts as applied)
};

/// `applied`, `failed`, `partial` or `adopted`.
MIGSAFE_API std::string_view to_string(HistoryStatus status) noexcept;

/// Reads a status name; nullopt for anything else.
MIGSAFE_API std::optional<HistoryStatus> parse_history_status(std::string_view text) noexcept;

/// One row of `migsafe.history`. JSON columns are kept as their JSON text (empty: NULL).
struct HistoryEntry {
    model::Version version; ///< stored as its text (`3`, `1.2.10`, `R__name`)
    std::string name{};
    std::string file{};     ///< the up file, relative to the migration directory
    std::string checksum{}; ///< XXH3-128 of the file, as in migsafe.sum
    std::string phase{};    ///< expand, backfill or contract
    bool transactional = true;
    HistoryStatus status = HistoryStatus::applied;
    int statements_total = 0;
    int statements_applied = 0;
    /// XXH3-128 of each statement's text (so a resumed file can prove that the statements
    /// already run were not edited).
    std::vector<std::string> statement_checksums{};
    std::string started_at{};  ///< RFC 3339 UTC
    std::string finished_at{}; ///< RFC 3339 UTC; empty while it runs or after a crash
    std::int64_t duration_ms = 0;
    std::string applied_by{};  ///< the database role (current_user)
    std::string client_host{}; ///< the host migsafe ran on
    std::string client_user{}; ///< the operating-system user migsafe ran as
    std::string migsafe_version{};
    std::string run_id{};           ///< one id per `migsafe apply` run
    int attempts = 1;               ///< transaction attempts (retries after lock timeouts + 1)
    std::string snapshot_id{};      ///< the snapshot taken or checked before it, if any
    std::string integrity_before{}; ///< JSON: {table: {rows, checksum}} of touched tables
    std::string integrity_after{};  ///< JSON, same form, after the migration
    std::string objects_before{};   ///< JSON: the touched objects as they were before
    std::string backfill{};         ///< JSON: the backfill checkpoint (backfill migrations)
    std::string error{};            ///< the last failure's message, if any
    /// JSON, adopted rows only: the tool, its history table and its row as it was read
    /// (`{"tool": "prisma", "table": "public._prisma_migrations", "row": {...}}`).
    std::string provenance{};

    /// True for `applied` and `adopted`: the migration is in the database.
    bool is_applied() const noexcept
    {
        return status == HistoryStatus::applied || status == HistoryStatus::adopted;
    }
};

/// Every row of the history, ordered by version (model::Version's order). Returns nothing when the
/// schema or the table does not exist yet; never creates or changes anything (status and dry runs
/// use it). Throws the errors of `Session::query`, and `apply-history-invalid` when the table
/// exists with columns this migsafe does not know.
MIGSAFE_API std::vector<HistoryEntry> read_history(platform::Session& session);

} // namespace migsafe::workflow
