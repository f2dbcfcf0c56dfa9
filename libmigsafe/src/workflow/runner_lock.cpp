// The runner's advisory lock (see runner_lock.hpp).
#include "workflow/runner_lock.hpp"

#include "platform/catalog/advisory_lock_queries.hpp"
#include "platform/logging.hpp"

#include <migsafe/platform/error.hpp>
#include <migsafe/platform/interrupt.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <thread>

namespace migsafe::workflow::detail {
namespace {

namespace catalog = platform::catalog;
using Clock = std::chrono::steady_clock;

const std::string k_key = std::to_string(k_runner_lock_key);

} // namespace

std::string runner_lock_holder(platform::Session& session)
{
    const auto holder = catalog::advisory_lock_holder(session, k_runner_lock_key);
    if (!holder) {
        return {};
    }
    return fmt::format("pid {} (user {}, application '{}', from {}, connected since {})",
                       holder->pid, holder->user, holder->application, holder->client,
                       holder->connected_since);
}

RunnerLock::RunnerLock(platform::Session& session, std::chrono::milliseconds wait)
    : m_session(session)
{
    auto start = Clock::now();
    std::mt19937 random(std::random_device{}());
    auto pause = std::chrono::milliseconds(50);
    int tries = 0;
    while (true) {
        ++tries;
        if (catalog::try_advisory_lock(session, k_runner_lock_key)) {
            m_waited = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
            migsafe::detail::log_debug("apply lock taken after {} tries ({} ms)", tries,
                                       m_waited.count());
            return;
        }
        auto elapsed = Clock::now() - start;
        if (elapsed >= wait || migsafe::interrupt::requested()) {
            std::string holder = runner_lock_holder(session);
            throw Error(
                "apply-lock-busy",
                fmt::format("another migsafe apply holds the lock of this database{}; "
                            "waited {} ms",
                            holder.empty() ? "" : ": " + holder,
                            std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()),
                {.object = "pg_advisory_lock(" + k_key + ")"});
        }
        // Full jitter: runners that started together do not retry together.
        std::uniform_int_distribution<long> jitter(pause.count() / 2, pause.count());
        auto sleep = std::min(std::chrono::milliseconds(jitter(random)),
                              std::chrono::duration_cast<std::chrono::milliseconds>(
                                  wait - elapsed + std::chrono::milliseconds(1)));
        std::this_thread::sleep_for(sleep);
        pause = std::min(pause * 2, std::chrono::milliseconds(1000));
    }
}

RunnerLock::~RunnerLock()
{
    try {
        catalog::advisory_unlock(m_session, k_runner_lock_key);
    } catch (const std::exception& error) {
        migsafe::detail::log_warn("could not release the apply lock: {}", error.what());
    }
}

void RunnerLock::check() const
{
    bool held = false;
    try {
        held = catalog::holds_advisory_lock(m_session, k_runner_lock_key);
    } catch (const Error& error) {
        throw Error("apply-lock-lost",
                    fmt::format("the session holding the apply lock failed: {}", error.message()));
    }
    if (!held) {
        throw Error("apply-lock-lost", "the apply lock is no longer held by this run");
    }
}

} // namespace migsafe::workflow::detail
