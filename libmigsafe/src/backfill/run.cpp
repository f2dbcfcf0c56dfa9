// start and run: the batch loop. Every batch is one short transaction whose key range is
// (after_key, end_key]; the checkpoint handed to on_batch inside that transaction is what
// makes a crash at any moment resumable without redoing or skipping a batch.
#include "backfill/splice.hpp"
#include "platform/catalog/backfill_queries.hpp"
#include "platform/catalog/timeouts.hpp"
#include "platform/logging.hpp"

#include <migsafe/backfill/backfill.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/interrupt.hpp>
#include <migsafe/platform/transaction.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <random>
#include <thread>

namespace migsafe::backfill {
namespace {

namespace catalog = platform::catalog;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds k_max_backoff{10'000};
constexpr milliseconds k_sleep_slice{50};

std::string qualified_table(const Job& job)
{
    return platform::quote_ident(job.table.schema) + "." + platform::quote_ident(job.table.name);
}

milliseconds since(Clock::time_point start)
{
    return std::chrono::duration_cast<milliseconds>(Clock::now() - start);
}

// The statement of one batch: the migration's UPDATE restricted to its key range. The
// target is named by its alias, else by its bare name (as PostgreSQL names an unaliased
// target, whatever schema the UPDATE wrote).
std::string batch_sql(const Job& job, bool has_lower_bound)
{
    const auto column = platform::quote_ident(job.alias.empty() ? job.table.name : job.alias) +
                        "." + platform::quote_ident(job.key);
    const auto predicate =
        has_lower_bound ? column + " > $1 AND " + column + " <= $2" : column + " <= $1";
    return detail::splice_predicate(job.update_sql, predicate);
}

bool is_retryable(const Error& error)
{
    return error.code() == "db-lock-timeout" || error.code() == "db-serialization-failure" ||
           error.code() == "db-deadlock";
}

// Sleeps `duration` in slices, returning early (false) when an interrupt is requested.
bool sleep_unless_interrupted(milliseconds duration)
{
    const auto deadline = Clock::now() + duration;
    while (Clock::now() < deadline) {
        if (interrupt::requested()) {
            return false;
        }
        std::this_thread::sleep_for(
            std::min<Clock::duration>(k_sleep_slice, deadline - Clock::now()));
    }
    return !interrupt::requested();
}

std::optional<double> as_number(const std::optional<std::string>& text)
{
    if (!text) {
        return std::nullopt;
    }
    std::int64_t value = 0;
    const auto* end = text->data() + text->size();
    const auto [ptr, ec] = std::from_chars(text->data(), end, value);
    if (ec != std::errc() || ptr != end) {
        return std::nullopt;
    }
    return static_cast<double>(value);
}

// The share of the key range done: for integer keys only (other keys have no distance).
std::optional<double> fraction_done(const Checkpoint& checkpoint)
{
    if (checkpoint.finished) {
        return 1.0;
    }
    const auto lower = as_number(checkpoint.lower_key);
    const auto upper = as_number(checkpoint.upper_key);
    if (!lower || !upper || *upper < *lower) {
        return std::nullopt;
    }
    const auto after = checkpoint.after_key ? as_number(checkpoint.after_key) : *lower - 1;
    if (!after) {
        return std::nullopt;
    }
    return std::clamp((*after - *lower + 1) / (*upper - *lower + 1), 0.0, 1.0);
}

Progress progress_of(const Checkpoint& checkpoint, std::int64_t rows_this_run, milliseconds elapsed,
                     std::optional<double> fraction_at_start, const NextBatch& next)
{
    const double seconds = std::max(static_cast<double>(elapsed.count()) / 1000.0, 0.001);
    Progress progress{.rows_done = checkpoint.rows_done,
                      .batches_done = checkpoint.batches_done,
                      .rows_per_second = static_cast<double>(rows_this_run) / seconds,
                      .fraction = fraction_done(checkpoint),
                      .eta = std::nullopt,
                      .pause = checkpoint.finished ? milliseconds(0) : next.pause,
                      .pause_reason = next.reason,
                      .load = next.load};
    if (progress.fraction && fraction_at_start && *progress.fraction > *fraction_at_start) {
        const double rate = (*progress.fraction - *fraction_at_start) / seconds;
        progress.eta = milliseconds(std::llround((1.0 - *progress.fraction) / rate * 1000.0));
    }
    return progress;
}

// What one committed batch leads to.
struct BatchDone {
    Checkpoint checkpoint;
    milliseconds took; // the key probe and the UPDATE, not on_batch or COMMIT
    LoadSample load;
    NextBatch next; // the duty cycle's pause and size after it
};

// One attempt at one batch. The load is sampled inside the batch's transaction, while its
// row locks are held: a session queued behind them counts as waiting. The duty cycle runs
// before on_batch, so the adapted size commits with the checkpoint.
BatchDone run_batch(platform::Session& session, const Job& job, const Checkpoint& from, int size,
                    DutyCycle& duty_cycle, const Options& options)
{
    const auto started = Clock::now();
    platform::Transaction transaction(session);
    for (const auto& sql : job.before_sql) {
        session.exec(sql);
    }
    catalog::set_timeouts(session, catalog::SettingScope::transaction, job.lock_timeout,
                          job.statement_timeout);
    const auto& upper = *from.upper_key;
    const auto end = catalog::nth_key(session, qualified_table(job), platform::quote_ident(job.key),
                                      from.after_key, upper, size - 1)
                         .value_or(upper);
    platform::Params params;
    if (from.after_key) {
        params.emplace_back(*from.after_key);
    }
    params.emplace_back(end);
    const long rows = session.exec_params(batch_sql(job, from.after_key.has_value()), params);
    for (const auto& sql : job.after_sql) {
        session.exec(sql);
    }
    const auto took = since(started);
    const auto load = job.duty_cycle.adaptive == Adaptive::on ? sample_load(session) : LoadSample{};
    const auto pace = duty_cycle.next({.took = took, .keys = size, .load = load});
    Checkpoint next = from;
    next.after_key = end;
    next.rows_done += rows;
    next.batches_done += 1;
    next.batch_size = pace.keys;
    next.finished = end == upper;
    if (options.on_batch) {
        options.on_batch(session, next);
    }
    transaction.commit();
    return {.checkpoint = next, .took = took, .load = load, .next = pace};
}

} // namespace

Checkpoint start(platform::Session& session, const Job& job)
{
    const auto table = qualified_table(job);
    const auto key = platform::quote_ident(job.key);
    Checkpoint checkpoint;
    checkpoint.upper_key = catalog::edge_key(session, table, key, true);
    checkpoint.lower_key = catalog::edge_key(session, table, key, false);
    checkpoint.batch_size = job.batch_size;
    checkpoint.finished = !checkpoint.upper_key.has_value();
    migsafe::detail::log_info("backfill of {} on key {}: up to {}", job.table.qualified(), job.key,
                              checkpoint.upper_key.value_or("(empty table)"));
    return checkpoint;
}

Result run(platform::Session& session, const Job& job, Checkpoint from, const Options& options)
{
    const auto started = Clock::now();
    Result result;
    if (!from.upper_key) {
        from.finished = true;
    }
    if (from.batch_size <= 0) {
        from.batch_size = std::max(job.batch_size, 1);
    }
    result.checkpoint = from;
    const auto fraction_at_start = fraction_done(from);
    std::mt19937 random{std::random_device{}()};
    DutyCycle duty_cycle(job.duty_cycle, job.pause, job.target_batch_time);
    NextBatch pace{.pause = job.pause, .keys = from.batch_size};
    bool warned_hidden = false;
    while (!result.checkpoint.finished) {
        if (interrupt::requested()) {
            result.interrupted = true;
            break;
        }
        const int size = result.checkpoint.batch_size;
        for (int attempt = 0;; ++attempt) {
            try {
                const auto done =
                    run_batch(session, job, result.checkpoint, size, duty_cycle, options);
                const auto& next = done.checkpoint;
                pace = done.next;
                migsafe::detail::log_debug(
                    "backfill of {}: batch {} of {} keys updated {} rows in {} ms; {} active "
                    "and {} waiting sessions (load {:.1f}): pause {} ms ({})",
                    job.table.qualified(), next.batches_done, size,
                    next.rows_done - result.checkpoint.rows_done, done.took.count(),
                    done.load.active, done.load.waiting, pace.load, pace.pause.count(),
                    to_string(pace.reason));
                if (done.load.hidden > 0 && !warned_hidden) {
                    warned_hidden = true;
                    migsafe::detail::log_warn(
                        "backfill of {}: {} sessions of other roles are hidden from this role "
                        "in pg_stat_activity, so the pause between batches does not yield to "
                        "them; grant it pg_read_all_stats",
                        job.table.qualified(), done.load.hidden);
                }
                result.rows_updated += next.rows_done - result.checkpoint.rows_done;
                result.batches += 1;
                result.checkpoint = next;
                break;
            } catch (const Error& error) {
                if (!is_retryable(error)) {
                    throw;
                }
                if (attempt >= job.retries) {
                    throw Error(error.code(),
                                fmt::format("backfill of {}: batch {} after {} (key {}) failed "
                                            "after {} retries: {}",
                                            job.table.qualified(),
                                            result.checkpoint.batches_done + 1,
                                            result.checkpoint.after_key.value_or("start"), job.key,
                                            job.retries, error.message()),
                                error.context(), error.hint());
                }
                const auto backoff = std::min(
                    job.retry_backoff * (std::int64_t{1} << std::min(attempt, 20)), k_max_backoff);
                std::uniform_real_distribution<double> jitter(0.5, 1.0);
                const auto wait = milliseconds(
                    std::llround(static_cast<double>(backoff.count()) * jitter(random)));
                migsafe::detail::log_warn(
                    "backfill of {}: batch {} failed ({}), retry {} of {} in {} ms",
                    job.table.qualified(), result.checkpoint.batches_done + 1, error.code(),
                    attempt + 1, job.retries, wait.count());
                result.retries += 1;
                if (!sleep_unless_interrupted(wait)) {
                    result.interrupted = true;
                    result.elapsed = since(started);
                    return result;
                }
            }
        }
        if (options.progress) {
            options.progress(progress_of(result.checkpoint, result.rows_updated, since(started),
                                         fraction_at_start, pace));
        }
        if (!result.checkpoint.finished && pace.pause.count() > 0 &&
            !sleep_unless_interrupted(pace.pause)) {
            result.interrupted = true;
            break;
        }
    }
    result.elapsed = since(started);
    migsafe::detail::log_info("backfill of {}: {} rows in {} batches ({} retries), {}",
                              job.table.qualified(), result.rows_updated, result.batches,
                              result.retries, result.checkpoint.finished ? "finished" : "stopped");
    return result;
}

} // namespace migsafe::backfill
