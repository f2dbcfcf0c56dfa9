#pragma once

/// The backfill's duty cycle: after each batch, how long to pause and how many keys the
/// next batch takes. The pause grows with the batch's own duration and with the server's
/// load, so that a busy server gets its CPU back (docs/backfill.md, "How the backfill
/// yields"). A plain value object: no database, no clock, no sleeping.

#include <migsafe/export.hpp>
#include <migsafe/platform/session.hpp>

#include <chrono>

namespace migsafe::backfill {

/// Whether the pause adapts to the batch's duration and the server's load.
enum class Adaptive {
    on,  ///< pause = max(`pause=`, batch duration x load-driven ratio), bounded
    off, ///< pause = `pause=` exactly, as before the duty cycle existed
};

/// The server's load as one query on `pg_stat_activity` sees it (`sample_load`).
struct LoadSample {
    int active = 0;  ///< client sessions other than the backfill's running a statement
    int waiting = 0; ///< of those, the ones waiting for a lock (logged; load counts `active`)
    /// Client sessions of other roles whose state this role may not read (without
    /// superuser or `pg_read_all_stats` they count as idle: the pause cannot see them).
    int hidden = 0;

    friend bool operator==(const LoadSample&, const LoadSample&) = default;
};

/// The knobs of the duty cycle. The defaults keep a saturated 2-core server at >= 80 % of
/// its throughput (docs/benchmarks.md, "Apply") while the backfill still runs at >= 10 %
/// of the time.
struct DutyCycleSettings {
    Adaptive adaptive = Adaptive::on;
    /// Pause per unit of load (one active session), in batch durations: with the default 1,
    /// three busy sessions make the pause three times the batch (the backfill runs a
    /// quarter of the time).
    double pause_per_load = 1.0;
    /// The ratio pause / batch duration is at most this: the backfill keeps at least
    /// 1 / (1 + max_ratio) of the time (default 9: 10 %), however loaded the server.
    double max_ratio = 9.0;
    /// The adaptive pause never exceeds this (a batch slowed by a lock wait must not buy a
    /// pause of minutes). The user's floor (`pause=`) is not bounded by it.
    std::chrono::milliseconds max_pause{10'000};
    /// Weight of the newest sample in the load average, in (0, 1]: 0.5 forgets a load
    /// spike after about three batches, so the pause shrinks again when the load goes.
    double smoothing = 0.5;
};

/// What one committed batch did: the policy's input.
struct BatchOutcome {
    std::chrono::milliseconds took{0}; ///< the batch's work: BEGIN to the end of its UPDATE
    int keys = 0;                      ///< the batch's size in keys
    LoadSample load{};                 ///< the server's load right after the batch
};

/// Which term of the pause formula won, for progress lines.
enum class PauseReason {
    floor,   ///< the user's `pause=` (or nothing else to yield to)
    load,    ///< the batch's duration times the load-driven ratio
    bounded, ///< that, capped by `max_ratio` or `max_pause`
};

/// `floor`, `load` or `bounded`.
MIGSAFE_API const char* to_string(PauseReason reason) noexcept;

/// What to do before the next batch: the policy's output.
struct NextBatch {
    std::chrono::milliseconds pause{0};      ///< sleep this long (>= the floor)
    int keys = 0;                            ///< the next batch's size in keys, 1 to 1,000,000
    double load = 0;                         ///< the smoothed load the pause was chosen for
    PauseReason reason = PauseReason::floor; ///< which term of the formula won
};

/// The policy. One per run: it keeps the smoothed load between batches.
///
/// - batch size: towards the size that would have taken `target_batch_time`
///   (`keys * target / took`), at most halved or doubled per batch, 1 to 1,000,000; a
///   target of 0 keeps the size;
/// - load = active sessions (those waiting for a lock included, once: queued behind the
///   backfill's rows or another's, they want to run as soon as it commits), smoothed by
///   `smoothing`; `waiting` is only logged (measured: counted twice, it made a 2-core
///   server under pgbench yield 84 % of the time for a TPS ratio of 1.04, docs/benchmarks.md);
/// - pause = max(floor, min(max_pause, took x min(max_ratio, pause_per_load x load))),
///   or the floor alone when `adaptive` is off.
class MIGSAFE_API DutyCycle {
public:
    /// `floor` is the user's `pause=`; `target_batch_time` the batch size's goal.
    DutyCycle(DutyCycleSettings settings, std::chrono::milliseconds floor,
              std::chrono::milliseconds target_batch_time);

    /// The pause and size after a batch that went as `outcome` says. Cost: arithmetic.
    NextBatch next(const BatchOutcome& outcome);

private:
    DutyCycleSettings m_settings;
    std::chrono::milliseconds m_floor;
    std::chrono::milliseconds m_target;
    double m_load = 0;
    bool m_has_load = false;
};

/// One sample of the server's load: the client sessions of the whole server other than
/// `session`'s, from one query on `pg_stat_activity`. Throws the errors of
/// `platform::Session`. Cost: one read of the shared-memory session table.
MIGSAFE_API LoadSample sample_load(platform::Session& session);

} // namespace migsafe::backfill
