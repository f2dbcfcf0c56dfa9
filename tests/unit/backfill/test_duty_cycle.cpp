#include <migsafe/backfill/duty_cycle.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <string>

using migsafe::backfill::Adaptive;
using migsafe::backfill::BatchOutcome;
using migsafe::backfill::DutyCycle;
using migsafe::backfill::DutyCycleSettings;
using migsafe::backfill::LoadSample;
using migsafe::backfill::PauseReason;
using namespace std::chrono_literals;

namespace {

// No smoothing: each sample is the load, so one call shows one rule.
DutyCycleSettings instant()
{
    return {.smoothing = 1.0};
}

BatchOutcome batch(std::chrono::milliseconds took, int active, int waiting = 0)
{
    return {.took = took, .keys = 1000, .load = {.active = active, .waiting = waiting}};
}

} // namespace

TEST_CASE("backfill::DutyCycle pauses in proportion to the batch's duration")
{
    DutyCycle cycle(instant(), 0ms, 200ms);
    const auto short_batch = cycle.next(batch(100ms, 2));
    const auto long_batch = cycle.next(batch(400ms, 2));
    CHECK(short_batch.pause == 200ms);
    CHECK(long_batch.pause == 800ms);
    CHECK(long_batch.reason == PauseReason::load);
    CHECK(long_batch.load == 2.0);
}

TEST_CASE("backfill::DutyCycle pauses longer as the load grows; a lock waiter is one of them")
{
    DutyCycle cycle(instant(), 0ms, 200ms);
    CHECK(cycle.next(batch(200ms, 0)).pause == 0ms);
    CHECK(cycle.next(batch(200ms, 1)).pause == 200ms);
    CHECK(cycle.next(batch(200ms, 3)).pause == 600ms);
    const auto waiting = cycle.next(batch(200ms, 3, 1)); // 3 active, 1 of them waiting
    CHECK(waiting.load == 3.0);
    CHECK(waiting.pause == 600ms);
}

TEST_CASE("backfill::DutyCycle never pauses less than the user's floor")
{
    DutyCycle cycle(instant(), 500ms, 200ms);
    const auto idle = cycle.next(batch(200ms, 0));
    CHECK(idle.pause == 500ms);
    CHECK(idle.reason == PauseReason::floor);
    CHECK(cycle.next(batch(200ms, 2)).pause == 500ms); // 400 ms by load: the floor wins
    CHECK(cycle.next(batch(200ms, 4)).pause == 800ms);
    CHECK(cycle.next(batch(0ms, 9)).pause == 500ms); // a batch of no time: still the floor
}

TEST_CASE("backfill::DutyCycle is bounded: at most max_ratio batch durations and max_pause")
{
    DutyCycle cycle(instant(), 0ms, 200ms);
    const auto saturated = cycle.next(batch(200ms, 100, 50));
    CHECK(saturated.pause == 1800ms); // 9 x 200 ms: the backfill keeps 10 % of the time
    CHECK(saturated.reason == PauseReason::bounded);
    const auto stuck = cycle.next(batch(5000ms, 100)); // a batch slowed by a lock wait
    CHECK(stuck.pause == 10'000ms);
    CHECK(stuck.reason == PauseReason::bounded);

    DutyCycle tight({.max_ratio = 2.0, .max_pause = 300ms, .smoothing = 1.0}, 0ms, 200ms);
    CHECK(tight.next(batch(100ms, 50)).pause == 200ms);
    CHECK(tight.next(batch(1000ms, 50)).pause == 300ms);

    // The user's floor is the user's: the bound does not cut it.
    DutyCycle floored(instant(), 20'000ms, 200ms);
    CHECK(floored.next(batch(5000ms, 100)).pause == 20'000ms);
}

TEST_CASE("backfill::DutyCycle shrinks the pause again when the load goes")
{
    DutyCycle cycle({}, 0ms, 200ms);                   // default smoothing 0.5
    CHECK(cycle.next(batch(200ms, 4)).pause == 800ms); // the first sample is taken as is
    std::chrono::milliseconds previous = 800ms;
    for (int i = 0; i < 8; ++i) {
        const auto next = cycle.next(batch(200ms, 0));
        CHECK(next.pause < previous);
        previous = next.pause;
    }
    CHECK(previous <= 10ms);
    const auto spike = cycle.next(batch(200ms, 4));
    CHECK(spike.pause >= 400ms); // half of the new sample at once
}

TEST_CASE("backfill::DutyCycle off: exactly the floor, whatever the load")
{
    DutyCycle cycle({.adaptive = Adaptive::off}, 50ms, 200ms);
    const auto next = cycle.next(batch(1000ms, 20, 5));
    CHECK(next.pause == 50ms);
    CHECK(next.reason == PauseReason::floor);
    CHECK(next.load == 0.0);
}

TEST_CASE("backfill::DutyCycle sizes the next batch towards the target time")
{
    DutyCycle cycle(instant(), 0ms, 200ms);
    CHECK(cycle.next({.took = 100ms, .keys = 1000}).keys == 2000);
    CHECK(cycle.next({.took = 150ms, .keys = 1000}).keys == 1333);
    CHECK(cycle.next({.took = 2000ms, .keys = 1000}).keys == 500); // at most halved
    CHECK(cycle.next({.took = 0ms, .keys = 800'000}).keys == 1'000'000);
    CHECK(cycle.next({.took = 2000ms, .keys = 1}).keys == 1);
    DutyCycle fixed(instant(), 0ms, 0ms);
    CHECK(fixed.next({.took = 10ms, .keys = 700}).keys == 700);
}

TEST_CASE("backfill::to_string(PauseReason)")
{
    CHECK(std::string(to_string(PauseReason::floor)) == "floor");
    CHECK(std::string(to_string(PauseReason::load)) == "load");
    CHECK(std::string(to_string(PauseReason::bounded)) == "bounded");
}
