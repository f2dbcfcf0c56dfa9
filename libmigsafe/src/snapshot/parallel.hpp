#pragma once
// Private: runs `work(i)` for i in [0, count) on `jobs` threads (the caller's among them).
// The first exception stops the handing out of new items and is rethrown.

#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace migsafe::snapshot::detail {

template <typename Work>
void parallel_for(std::size_t count, int jobs, const Work& work)
{
    std::atomic<std::size_t> next{0};
    std::mutex mutex;
    std::exception_ptr failure;
    auto run = [&] {
        for (std::size_t i = next++; i < count; i = next++) {
            try {
                work(i);
            } catch (...) {
                std::lock_guard lock(mutex);
                failure = failure ? failure : std::current_exception();
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

} // namespace migsafe::snapshot::detail
