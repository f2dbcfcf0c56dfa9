// platform::parallel_for: every item once, and the lowest failed item's error whatever the
// timing.
#include "platform/parallel.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using migsafe::platform::parallel_for;

TEST_CASE("platform::parallel_for runs every item exactly once")
{
    for (int jobs : {1, 2, 4, 16}) {
        CAPTURE(jobs);
        std::vector<std::atomic<int>> runs(1000);
        parallel_for(runs.size(), jobs, [&](std::size_t i) { ++runs[i]; });
        for (const auto& count : runs) {
            CHECK(count == 1);
        }
    }
    parallel_for(0, 4, [](std::size_t) { FAIL("no item to run"); });
}

TEST_CASE("platform::parallel_for rethrows the error of the lowest failed item")
{
    // Item 3 fails late, item 7 fails at once: the error is item 3's on any schedule.
    for (int attempt = 0; attempt < 20; ++attempt) {
        try {
            parallel_for(50, 4, [](std::size_t i) {
                if (i == 3) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(5));
                    throw std::runtime_error("item 3");
                }
                if (i == 7) {
                    throw std::runtime_error("item 7");
                }
            });
            FAIL("no throw");
        } catch (const std::runtime_error& e) {
            CHECK(std::string(e.what()) == "item 3");
        }
    }
}

TEST_CASE("platform::parallel_for stops handing out items after a failure")
{
    // Each item takes 100 us: were the handing out not stopped, the run would take 5 s and
    // start all 100,000 items; a second of preemption is still far from the bound.
    std::atomic<std::size_t> ran{0};
    CHECK_THROWS_AS(parallel_for(100000, 2,
                                 [&](std::size_t i) {
                                     ++ran;
                                     if (i == 10) {
                                         throw std::runtime_error("stop");
                                     }
                                     std::this_thread::sleep_for(std::chrono::microseconds(100));
                                 }),
                    std::runtime_error);
    CHECK(ran < 10000);
}
