#pragma once

#include <migsafe/export.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

/// Running external programs (initdb, pg_ctl, pg_dump, ...). Boost.Process stays behind
/// this header.
namespace migsafe::platform {

/// What `run_process` does when the program exits with a non-zero status.
enum class OnFailure {
    throw_error,   ///< throw `process-failed` naming the program, exit status and stderr
    return_result, ///< return the result; the caller reads `exit_code`
};

/// One program to run. Fill it with designated initializers.
struct ProcessSpec {
    /// An absolute or relative path, or a bare name looked up in `PATH`.
    std::string program;
    /// Arguments, without the program name. Never passed through a shell.
    std::vector<std::string> args{};
    /// The child's variables beyond the few it inherits: the child never gets a copy of
    /// this process's environment, only PATH, LANG, LANGUAGE, LC_*, TZ, TMPDIR and
    /// LD_LIBRARY_PATH, plus (unless `run_as_user` applies) HOME, KRB5* and the PG*
    /// variables but PGPASSWORD. A password a child needs goes here, for that child only.
    std::vector<std::pair<std::string, std::string>> env{};
    /// Working directory; empty keeps the current one (or `/` when `run_as_user` applies).
    std::filesystem::path working_dir{};
    /// Kill the program (and its process group) after this long; zero means no limit.
    std::chrono::milliseconds timeout{0};
    /// When the current process is root, run the program as this user (setgid, setuid
    /// before exec). Ignored when not root. Empty: run as the current user.
    std::string run_as_user{};
    /// The Debian package that ships the program, named in the `binary-not-found` hint.
    /// Empty: guessed for PostgreSQL programs.
    std::string debian_package{};
    /// Non-zero exit: throw (default) or return.
    OnFailure on_failure = OnFailure::throw_error;
};

/// What a finished program left behind.
struct ProcessResult {
    int exit_code = 0;                    ///< exit status, or 128 + signal number if killed
    std::string out{};                    ///< everything written to stdout
    std::string err{};                    ///< everything written to stderr
    std::chrono::milliseconds elapsed{0}; ///< wall-clock time from spawn to exit
};

/// Runs `spec.program` to completion, capturing stdout and stderr (stdin is closed).
/// Arguments and environment values that hold passwords are redacted in the debug log.
/// Throws `binary-not-found` (program missing or not executable; the hint names the
/// Debian package), `process-timeout` (killed after `spec.timeout`), `process-failed`
/// (could not start, or a non-zero exit with `OnFailure::throw_error`; the message holds
/// the tail of stderr). Cost: one fork/exec.
MIGSAFE_API ProcessResult run_process(const ProcessSpec& spec);

/// The first executable file called `name` in the directories of `path_env` (a
/// colon-separated list; nullopt reads the `PATH` variable). nullopt when none is found.
MIGSAFE_API std::optional<std::filesystem::path>
find_in_path(std::string_view name, std::optional<std::string_view> path_env = std::nullopt);

/// Whether this process runs with effective user id 0.
MIGSAFE_API bool running_as_root() noexcept;

/// An unprivileged account to run servers as when root: `postgres` if it exists, else
/// `nobody`. Cost: one or two passwd lookups.
MIGSAFE_API std::string unprivileged_user();

} // namespace migsafe::platform
