// DutyCycle: the pause and batch size after each batch. Pausing in proportion to the
// batch's own duration bounds the backfill's share of the server's time whatever the batch
// costs; the load sets that share, so an idle server runs the backfill flat out and a
// saturated one gets most of its time back.
#include "platform/enum_names.hpp"

#include <migsafe/backfill/duty_cycle.hpp>

#include <algorithm>
#include <cmath>

namespace migsafe::backfill {
namespace {

using std::chrono::milliseconds;

constexpr int k_max_batch_size = 1'000'000;

// Towards the size that would have taken `target`, by at most a factor of two either way.
int adapt(int size, milliseconds took, milliseconds target)
{
    if (target.count() <= 0) {
        return std::clamp(size, 1, k_max_batch_size);
    }
    const double elapsed = std::max<double>(static_cast<double>(took.count()), 1.0);
    const double proposed =
        static_cast<double>(size) * static_cast<double>(target.count()) / elapsed;
    const double bounded =
        std::clamp(proposed, static_cast<double>(size) / 2.0, static_cast<double>(size) * 2.0);
    return std::clamp(static_cast<int>(std::llround(bounded)), 1, k_max_batch_size);
}

} // namespace

constexpr platform::EnumNames<PauseReason, 3> k_pause_reason_names{
    {{{PauseReason::floor, "floor"},
      {PauseReason::load, "load"},
      {PauseReason::bounded, "bounded"}}}};
static_assert(k_pause_reason_names.unique());

const char* to_string(PauseReason reason) noexcept
{
    return k_pause_reason_names.name(reason).data();
}

DutyCycle::DutyCycle(DutyCycleSettings settings, milliseconds floor, milliseconds target_batch_time)
    : m_settings(settings)
    , m_floor(std::max(floor, milliseconds(0)))
    , m_target(target_batch_time)
{
    m_settings.smoothing = std::clamp(m_settings.smoothing, 0.01, 1.0);
    m_settings.pause_per_load = std::max(m_settings.pause_per_load, 0.0);
    m_settings.max_ratio = std::max(m_settings.max_ratio, 0.0);
    m_settings.max_pause = std::max(m_settings.max_pause, milliseconds(0));
}

NextBatch DutyCycle::next(const BatchOutcome& outcome)
{
    NextBatch next{.pause = m_floor,
                   .keys = adapt(outcome.keys, outcome.took, m_target),
                   .load = 0,
                   .reason = PauseReason::floor};
    if (m_settings.adaptive == Adaptive::off) {
        return next;
    }
    const double sample = static_cast<double>(std::max(outcome.load.active, 0));
    m_load =
        m_has_load ? m_settings.smoothing * sample + (1.0 - m_settings.smoothing) * m_load : sample;
    m_has_load = true;
    next.load = m_load;

    const double wanted = m_settings.pause_per_load * m_load;
    const double ratio = std::min(wanted, m_settings.max_ratio);
    const double took = static_cast<double>(std::max(outcome.took, milliseconds(0)).count());
    const auto by_load = milliseconds(std::llround(took * ratio));
    const auto adaptive = std::min(by_load, m_settings.max_pause);
    if (adaptive > m_floor) {
        next.pause = adaptive;
        next.reason =
            ratio < wanted || adaptive < by_load ? PauseReason::bounded : PauseReason::load;
    }
    return next;
}

} // namespace migsafe::backfill
