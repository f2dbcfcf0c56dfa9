#pragma once

/// `migsafe check`: the pre-deploy gate. Before a release migrates a database, is it safe
/// to go? The migration set is intact (migsafe.sum), `apply` would go through (no drift,
/// no missing file, no order problem, the snapshot it needs is there, the flags its
/// contract migrations require are fully on for long enough), the pending
/// statements plan without an error, a verified snapshot of this database is fresh, it has
/// been restored in a drill recently, no other runner is at work, and the database is
/// healthy (workflow::health). Nothing is written.

#include <migsafe/export.hpp>
#include <migsafe/model/migration.hpp>
#include <migsafe/workflow/apply.hpp>
#include <migsafe/workflow/health.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::workflow {

/// How one item of the gate came out. Only `fail` fails the gate.
enum class CheckStatus { pass, warn, fail, skip };

/// `pass`, `warn`, `fail`, `skip`.
MIGSAFE_API std::string_view to_string(CheckStatus status) noexcept;

/// One item of the gate: `migrations`, `apply`, `plan`, `snapshot`, `drill`, `runner`,
/// `database` (docs/check.md).
struct CheckItem {
    std::string name{};
    CheckStatus status = CheckStatus::pass;
    std::string summary{};              ///< one line
    std::vector<std::string> details{}; ///< what failed or warned, one line each
};

/// What to check against. Fill it with designated initializers.
struct CheckOptions {
    std::filesystem::path store{}; ///< snapshot store (empty: snapshot and drill not checked)
    /// A snapshot older than this does not count (as for `apply`).
    std::chrono::milliseconds max_snapshot_age{std::chrono::hours(24)};
    /// A drill older than this is a warning.
    std::chrono::milliseconds max_drill_age{std::chrono::hours(24 * 7)};
    HealthOptions health{};
    /// The layout the directory must have (`--layout`); nullopt: any one.
    std::optional<model::Layout> layout{};
    /// The time the cut-over gate judges flags at (apply's dry run); nullopt: the clock.
    std::optional<std::chrono::system_clock::time_point> now{};
    /// The phase the deploy will apply (`apply --phase`): apply's dry run chooses with it,
    /// so a contract migration held for a later release (its cut-over flag still off, say)
    /// does not fail the gate of the expand step.
    PhaseFilter phase = PhaseFilter::all;
};

/// The gate's report.
struct CheckReport {
    static constexpr int k_schema_version = 1;
    std::string database{}; ///< current_database()
    std::vector<CheckItem> items{};

    /// True when no item failed.
    MIGSAFE_API bool passed() const noexcept;
    /// The JSON form (docs/json.md): schema_version, database, verdict, items[...].
    MIGSAFE_API std::string to_json() const;
    /// One line per item, its details under it, then the verdict.
    MIGSAFE_API std::string to_text() const;
};

/// Runs the gate for the migration directory `dir` against `conninfo`. Problems of the
/// set or the database are report items, not exceptions; throws `input-not-found` (no
/// such directory) and `db-connect-failed`.
MIGSAFE_API CheckReport check(const std::string& conninfo, const std::filesystem::path& dir,
                              const CheckOptions& options = {});

} // namespace migsafe::workflow
