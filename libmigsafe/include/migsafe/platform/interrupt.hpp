#pragma once

#include <migsafe/export.hpp>

#include <functional>
#include <string>

/// SIGINT / SIGTERM handling for programs that start servers or write files which must
/// not outlive them. A host calls `install()` once; pieces that own such resources hold a
/// `Cleanup` for as long as they own them. On a signal the cleanups run (newest first) on
/// a watcher thread and the process exits with 128 + the signal number (130 / 143).
///
/// A flow that must record what a signal left unfinished (`migsafe apply`) holds an
/// `Unwind` instead: while one lives, a first signal only runs the `at_once` cleanups
/// (cancel the running statement, kill child programs) and sets `requested()`; the flow
/// unwinds through its own error handling, its destructors clean up, and the host ends
/// with `exit_code()`. A second signal ends the process at once, the old way.
namespace migsafe::interrupt {

/// Installs handlers for SIGINT and SIGTERM and starts the watcher thread. Idempotent.
/// Libraries never call this: the host program decides how signals are handled.
MIGSAFE_API void install();

/// Whether a SIGINT or SIGTERM has arrived since `install()`. Cost: one atomic load.
MIGSAFE_API bool requested() noexcept;

/// The first SIGINT or SIGTERM that arrived (its number), or 0.
MIGSAFE_API int signal_number() noexcept;

/// `SIGINT` or `SIGTERM` (the first that arrived), or empty.
MIGSAFE_API std::string signal_name();

/// 128 + the first signal's number (130 / 143) once one arrived, else `otherwise`: the
/// exit status of a host whose flow unwound after a signal.
MIGSAFE_API int exit_code(int otherwise) noexcept;

/// When a cleanup runs after a signal.
enum class When {
    on_exit, ///< when the process ends on the signal (remove a folder, stop a server)
    at_once, ///< at once, also while an `Unwind` lets the flow go on: it stops what the
             ///< flow waits for (cancel the running statement, kill a child program)
};

/// A registered cleanup: `action` runs if the process is interrupted while this object
/// lives. The action must be quick, must not throw and must not wait for the thread that
/// was interrupted (it still runs). `description` is logged when the action runs.
class MIGSAFE_API Cleanup {
public:
    Cleanup() = default;
    Cleanup(std::string description, std::function<void()> action, When when = When::on_exit);
    ~Cleanup();
    Cleanup(Cleanup&& other) noexcept;
    Cleanup& operator=(Cleanup&& other) noexcept;
    Cleanup(const Cleanup&) = delete;
    Cleanup& operator=(const Cleanup&) = delete;

    /// Unregisters the action without running it. While the watcher ends the process
    /// after a signal it never returns: the watcher runs the action and ends the process.
    void release() noexcept;

private:
    long m_id = 0;
};

/// While an `Unwind` lives, a first SIGINT/SIGTERM does not end the process: the
/// `at_once` cleanups run, `requested()` turns true, and the flow that holds it is
/// expected to notice (a cancelled statement fails; it checks `requested()` between
/// steps), record what is unfinished and return or throw; the host then exits with
/// `exit_code()`. A second signal ends the process at once (every cleanup, then exit).
/// Nestable; not movable.
class MIGSAFE_API Unwind {
public:
    Unwind() noexcept;
    ~Unwind();
    Unwind(const Unwind&) = delete;
    Unwind& operator=(const Unwind&) = delete;
};

/// Runs every registered cleanup now, newest first (what the watcher does on a signal).
/// Exposed for tests. Returns how many ran.
MIGSAFE_API int run_cleanups_for_test();

/// Runs the `at_once` cleanups now, as a first signal under an `Unwind` does, and
/// unregisters them. Exposed for tests. Returns how many ran.
MIGSAFE_API int run_at_once_for_test();

} // namespace migsafe::interrupt
