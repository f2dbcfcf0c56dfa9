#pragma once

/// `migsafe apply`: runs the pending migrations of a set against a database, one runner at
/// a time, with a history, bounded lock waits, phases, resumable no-transaction files and
/// batched backfills, a snapshot before risky migrations and integrity checks around them.
/// The guarantees and the history's columns are in docs/apply.md.

#include <migsafe/export.hpp>
#include <migsafe/model/migration_set.hpp>
#include <migsafe/plan/report.hpp>
#include <migsafe/platform/session.hpp>
#include <migsafe/workflow/adopt.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::workflow {

/// Which migrations a run may apply (`--phase`).
enum class PhaseFilter {
    all,      ///< every pending migration (a contract still waits for a later run when it
              ///< contracts a table that this run expanded)
    expand,   ///< expand and backfill migrations, up to the first contract one
    contract, ///< contract migrations, up to the first expand or backfill one
};

/// `all`, `expand` or `contract`.
MIGSAFE_API std::string_view to_string(PhaseFilter filter) noexcept;
/// Reads a filter name; nullopt for anything else.
MIGSAFE_API std::optional<PhaseFilter> parse_phase_filter(std::string_view text) noexcept;

/// What to do about a snapshot before risky migrations (destructive statements or
/// error-level findings).
enum class SnapshotPolicy {
    require, ///< a verified snapshot of this database, younger than max_snapshot_age, must
             ///< be in `store`; else the run is refused before anything is applied
    take,    ///< take one into `store` (reusing one younger than max_snapshot_age)
    skip,    ///< go without (`--no-snapshot`): said in the report and the log
};

/// A line of progress for people (stderr on a terminal).
struct ApplyEvent {
    model::Version version;
    std::string message{};
};

/// How to run. Fill with designated initializers.
struct ApplyOptions {
    std::optional<model::Version> to{}; ///< stop after this version (`--to`)
    PhaseFilter phase = PhaseFilter::all;
    bool dry_run = false;      ///< say what would run; never write, never take the lock
    bool out_of_order = false; ///< apply pending migrations older than the newest applied
    /// How long to wait for another runner's lock before giving up (exit 3).
    std::chrono::milliseconds wait{std::chrono::minutes(5)};
    /// lock_timeout of every migration transaction and backfill batch.
    std::chrono::milliseconds lock_timeout{std::chrono::seconds(5)};
    /// statement_timeout of every statement (0: none).
    std::chrono::milliseconds statement_timeout{0};
    /// lock_timeout of CONCURRENTLY statements, which wait for every older transaction.
    std::chrono::milliseconds concurrently_timeout{std::chrono::minutes(30)};
    /// Attempts after the first, on lock timeout, deadlock or serialization failure.
    int retries = 3;
    /// First pause between attempts; doubled each time, jittered, at most 30 s.
    std::chrono::milliseconds retry_pause{std::chrono::milliseconds(500)};
    std::filesystem::path store{}; ///< snapshot store (`--store`)
    SnapshotPolicy snapshot = SnapshotPolicy::require;
    std::chrono::milliseconds max_snapshot_age{std::chrono::hours(24)};
    /// Integrity reports before and after each risky migration (`--no-verify` turns off).
    bool verify = true;
    /// Backfill batches adapt their size towards this duration.
    std::chrono::milliseconds backfill_batch_time{std::chrono::milliseconds(200)};
    /// The command that resumes this run, for the message of a partial failure (the CLI
    /// passes its own command line, password masked). Empty: a generic sentence.
    std::string resume_command{};
    /// Progress lines; called on the runner's thread. Must not throw.
    std::function<void(const ApplyEvent&)> progress{};
    /// Living beside another runner (`--keep-history TOOL`): its lock is held for the run
    /// and its own history row is written with each migration's, in the same transaction,
    /// so that the tool still agrees (docs/adopt.md).
    std::optional<ConfiguredRunner> keep_history{};

    // ---- for `migsafe rehearse` and tests (docs/rehearse.md)

    /// The plan of the whole set, made once by a caller that applies it one migration at a
    /// time (every migration its own release: `plan::analyze_releases(set, nullopt)`);
    /// null: each run plans the migrations it may apply.
    const plan::PlanReport* plan = nullptr;
    /// Called on the runner's session inside each transactional migration's transaction,
    /// after its last statement and before the commit (its locks are still held). May
    /// throw: the migration then fails and rolls back.
    std::function<void(platform::Session&, const model::Version&)> before_commit{};
    /// The run stops as a killed runner would once this many statements of a
    /// no-transaction migration, or batches of a backfill, have committed in this run:
    /// nothing more is run or recorded, and apply throws `apply-abandoned`. Nullopt: never.
    std::optional<int> abandon_after{};
    /// The database is a scratch copy (a rehearsal's): going on without a snapshot is said
    /// at info level, not as a warning on every run, and the cut-over gate is not judged
    /// (a scratch copy's flags are not the deployment's).
    bool scratch = false;
    /// The time the cut-over gate judges flags at (`-- migsafe:requires-flag`); nullopt:
    /// the clock. For tests and `migsafe demo`.
    std::optional<std::chrono::system_clock::time_point> now{};
};

