// Backfill migrations: the batched engine (backfill/backfill.hpp) with its checkpoint kept
// in migsafe.history, committed with each batch, so a killed run resumes where it stopped.
#include "model/version_format.hpp"
#include "platform/logging.hpp"
#include "workflow/apply_internal.hpp"
#include "workflow/history_store.hpp"

#include <migsafe/backfill/backfill.hpp>
#include <migsafe/platform/duration.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/interrupt.hpp>
#include <migsafe/platform/transaction.hpp>

#include <fmt/format.h>

namespace migsafe::workflow::detail {
namespace {

using Clock = std::chrono::steady_clock;

std::string progress_line(const backfill::Progress& p)
{
    std::string line = fmt::format("backfill: {} rows in {} batches, {:.0f} rows/s", p.rows_done,
                                   p.batches_done, p.rows_per_second);
    if (p.fraction) {
        line += fmt::format(", {:.0f}%", *p.fraction * 100);
    }
    if (p.eta) {
        line += ", ETA " + format_duration(*p.eta);
    }
    if (p.pause.count() > 0) {
        line += fmt::format(", pause {} ms ({}, load {:.1f})", p.pause.count(),
                            backfill::to_string(p.pause_reason), p.load);
    }
    return line;
}

} // namespace

void run_backfill(const Run& run, const Pending& pending, HistoryEntry& entry, MigrationRun& out)
{
    auto& session = run.session;
    const auto& up = pending.migration->up;
    const model::Version& version = pending.migration->version;
    auto job =
        backfill::job_for(up, up.directives.backfill ? &*up.directives.backfill : nullptr, session);
    job.lock_timeout = run.options.lock_timeout;
    job.statement_timeout = run.options.statement_timeout;
    job.target_batch_time = run.options.backfill_batch_time;
    job.retries = run.options.retries;
    job.retry_backoff = run.options.retry_pause;

    const bool resuming = !entry.backfill.empty();
    backfill::Checkpoint from =
        resuming ? backfill::Checkpoint::from_json(entry.backfill) : backfill::start(session, job);
    if (resuming) {
        run.say(version,
                fmt::format("resuming the backfill after key {} ({} rows in {} batches "
                            "done before)",
                            from.after_key.value_or("(start)"), from.rows_done, from.batches_done));
    }
    // The fixed upper key is committed before the first batch: a rerun keeps it.
    entry.backfill = from.to_json();
    entry.status = HistoryStatus::partial;
    entry.statements_applied = 0;
    record(session, entry, false);

    std::int64_t committed = 0;
    auto last_said = Clock::now();
    backfill::Options options;
    options.on_batch = [version](platform::Session& batch_session,
                                 const backfill::Checkpoint& checkpoint) {
        record_checkpoint(batch_session, version, checkpoint.to_json());
    };
    options.progress = [&](const backfill::Progress& progress) {
        ++committed;
        if (run.options.abandon_after && committed == *run.options.abandon_after) {
            throw Abandoned{.after = fmt::format("batch {}", progress.batches_done)};
        }
        if (Clock::now() - last_said >= std::chrono::seconds(2)) {
            last_said = Clock::now();
            run.say(version, progress_line(progress));
        }
    };
    const auto start = Clock::now();
    backfill::Result result;
    try {
        result = backfill::run(session, job, from, options);
    } catch (const Error& error) {
        const bool nothing_done = committed == 0 && !resuming;
        std::string message = interrupt::requested()
                                  ? fmt::format("the backfill was interrupted by {} ({})",
                                                interrupt::signal_name(), error.message())
                                  : fmt::format("the backfill stopped: {}", error.message());
        if (nothing_done) {
            entry.status = HistoryStatus::failed;
            entry.backfill.clear();
            entry.error = fmt::format("{}:{}: {}", up.relative_path, job.line, message);
            record(session, entry, true);
            throw Error(
                error.code() == "db-lock-timeout" ? "apply-lock-timeout" : "apply-migration-failed",
                message + "; no batch was committed (the database is as before it)",
                {.file = up.relative_path, .line = job.line, .sqlstate = error.context().sqlstate});
        }
        record_status(session, version, HistoryStatus::partial,
                      fmt::format("{}:{}: {}", up.relative_path, job.line, message));
        throw Error(
            "apply-partial",
            fmt::format("{}; the batches done are committed and checkpointed: {}", message,
                        run.resume_sentence()),
            {.file = up.relative_path, .line = job.line, .sqlstate = error.context().sqlstate});
    }
    if (result.interrupted) {
        record_status(session, version, HistoryStatus::partial, "interrupted");
        throw Error("apply-partial",
                    fmt::format("{}: the backfill was interrupted after {} rows; {}",
                                up.relative_path, result.checkpoint.rows_done,
                                run.resume_sentence()),
                    {.file = up.relative_path, .line = job.line});
    }
    entry.status = HistoryStatus::applied;
    entry.statements_applied = entry.statements_total;
    entry.backfill = result.checkpoint.to_json();
    entry.attempts = 1 + result.retries;
    entry.duration_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    {
        platform::Transaction transaction(session);
        record_applied(run, pending, entry);
        transaction.commit();
    }
    out.attempts = entry.attempts;
    out.backfill_rows = result.checkpoint.rows_done;
    out.backfill_batches = result.checkpoint.batches_done;
    run.say(version, fmt::format("backfill done: {} rows in {} batches", out.backfill_rows,
                                 out.backfill_batches));
}

} // namespace migsafe::workflow::detail
