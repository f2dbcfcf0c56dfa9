#pragma once
// Private: runs `work(i)` for i in [0, count) on `jobs` threads (the caller's among them),
// items handed out in order. A failure stops the handing out of new items; the exception
// of the lowest failed item is rethrown once every started item has finished, so the error
// a user sees does not depend on thread timing (the first bad file, not any bad file).

#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace migsafe::platform {

/// The CPUs this process may run on (its affinity mask, so `taskset` and container CPU
/// sets count), at least 1.
int usable_cores() noexcept;

template <typename Work>
void parallel_for(std::size_t count, int jobs, const Work& work)
{
    std::atomic<std::size_t> next{0};
    std::mutex mutex;
    std::exception_ptr failure;
    std::size_t failed_item = count;
    auto run = [&] {
        for (std::size_t i = next++; i < count; i = next++) {
            try {
                work(i);
            } catch (...) {
                std::lock_guard lock(mutex);
                if (i < failed_item) { // every item before i was handed out already
                    failed_item = i;
                    failure = std::current_exception();
                }
                next = count;
            }
        }
    };
    std::vector<std::thread> threads;
    for (int j = 1; j < jobs && static_cast<std::size_t>(j) < count; ++j) {
        threads.emplace_back(run);
    }
    run();
    for (auto& thread : threads) {
        thread.join();
    }
    if (failure) {
        std::rethrow_exception(failure);
    }
}

} // namespace migsafe::platform
