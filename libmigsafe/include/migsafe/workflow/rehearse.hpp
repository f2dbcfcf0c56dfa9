#pragma once

/// `migsafe rehearse`: proves on a scratch server that every migration of a set applies,
/// rolls back (with its down file and with migsafe's compensation), applies again, and
/// survives an interruption, comparing the schema and the data after each step with the
/// state before it. The report and its verdict are explained in docs/rehearse.md.

#include <migsafe/compensate/compensate.hpp>
#include <migsafe/export.hpp>
#include <migsafe/model/migration_set.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::workflow {

/// How one step of a migration's rehearsal ended.
enum class StepStatus {
    ok,             ///< ran, and the state after it is the one expected
    failed,         ///< a statement failed, or the schema after it is not the one expected
    lossy,          ///< the schema came back, but data the step's input held is gone (named)
    missing,        ///< no down file (the layout has none, or this migration lacks one)
    manual,         ///< the compensation has steps a person must write
    skipped,        ///< not run: an earlier step failed, or the option turned it off
    not_applicable, ///< the step does not apply (interruption of a transactional file)
};

/// `ok`, `failed`, `lossy`, `missing`, `manual`, `skipped`, `not-applicable`.
MIGSAFE_API std::string_view to_string(StepStatus status) noexcept;

/// Data a rollback destroyed: a table, or a column of one, that held values before it.
struct DataLoss {
    std::string table{};    ///< schema-qualified
    std::string column{};   ///< empty: the whole table
    std::uint64_t rows = 0; ///< rows (for a column: rows with a non-null value) lost
    /// Where the data is kept when the rollback archived it (`migsafe_archive.t__c__0007`);
    /// empty: nowhere, it is gone.
    std::string archive{};
    /// The rollback says it loses this: a down file whose destroying statement carries an
    /// `-- migsafe:allow` of the rule that flags it, or a compensation step marked
    /// needs-snapshot. A declared loss fails only under FailOn::lossy.
    bool declared = false;
    /// The rows are still there, with other values than before the migration (an UPDATE
    /// the rollback did not undo): `rows` is how many the table holds.
    bool changed = false;

    friend bool operator==(const DataLoss&, const DataLoss&) = default;
    /// `column public.t.c: 10000 non-null values lost (not archived)`.
    MIGSAFE_API std::string describe() const;
};

/// One step (up, down, compensation, redo) of one migration.
struct StepResult {
    StepStatus status = StepStatus::skipped;
    std::int64_t duration_ms = 0;
    std::string file{}; ///< the file it ran (relative to the set), when it ran one
    /// The first failing statement: where and PostgreSQL's message. Empty when none failed.
    int error_line = 0;
    std::string error{};
    /// What the state after the step lacks or has extra compared with the one expected,
    /// one line each (`index public.reviews_idx missing`). Only failures.
    std::vector<std::string> differences{};
    /// Differences that do not fail the step (a sequence's position, a column's order).
    std::vector<std::string> notes{};
    std::vector<DataLoss> losses{}; ///< data destroyed by a rollback step
    std::string reason{};           ///< why skipped, missing or manual

    friend bool operator==(const StepResult&, const StepResult&) = default;
};

/// The strongest lock a table saw while a migration's up ran.
struct TableLock {
    std::string table{}; ///< schema-qualified
    std::string mode{};  ///< `AccessExclusiveLock`, ...
    /// `observed` (read from pg_locks before the commit) or `planned` (from the plan:
    /// statements outside a transaction commit one by one and cannot be observed).
    std::string source{};

    friend bool operator==(const TableLock&, const TableLock&) = default;
};

/// One interruption: the runner stopped after `boundary` statements or batches, then ran
/// again to completion (`resume`), and, on a copy of the interrupted state, rolled back
/// (`rollback`).
struct Interruption {
    int boundary = 0;    ///< statements (or backfill batches) done when it stopped
    std::string after{}; ///< what ran last: `statement at line 4` or `batch 2`
    StepResult resume{};
    StepResult rollback{};

    friend bool operator==(const Interruption&, const Interruption&) = default;
};