/// What happened to one migration in a run.
enum class Outcome {
    applied,     ///< ran and committed in this run
    resumed,     ///< a partial migration finished in this run
    would_apply, ///< dry run: it would run
    held,        ///< not run: the phase filter, `--to` or the contract rule stopped here
};

/// `applied`, `resumed`, `would-apply`, `held`.
MIGSAFE_API std::string_view to_string(Outcome outcome) noexcept;

/// One statement of a dry run.
struct PlannedStatement {
    int line = 0;
    std::string sql{}; ///< first line, shortened
    std::vector<plan::Lock> locks{};
    double estimated_seconds = 0; ///< from table sizes (0: small or unknown)
    bool runs_outside_transaction = false;
};

/// One migration of the run's report.
struct MigrationRun {
    model::Version version;
    std::string name{};
    std::string file{};
    std::string phase{};
    bool transactional = true;
    bool backfill = false;
    bool risky = false; ///< destructive statements or error-level findings
    Outcome outcome = Outcome::held;
    std::string reason{}; ///< why it was held
    int statements_applied = 0;
    int statements_total = 0;
    int attempts = 0;
    std::int64_t duration_ms = 0;
    std::int64_t backfill_rows = 0;
    std::int64_t backfill_batches = 0;
    std::vector<std::string> untouched_changed{}; ///< tables it did not touch that changed
    std::vector<PlannedStatement> statements{};   ///< dry run only
};

/// The report of one run.
struct ApplyReport {
    static constexpr int k_schema_version = 1;
    std::string run_id{};
    std::string database{}; ///< the conninfo, password masked
    bool dry_run = false;
    std::string phase{};                    ///< the filter
    std::string snapshot_id{};              ///< the snapshot taken or found before risky migrations
    std::string snapshot_policy{};          ///< require, take or skip
    std::vector<MigrationRun> migrations{}; ///< those run or considered, in order
    std::vector<std::string> problems{};    ///< drift, missing files, order, verification
    plan::Verdict verdict = plan::Verdict::pass;
    int applied = 0;               ///< applied or resumed in this run
    int pending_after = 0;         ///< still pending after the run
    std::int64_t lock_wait_ms = 0; ///< waited for another runner's lock
    std::int64_t duration_ms = 0;

    /// The JSON form (docs/json.md).
    MIGSAFE_API std::string to_json(int indent = 2) const;
};

/// Applies the pending migrations of `set` (loaded with statements parsed) to `conninfo`.
/// Refuses before anything runs (verdict fail, exit 1): an applied file that changed, a
/// partial file whose already-run statements changed, an applied version without a file,
/// a pending version older than the newest applied one (unless `out_of_order`), a risky
/// migration without the snapshot the policy requires, a migration whose required flag is
/// not fully on for long enough (the cut-over gate, docs/flags.md; a dry run says so too). The
/// set's migsafe.sum must agree
/// (`sum-*` errors, exit 2). Other failures throw `migsafe::Error`:
/// `apply-lock-busy` (exit 3), `apply-lock-timeout` (exit 3, naming the session holding
/// the lock, after `retries`), `apply-migration-failed` (exit 4: that migration rolled
/// back, earlier ones stay applied), `apply-partial` (exit 5: a no-transaction file or a
/// backfill stopped part-way; a rerun resumes), `apply-transaction-control` (exit 2),
/// `db-connect-failed`, `db-connection-lost`, and `apply-abandoned` (`abandon_after`).
MIGSAFE_API ApplyReport apply(const std::string& conninfo, const model::MigrationSet& set,
                              const ApplyOptions& options = {});

/// The same run on `session`, a connection the caller keeps open (`migsafe rehearse`
/// runs many migrations on one database): the runner lock is held on it for the run, and
/// it keeps the runner's session settings afterwards. `conninfo` names the same database, for what
/// opens its own sessions (the snapshot, the integrity scans, the catalog of a dry run).
MIGSAFE_API ApplyReport apply(platform::Session& session, const std::string& conninfo,
                              const model::MigrationSet& set, const ApplyOptions& options = {});

} // namespace migsafe::workflow
