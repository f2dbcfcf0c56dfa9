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

struct Registry {
    std::mutex mutex;
    long next_id = 1;
    std::map<long, std::pair<std::string, std::function<void()>>> actions;
};

Registry& registry()
{
    static Registry instance;
    return instance;
}

std::atomic<bool> g_requested{false};
std::atomic<int> g_pipe_write{-1};

extern "C" void on_signal(int signal_number)
{
    g_requested.store(true);
    int fd = g_pipe_write.load();
    if (fd >= 0) {
        auto byte = static_cast<unsigned char>(signal_number);
        int saved = errno;
        [[maybe_unused]] auto written = ::write(fd, &byte, 1);
        errno = saved;
    }
}

int run_all()
{
    std::map<long, std::pair<std::string, std::function<void()>>> actions;
    {
        std::lock_guard lock(registry().mutex);
        actions.swap(registry().actions);
    }
    int count = 0;
    for (auto it = actions.rbegin(); it != actions.rend(); ++it) {
        detail::log_warn("interrupted: {}", it->second.first);
        try {
            it->second.second();
        } catch (...) {
            // A cleanup that throws must not stop the others from running.
        }
        ++count;
    }
    return count;
}

void watch(int read_fd)
{
    unsigned char byte = 0;
    while (true) {
        auto n = ::read(read_fd, &byte, 1);
        if (n == 1) {
            break;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        return;
    }
    run_all();
    ::_exit(128 + byte);
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

Cleanup::Cleanup(std::string description, std::function<void()> action)
{
    std::lock_guard lock(registry().mutex);
    m_id = registry().next_id++;
    registry().actions.emplace(m_id, std::make_pair(std::move(description), std::move(action)));
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
    if (g_requested.load()) {
        // Interrupted: the watcher thread owns the cleanup now and ends the process. An
        // owner that unwinds meanwhile (its server just died under it) must not race it.
        while (true) {
            ::pause();
        }
    }
    std::lock_guard lock(registry().mutex);
    registry().actions.erase(m_id);
    m_id = 0;
}

int run_cleanups_for_test()
{
    return run_all();
}

} // namespace migsafe::interrupt