/// The rehearsal of one migration.
struct MigrationRehearsal {
    model::Version version;
    std::string name{};
    std::string file{};
    bool transactional = true;
    bool backfill = false;
    StepResult up{};
    StepResult down{};
    StepResult compensation{};
    StepResult redo{};
    std::vector<TableLock> locks{};
    /// `ok`, `failed` (some interruption's resume or rollback failed), `not-applicable`
    /// (a transactional migration without backfill) or `skipped`.
    StepStatus interrupt = StepStatus::not_applicable;
    std::vector<Interruption> interruptions{};
    /// Flags to switch off before rolling this migration back in earnest: its
    /// `-- migsafe:requires-flag` directives (the rehearsal's scratch copy has no flags).
    std::vector<compensate::FlagToSwitchOff> switch_off_first{};

    friend bool operator==(const MigrationRehearsal&, const MigrationRehearsal&) = default;
};

/// What makes a rehearsal fail (exit 1), besides a failed step.
enum class FailOn {
    failure, ///< a step failed (a rollback that errs or leaves another schema), or a
             ///< rollback lost data it does not say it loses (a down file; the
             ///< compensation says what it loses, so its losses never fail)
    lossy,   ///< also every lossy rollback
};

/// The report of a rehearsal.
struct RehearseReport {
    static constexpr int k_schema_version = 1;
    std::string server{}; ///< `ephemeral (PostgreSQL 15.x)` or the conninfo, password masked
    std::string from{};   ///< the first version rehearsed
    std::string
        start{}; ///< how the start state was made: `migrations before 0004, 100 rows per table`
    std::vector<MigrationRehearsal> migrations{}; ///< in order, up to where it stopped
    /// Set when the rehearsal stopped early: a migration failed on up (its step says
    /// where), or it was interrupted.
    std::string stopped{};
    FailOn fail_on = FailOn::failure;
    std::int64_t duration_ms = 0;

    /// Whether the verdict fails (exit 1) under `fail_on`.
    MIGSAFE_API bool failed() const;
    /// The text form: one line per migration, then the details of what did not pass.
    MIGSAFE_API std::string to_text() const;
    /// The JSON form (docs/json.md, "rehearse").
    MIGSAFE_API std::string to_json(int indent = 2) const;
    /// JUnit XML: one test suite per migration, one test case per step (up, down,
    /// compensation, redo, interrupt), failures with their message and details.
    MIGSAFE_API std::string to_junit() const;
};

/// A line of progress for people (stderr).
struct RehearseEvent {
    model::Version version;
    std::string message{};
};

/// How to rehearse. Fill with designated initializers.
struct RehearseOptions {
    /// The server to rehearse on: empty starts an ephemeral cluster (removed afterwards,
    /// also on SIGINT). Otherwise a scratch database on a server where the role may
    /// CREATE DATABASE: its content is the start state, copies are made beside it.
    std::string conninfo{};
    /// Rehearse from this version on; earlier migrations are applied first (start state).
    /// Empty: from the first migration.
    std::optional<model::Version> from{};
    /// Read the start schema from this database (read only) instead of applying the
    /// migrations before `from`.
    std::string schema_from{};
    /// Rows generated per empty table after the start state is made (0: none).
    int rows = 100;
    /// A SQL file run (psql) into the start state instead of generated rows.
    std::filesystem::path data_file{};
    /// `conninfo` names a database with another history: go on anyway.
    bool scratch_confirmed = false;
    /// Run the compensation of each migration too.
    bool compensation = true;
    /// Interrupt no-transaction and backfill migrations at each boundary.
    bool interrupt = true;
    /// At most this many interruption points per migration (evenly spread).
    int max_interruptions = 20;
    FailOn fail_on = FailOn::failure;
    /// lock_timeout of each step (nothing else runs on the scratch server).
    std::chrono::milliseconds lock_timeout{std::chrono::seconds(5)};
    std::function<void(const RehearseEvent&)> progress{};
};

/// Rehearses `set` (loaded with statements parsed; its migsafe.sum must agree). Never
/// throws for what a migration does (that is report data); throws `rehearse-not-scratch`
/// (exit 2: `conninfo` holds a deployed history), `rehearse-dirty` (a failed or partial
/// migration in the scratch database), `rehearse-data-failed`, `db-connect-failed`,
/// `binary-not-found`, `cluster-start-failed`, `rehearse-interrupted` (SIGINT; the
/// databases and the cluster it made are removed first). Cost: about four runs of each migration,
/// plus one database copy per migration (CREATE DATABASE ... TEMPLATE).
MIGSAFE_API RehearseReport rehearse(const model::MigrationSet& set,
                                    const RehearseOptions& options = {});

} // namespace migsafe::workflow
