#pragma once

/// The batched backfill engine: runs a migration's single UPDATE in many short
/// transactions, one key range each, resumable from a checkpoint (docs/backfill.md).

#include <migsafe/backfill/duty_cycle.hpp>
#include <migsafe/export.hpp>
#include <migsafe/model/directive.hpp>
#include <migsafe/model/migration.hpp>
#include <migsafe/model/statement.hpp>
#include <migsafe/platform/session.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::backfill {

/// What to run. `job_for` fills it from a migration; fields can be changed afterwards
/// (e.g. the runner's `--lock-timeout`).
struct Job {
    model::RelationName table{}; ///< the UPDATE's target
    std::string alias{};         ///< the UPDATE's alias of the target, empty when none
    /// The column batches are cut on: NOT NULL and indexed (typically the primary key).
    /// Unique is best (batches then hold exactly `batch_size` keys), but not required.
    std::string key{};
    std::string update_sql{}; ///< the migration's single UPDATE statement, as written
    /// SET / RESET statements written before the UPDATE, run as written at the start of
    /// every batch's transaction (before migsafe's own timeouts, which therefore win).
    std::vector<std::string> before_sql{};
    /// SET / RESET statements written after the UPDATE, run after it in every batch.
    std::vector<std::string> after_sql{};
    int batch_size = 1000; ///< initial rows (keys) per batch, > 0
    /// The least sleep between batches (the directive's `pause=`): the duty cycle may
    /// sleep longer, never shorter.
    std::chrono::milliseconds pause{0};
    /// How the pause grows with the batch's duration and the server's load
    /// (`duty_cycle.hpp`; `Adaptive::off`: exactly `pause`).
    DutyCycleSettings duty_cycle{};
    /// The batch size adapts towards this (0: the size stays fixed).
    std::chrono::milliseconds target_batch_time{200};
    std::chrono::milliseconds lock_timeout{5000};   ///< SET LOCAL lock_timeout in every batch
    std::chrono::milliseconds statement_timeout{0}; ///< SET LOCAL statement_timeout (0: none)
    /// Retries per batch on 55P03 / 40001 / 40P01, with jittered exponential backoff.
    int retries = 5;
    /// The first retry's backoff; each further retry doubles it (at most 10 s), and each
    /// wait is jittered between half and all of it.
    std::chrono::milliseconds retry_backoff{100};
    /// Where the UPDATE is, for messages and logs.
    std::string file{};
    int line = 0;
};

/// Where a backfill is: persisted by the caller after every batch (through
/// `Options::on_batch`, in the batch's own transaction) and given back to `run` to resume.
struct Checkpoint {
    /// The largest key when the backfill started: the fixed end of the key range, so that
    /// rows inserted later never extend it (nullopt: the table was empty).
    std::optional<std::string> upper_key{};
    /// The smallest key when the backfill started (only for progress estimates).
    std::optional<std::string> lower_key{};
    /// The last key done: the exclusive lower bound of the next batch (nullopt: nothing
    /// done yet).
    std::optional<std::string> after_key{};
    std::int64_t rows_done = 0;    ///< rows updated by committed batches
    std::int64_t batches_done = 0; ///< committed batches
    int batch_size = 0;            ///< the adapted size of the next batch (0: the job's)
    bool finished = false;         ///< the whole key range is done

    /// A stable JSON object (keys sorted, `schema_version` 1). Keys are JSON strings.
    std::string to_json() const;
    /// Reads `to_json`'s form. Throws `backfill-checkpoint-malformed` (not JSON, a field
    /// missing or of the wrong type, a negative count, another schema_version).
    static Checkpoint from_json(std::string_view json);

    friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

/// How far a run has come; passed to `Options::progress` after each committed batch.
struct Progress {
    std::int64_t rows_done;    ///< rows updated so far (all runs of this backfill)
    std::int64_t batches_done; ///< batches committed so far (all runs)
    double rows_per_second;    ///< rows updated per second in this run
    /// Share of the key range done, 0..1: known for integer keys only.
    std::optional<double> fraction;
    std::optional<std::chrono::milliseconds> eta; ///< time left at this run's pace
    /// The pause before the next batch (0 after the last) and why it is that long.
    std::chrono::milliseconds pause{0};
    PauseReason pause_reason = PauseReason::floor;
    double load = 0; ///< the smoothed server load the pause was chosen for (0: not sampled)
};

/// Hooks into a run.
struct Options {
    /// Called inside each batch's transaction, after the batch's UPDATE and before COMMIT,
    /// with the checkpoint the batch leads to, so that the caller's checkpoint write commits
    /// atomically with the batch (or not at all). An exception rolls the batch back and
    /// leaves `run` (a `migsafe::Error` as is; anything else is not caught).
    std::function<void(platform::Session&, const Checkpoint&)> on_batch{};
    /// Called after each committed batch. An exception leaves `run` as is (the batch stays
    /// committed): `migsafe rehearse` stops a run there as a kill would.
    std::function<void(const Progress&)> progress{};
};

/// What a run did.
struct Result {
    Checkpoint checkpoint{};       ///< the last committed checkpoint
    std::int64_t rows_updated = 0; ///< rows updated by this run
    std::int64_t batches = 0;      ///< batches committed by this run
    int retries = 0;               ///< batch retries in this run
    std::chrono::milliseconds elapsed{0};
    /// The run stopped early because of SIGINT / SIGTERM (`platform::interrupt`); resume
    /// from `checkpoint`.
    bool interrupted = false;
};

/// The job of a backfill migration. `file`'s statements (parsed from its text when the
/// file was loaded without them) must be exactly one UPDATE, with SET / RESET statements
/// around it allowed. `settings` come from `-- migsafe:backfill key=.. batch=.. pause=..`;
/// nullptr (or an empty key) means defaults with the key read from the catalog through
/// `session`: the table's single-column primary key.
/// Throws `backfill-invalid` naming file:line (no UPDATE, another statement, more than one
/// UPDATE, a DELETE, an unknown table, no primary key or a composite one without `key=`, a
/// key column that does not exist, is nullable or is set by the UPDATE, a batch size that is
/// not positive), `sql-syntax`, and the errors of
/// `platform::Session`. Logs a warning when no index starts with the key (every batch then
/// scans the table). Cost: two catalog queries.
MIGSAFE_API Job job_for(const model::MigrationFile& file, const model::BackfillSettings* settings,
                        platform::Session& session);

/// Reads the fixed upper key (the largest key) and the lower key and returns the first
/// checkpoint. Runs outside any transaction of its own. Throws the errors of
/// `platform::Session`. Cost: two index probes.
MIGSAFE_API Checkpoint start(platform::Session& session, const Job& job);

/// Runs batches from `from` until the key range is done (or a SIGINT / SIGTERM arrives;
/// see `Result::interrupted`). Each batch is its own short transaction: SET LOCAL
/// lock_timeout / statement_timeout; the batch's end key by keyset (`key > after AND
/// key <= upper ORDER BY key OFFSET size-1 LIMIT 1`, else the upper key); the UPDATE
/// with `<alias or table>.<key> > after AND <...>.<key> <= end` AND-ed into its WHERE; the
/// `on_batch` hook; COMMIT. Then one `sample_load` (unless the duty cycle is off), and the
/// `DutyCycle` sets the next batch size (towards `target_batch_time`, between half and
/// double, 1 to 1,000,000) and the pause, which is slept: at least `pause`, more on a
/// loaded server, at most max(`pause`, `duty_cycle.max_pause`). Always terminates
/// under concurrent inserts, since the upper key is fixed. A batch that fails with
/// `db-lock-timeout`, `db-serialization-failure` or `db-deadlock` is retried up to
/// `job.retries` times with jittered exponential backoff; then that error is rethrown,
/// its message naming the batch. Other errors are rethrown as they are. Either way, the
/// batches committed before stay committed: resume from the last checkpoint `on_batch`
/// saw committed. Cost: per batch, one index range read, the UPDATE of its rows and one
/// read of pg_stat_activity.
MIGSAFE_API Result run(platform::Session& session, const Job& job, Checkpoint from,
                       const Options& options = {});

} // namespace migsafe::backfill
