#pragma once

#include <migsafe/export.hpp>

#include <functional>
#include <string>

/// SIGINT / SIGTERM handling for programs that start servers or write files which must
/// not outlive them. A host calls `install()` once; pieces that own such resources hold a
/// `Cleanup` for as long as they own them. On a signal the cleanups run (newest first) on
/// a watcher thread and the process exits with 128 + the signal number (130 / 143).
namespace migsafe::interrupt {

/// Installs handlers for SIGINT and SIGTERM and starts the watcher thread. Idempotent.
/// Libraries never call this: the host program decides how signals are handled.
MIGSAFE_API void install();

/// Whether a SIGINT or SIGTERM has arrived since `install()`. Cost: one atomic load.
MIGSAFE_API bool requested() noexcept;

/// A registered cleanup: `action` runs if the process is interrupted while this object
/// lives. The action must be quick, must not throw and must not wait for the thread that
/// was interrupted (it still runs). `description` is logged when the action runs.
class MIGSAFE_API Cleanup {
public:
    Cleanup() = default;
    Cleanup(std::string description, std::function<void()> action);
    ~Cleanup();
    Cleanup(Cleanup&& other) noexcept;
    Cleanup& operator=(Cleanup&& other) noexcept;
    Cleanup(const Cleanup&) = delete;
    Cleanup& operator=(const Cleanup&) = delete;

    /// Unregisters the action without running it. After an interrupt it never returns:
    /// the watcher runs the action and ends the process.
    void release() noexcept;

private:
    long m_id = 0;
};

/// Runs every registered cleanup now, newest first (what the watcher does on a signal).
/// Exposed for tests. Returns how many ran.
MIGSAFE_API int run_cleanups_for_test();

} // namespace migsafe::interrupt
