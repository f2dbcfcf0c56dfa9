#pragma once

/// The plan report: per statement, the locks it takes, the relations it rewrites or scans,
/// its phase and its findings; and the verdict a CI gate reads. A plain value type with a
/// stable JSON form (docs/plan.md).

#include <migsafe/export.hpp>
#include <migsafe/plan/rule.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::plan {

/// A table-level lock mode, weakest first.
enum class LockMode {
    access_share,
    row_share,
    row_exclusive,
    share_update_exclusive,
    share,
    share_row_exclusive,
    exclusive,
    access_exclusive,
};

/// The mode as pg_locks names it: `AccessShareLock` ... `AccessExclusiveLock`.
MIGSAFE_API std::string_view to_string(LockMode mode) noexcept;

/// Reads a pg_locks mode name; nullopt for anything else.
MIGSAFE_API std::optional<LockMode> parse_lock_mode(std::string_view text) noexcept;

/// What other sessions cannot do while `mode` is held: `reads and writes`, `writes`,
/// `DDL, VACUUM and ANALYZE`, or `nothing (only ACCESS EXCLUSIVE)` for the weak modes.
MIGSAFE_API std::string_view blocked_traffic(LockMode mode) noexcept;

/// True when `mode` blocks ordinary writes (ShareLock and stronger, but not SUE).
MIGSAFE_API bool blocks_writes(LockMode mode) noexcept;

/// One lock taken by a statement.
struct Lock {
    std::string relation{}; ///< schema-qualified, e.g. `public.professionals`
    LockMode mode = LockMode::access_share;
    friend bool operator==(const Lock&, const Lock&) = default;
};

/// Where a statement belongs in the expand -> backfill -> contract sequence (ARCHITECTURE.md).
enum class Phase {
    expand,   ///< adds shape: tables, nullable columns, indexes, NOT VALID constraints
    backfill, ///< moves data: UPDATE, INSERT ... SELECT, DELETE
    contract, ///< removes or tightens shape: DROP, RENAME, SET NOT NULL, VALIDATE
    none,     ///< no schema effect: SET, BEGIN/COMMIT, SELECT
};

/// `expand`, `backfill`, `contract` or `none`.
MIGSAFE_API std::string_view to_string(Phase phase) noexcept;

/// Reads a phase name; nullopt for anything else.
MIGSAFE_API std::optional<Phase> parse_phase(std::string_view text) noexcept;

/// One rule that matched a statement.
struct Finding {
    std::string rule{}; ///< rule id, e.g. `MS-IDX-01`
    Severity severity = Severity::error;
    std::string message{};        ///< names the object, the lock and what it blocks
    std::string fix{};            ///< safe SQL or steps; empty when there is none
    bool allowed = false;         ///< suppressed by `-- migsafe:allow RULE reason`
    std::string allowed_reason{}; ///< the directive's reason
    friend bool operator==(const Finding&, const Finding&) = default;
};

/// The plan of one statement.
struct StatementPlan {
    std::string file{};
    int line = 0;   ///< 1-based
    int column = 0; ///< 1-based
    std::string sql{};
    std::string kind{}; ///< model::StatementKind name: `create_index`, `alter_table`, ...
    std::vector<Lock> locks{};
    std::vector<std::string> rewrites{}; ///< schema-qualified relations rewritten
    std::vector<std::string> scans{};    ///< schema-qualified relations read in full
    Phase phase = Phase::none;
    std::vector<Finding> findings{};
    friend bool operator==(const StatementPlan&, const StatementPlan&) = default;
};

/// Pass or fail, for the CI gate (exit 0 or 1).
enum class Verdict { pass, fail };

/// `pass` or `fail`.
MIGSAFE_API std::string_view to_string(Verdict verdict) noexcept;

/// Findings by severity; allowed findings are counted apart, not by severity.
struct Counts {
    int statements = 0;
    int errors = 0;
    int warnings = 0;
    int infos = 0;
    int allowed = 0;
    friend bool operator==(const Counts&, const Counts&) = default;
};

/// The result of `analyze()`.
struct PlanReport {
    /// Version of the JSON form; bumped on any incompatible change.
    static constexpr int k_schema_version = 1;

    int pg_version = 15;                ///< the PostgreSQL major version planned for
    Severity fail_on = Severity::error; ///< lowest severity that fails the verdict
    std::vector<StatementPlan> statements{};
    Verdict verdict = Verdict::pass;
    Counts counts{};

    /// The JSON form (docs/plan.md): `schema_version`, `pg_version`, `fail_on`, `verdict`,
    /// `counts` and `statements`, each with `file`, `line`, `column`, `sql`, `kind`,
    /// `locks` [{relation, mode}], `rewrites`, `scans`, `phase` and `findings`
    /// [{rule, severity, message, fix, allowed, allowed_reason}]. Pretty-printed.
    MIGSAFE_API std::string to_json() const;

    /// Reads the JSON form back. Throws `plan-report-malformed` on a bad document or an
    /// unknown schema_version.
    MIGSAFE_API static PlanReport from_json(std::string_view json);

    friend bool operator==(const PlanReport&, const PlanReport&) = default;
};

/// How two plans of the same statements differ (e.g. the static plan against a trace, or
/// two versions of migsafe): one line per difference, `file:line: what: left -> right`,
/// comparing locks, rewrites, scans, phase and the set of open rule ids. Statements are
/// matched by position; a different count is one line. Empty when they agree.
MIGSAFE_API std::vector<std::string> diff(const PlanReport& left, const PlanReport& right);

/// Recomputes `counts` and `verdict` from the findings: fail when a finding at or above
/// `report.fail_on` is not allowed.
MIGSAFE_API void settle_verdict(PlanReport& report);

} // namespace migsafe::plan
