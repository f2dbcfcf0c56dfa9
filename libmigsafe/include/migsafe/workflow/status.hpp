#pragma once

/// `migsafe status`: where each migration of a set stands against a database's history,
/// the way `flyway info` or `migrate version` would say it.

#include <migsafe/export.hpp>
#include <migsafe/model/migration_set.hpp>
#include <migsafe/workflow/adopt.hpp>
#include <migsafe/workflow/history.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::workflow {

/// Where one migration stands.
enum class MigrationState {
    applied,      ///< in the history as applied, and its file is unchanged
    pending,      ///< not applied yet (a failed attempt left nothing behind)
    partial,      ///< stopped part-way; a rerun resumes it
    drifted,      ///< applied, but its file changed since (refused by apply)
    missing_file, ///< applied, but no file has its version any more
    out_of_order, ///< pending, but older than the newest applied migration
};

/// `applied`, `pending`, `partial`, `drifted`, `missing-file`, `out-of-order`.
MIGSAFE_API std::string_view to_string(MigrationState state) noexcept;

/// One migration's line of the status.
struct MigrationStatus {
    model::Version version;
    std::string name{};
    std::string file{}; ///< relative to the set's directory (from the history when missing)
    MigrationState state = MigrationState::pending;
    std::string phase{};            ///< from the directive, else the history's (may be empty)
    std::string checksum{};         ///< the file's XXH3-128 now (empty: no file)
    std::string applied_checksum{}; ///< the history's (empty: never recorded)
    std::string applied_at{};       ///< RFC 3339 UTC, for applied migrations
    int statements_applied = 0;     ///< from the history
    int statements_total = 0;       ///< of the file as it is now (history's when missing)
    bool failed_before = false;     ///< the history records a failed attempt
    std::string detail{};           ///< one line for people: why it is in this state
};

/// The status of a whole set.
struct StatusReport {
    static constexpr int k_schema_version = 1;
    std::vector<MigrationStatus> migrations{}; ///< by version, history-only ones included
    std::optional<model::Version> current{};   ///< the newest applied version
    /// Other runners' histories with applied migrations migsafe.history does not cover
    /// (filled by `status`, not by the pure `compare_with_history`): run `migsafe adopt`.
    std::vector<UncoveredHistory> uncovered{};

    /// The line of `version`, or nullptr. Cost: a binary search (lines are by version).
    MIGSAFE_API const MigrationStatus* find(const model::Version& version) const noexcept;
    /// How many migrations are in `state`.
    MIGSAFE_API int count(MigrationState state) const noexcept;
    /// True when something needs a person: drifted, missing file, partial, out of order, or
    /// another runner's history to adopt.
    MIGSAFE_API bool needs_attention() const noexcept;
    /// The JSON form (docs/json.md): schema_version, current, counts, migrations[...].
    MIGSAFE_API std::string to_json(int indent = 2) const;
};

/// XXH3-128 of a migration file's text, as hex (the checksum of migsafe.sum and of the
/// history).
MIGSAFE_API std::string file_checksum(std::string_view text);

/// Compares `set` (loaded with statements parsed) with `history`. Pure: no database.
/// A partial migration whose already-run statements changed is `drifted`; a change to its
/// later statements (e.g. fixing the one that failed) is allowed.
MIGSAFE_API StatusReport compare_with_history(const model::MigrationSet& set,
                                              const std::vector<HistoryEntry>& history);

/// The migrations of `set` that `status` says are still to run (pending, partial or out of
/// order; not applied, drifted or missing), in version order.
MIGSAFE_API model::MigrationSet still_to_run(const model::MigrationSet& set,
                                             const StatusReport& status);

/// Connects to `conninfo`, reads `migsafe.history` (without creating it) and compares; also
/// looks for other runners' histories it does not cover (`uncovered`; `configured` is the
/// runner the project lives beside, if any). Throws `db-connect-failed` and the errors of
/// `read_history`.
MIGSAFE_API StatusReport status(const std::string& conninfo, const model::MigrationSet& set,
                                const std::optional<ConfiguredRunner>& configured = std::nullopt);

} // namespace migsafe::workflow
