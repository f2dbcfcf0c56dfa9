// Signals are turned into a byte on a self-pipe; a watcher thread reads it and does the
// real work outside signal context. Signal masks are left alone on purpose: children
// started through Boost.Process inherit the mask, and a blocked SIGTERM in a postmaster or
// pg_dump would make it unstoppable.
#include "platform/logging.hpp"

#include <migsafe/platform/interrupt.hpp>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

namespace migsafe::interrupt {
namespace {

struct Action {
    std::string description;
    std::function<void()> run;
    When when = When::on_exit;
};

struct Registry {
    std::mutex mutex;
    long next_id = 1;
    std::map<long, Action> actions;
    /// Set (under `mutex`) when the watcher takes the actions to end the process.
    bool exiting = false;
};

Registry& registry()
{
    static Registry instance;
    return instance;
}

std::atomic<bool> g_requested{false};
std::atomic<int> g_signal{0};
std::atomic<int> g_unwinding{0};
std::atomic<bool> g_unwound{false}; ///< the watcher let a flow unwind after the first signal
std::atomic<int> g_pipe_write{-1};
std::atomic<std::thread::id> g_watcher{};

extern "C" void on_signal(int signal_number)
{
    int none = 0;
    g_signal.compare_exchange_strong(none, signal_number);
    g_requested.store(true);
    int fd = g_pipe_write.load();
    if (fd >= 0) {
        auto byte = static_cast<unsigned char>(signal_number);
        int saved = errno;
        [[maybe_unused]] auto written = ::write(fd, &byte, 1);
        errno = saved;
    }
}

int run_actions(std::map<long, Action>& actions)
{
    int count = 0;
    for (auto it = actions.rbegin(); it != actions.rend(); ++it) {
        detail::log_warn("interrupted: {}", it->second.description);
        try {
            it->second.run();
        } catch (...) {
            // A cleanup that throws must not stop the others from running.
        }
        ++count;
    }
    return count;
}

/// Takes every action (the process ends next) and runs them, newest first.
int run_all(bool exiting)
{
    std::map<long, Action> actions;
    {
        std::lock_guard lock(registry().mutex);
        actions.swap(registry().actions);
        registry().exiting = registry().exiting || exiting;
    }
    return run_actions(actions);
}

/// Takes the `at_once` actions and runs them, newest first; the others stay registered.
int run_at_once()
{
    std::map<long, Action> actions;
    {
        std::lock_guard lock(registry().mutex);
        auto& all = registry().actions;
        for (auto it = all.begin(); it != all.end();) {
            if (it->second.when == When::at_once) {
                actions.insert(all.extract(it++));
            } else {
                ++it;
            }
        }
    }
    return run_actions(actions);
}

void watch(int read_fd)
{
    g_watcher.store(std::this_thread::get_id());
    bool unwound = false;
    while (true) {
        unsigned char byte = 0;
        auto n = ::read(read_fd, &byte, 1);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n != 1) {
            return;
        }
        if (!unwound && g_unwinding.load() > 0) {
            // A flow that records what is unfinished runs: stop what it waits for and let
            // it unwind. The next signal ends the process.
            unwound = true;
            g_unwound.store(true);
            detail::log_warn("interrupted: stopping the running step (a second signal ends "
                             "the process at once)");
            run_at_once();
            continue;
        }
        break;
    }
    run_all(true);
    ::_exit(128 + g_signal.load());
}

} // namespace

void install()
{
    static std::once_flag once;
    std::call_once(once, [] {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) {
            return;
        }
        g_pipe_write.store(fds[1]);
        std::thread(watch, fds[0]).detach();
        struct sigaction action {};
        action.sa_handler = on_signal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        ::sigaction(SIGINT, &action, nullptr);
        ::sigaction(SIGTERM, &action, nullptr);
    });
}

bool requested() noexcept
{
    return g_requested.load();
}

int signal_number() noexcept
{
    return g_signal.load();
}

std::string signal_name()
{
    switch (g_signal.load()) {
    case SIGINT:
        return "SIGINT";
    case SIGTERM:
        return "SIGTERM";
    case 0:
        return {};
    default:
        return "signal " + std::to_string(g_signal.load());
    }
}

int exit_code(int otherwise) noexcept
{
    const int signal = g_signal.load();
    return signal != 0 ? 128 + signal : otherwise;
}

Cleanup::Cleanup(std::string description, std::function<void()> action, When when)
{
    std::lock_guard lock(registry().mutex);
    m_id = registry().next_id++;
    registry().actions.emplace(m_id, Action{std::move(description), std::move(action), when});
}

Cleanup::~Cleanup()
{
    release();
}

Cleanup::Cleanup(Cleanup&& other) noexcept
    : m_id(std::exchange(other.m_id, 0))
{
}

Cleanup& Cleanup::operator=(Cleanup&& other) noexcept
{
    if (this != &other) {
        release();
        m_id = std::exchange(other.m_id, 0);
    }
    return *this;
}

void Cleanup::release() noexcept
{
    if (m_id == 0) {
        return;
    }
    std::unique_lock lock(registry().mutex);
    // The process ends on this signal: the watcher has taken the actions, or will (no flow
    // was left to unwind).
    const bool ending =
        registry().exiting || (g_requested.load() && !g_unwound.load() && g_unwinding.load() == 0);
    if (ending && std::this_thread::get_id() != g_watcher.load()) {
        // The watcher owns the cleanup now and ends the process. An owner that unwinds
        // meanwhile (its server just died under it) must not race it. The watcher itself
        // releases the cleanups of what its actions run (pg_ctl stop).
        lock.unlock();
        while (true) {
            ::pause();
        }
    }
    registry().actions.erase(m_id);
    m_id = 0;
}

Unwind::Unwind() noexcept
{
    g_unwinding.fetch_add(1);
}

Unwind::~Unwind()
{
    g_unwinding.fetch_sub(1);
}

int run_cleanups_for_test()
{
    return run_all(false);
}

int run_at_once_for_test()
{
    return run_at_once();
}

} // namespace migsafe::interrupt
