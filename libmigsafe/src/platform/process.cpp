// Boost.Process (version 1, Boost 1.74) is used in this one file only: its header alone
// costs ~6 s of compile time (docs/toolchain.md #12). Output is read through asio pipes so that a
// timeout can stop the read; child exit is polled with waitpid rather than SIGCHLD, which
// Boost.Process would otherwise claim for the whole program.
#include "platform/logging.hpp"

#include <migsafe/platform/conninfo.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/interrupt.hpp>
#include <migsafe/platform/process.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/process.hpp>
#include <boost/process/extend.hpp>

#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <thread>

namespace migsafe::platform {
namespace {

namespace bp = boost::process;
using Clock = std::chrono::steady_clock;

/// Appends everything `pipe` yields to `sink` until end of file.
class PipeReader {
public:
    PipeReader(boost::asio::io_context& ios, std::string& sink)
        : m_pipe(ios)
        , m_sink(sink)
    {
    }
    bp::async_pipe& pipe() { return m_pipe; }
    void start()
    {
        m_pipe.async_read_some(boost::asio::buffer(m_buffer),
                               [this](const boost::system::error_code& ec, std::size_t n) {
                                   m_sink.append(m_buffer.data(), n);
                                   if (!ec) {
                                       start();
                                   }
                               });
    }

private:
    bp::async_pipe m_pipe;
    std::string& m_sink;
    std::array<char, 8192> m_buffer{};
};

struct Account {
    uid_t uid;
    gid_t gid;
};

std::optional<Account> lookup_account(const std::string& user)
{
    std::array<char, 4096> buffer{};
    passwd entry{};
    passwd* found = nullptr;
    if (getpwnam_r(user.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 ||
        found == nullptr) {
        return std::nullopt;
    }
    return Account{found->pw_uid, found->pw_gid};
}

bool is_postgres_program(std::string_view name)
{
    return name.starts_with("pg_") || name == "initdb" || name == "postgres" || name == "psql";
}

std::string missing_hint(const ProcessSpec& spec, std::string_view name)
{
    if (!spec.debian_package.empty()) {
        return fmt::format("apt-get install {} or put {} on PATH", spec.debian_package, name);
    }
    if (is_postgres_program(name)) {
        return "apt-get install postgresql-15 or set MIGSAFE_PG_BINDIR";
    }
    return fmt::format("install {} or add its directory to PATH", name);
}

bool is_executable_file(const std::filesystem::path& path)
{
    std::error_code ec;
    return std::filesystem::is_regular_file(path, ec) && access(path.c_str(), X_OK) == 0;
}

std::filesystem::path resolve_program(const ProcessSpec& spec)
{
    const std::string& program = spec.program;
    if (program.find('/') != std::string::npos) {
        if (!is_executable_file(program)) {
            throw Error("binary-not-found",
                        fmt::format("program {} does not exist or is not executable", program), {},
                        missing_hint(spec, std::filesystem::path(program).filename().string()));
        }
        return program;
    }
    if (auto found = find_in_path(program)) {
        return *found;
    }
    throw Error("binary-not-found", fmt::format("program {} was not found in PATH", program), {},
                missing_hint(spec, program));
}

/// A value that may carry a password (a conninfo or URL argument, PGPASSWORD), masked.
std::string redact_value(std::string_view key, std::string_view value)
{
    if (key == "PGPASSWORD") {
        return "***";
    }
    auto url = value.find("postgres");
    if (url != std::string_view::npos && value.find("://", url) != std::string_view::npos) {
        return std::string(value.substr(0, url)) + redact_conninfo(value.substr(url));
    }
    if (value.find("password") != std::string_view::npos) {
        auto eq = value.find('=');
        if (value.starts_with("--") && eq != std::string_view::npos) {
            return std::string(value.substr(0, eq + 1)) + redact_conninfo(value.substr(eq + 1));
        }
        return redact_conninfo(value);
    }
    return std::string(value);
}

std::string describe(const std::filesystem::path& exe, const ProcessSpec& spec)
{
    std::string text = exe.string();
    for (const auto& arg : spec.args) {
        text += ' ';
        text += redact_value({}, arg);
    }
    return text;
}

/// Masks, in program output, any password that one of the arguments carried.
std::string redact_output(std::string text, const ProcessSpec& spec)
{
    for (const auto& arg : spec.args) {
        auto start = arg.find("postgres");
        text = redact_secret_in(text, start == std::string::npos ? arg : arg.substr(start));
    }
    return text;
}

std::string tail(std::string_view text, std::size_t max_chars)
{
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.remove_suffix(1);
    }
    if (text.size() > max_chars) {
        text = text.substr(text.size() - max_chars);
        auto newline = text.find('\n');
        if (newline != std::string_view::npos) {
            text = text.substr(newline + 1);
        }
    }
    return std::string(text);
}

/// Whether the child inherits variable `name` of this process. Children get an explicit
/// environment, never a copy of ours: PGPASSWORD (and any other secret a deploy tool puts
/// in migsafe's environment) would otherwise sit in /proc/PID/environ of every server and
/// program started, readable by the user it runs as. What a program needs beyond the
/// locale, time zone and PATH comes through `ProcessSpec::env` (the password of pg_dump,
/// for one). A program run as another user (initdb, pg_ctl, postgres as root) gets no
/// HOME and no PG* variables of ours: its settings are all on its command line.
bool inherited(std::string_view name, bool other_user)
{
    constexpr std::string_view k_always[] = {"PATH", "LANG",   "LANGUAGE",
                                             "TZ",   "TMPDIR", "LD_LIBRARY_PATH"};
    for (auto kept : k_always) {
        if (name == kept) {
            return true;
        }
    }
    if (name.starts_with("LC_")) {
        return true;
    }
    if (other_user) {
        return false;
    }
    if (name == "HOME" || name.starts_with("KRB5")) {
        return true; // ~/.pgpass, ~/.pg_service.conf, Kerberos credentials of this user
    }
    return name.starts_with("PG") && name != "PGPASSWORD";
}

/// The environment of a child: what `inherited` keeps of ours, then `spec.env`.
bp::environment child_environment(const ProcessSpec& spec, bool other_user)
{
    bp::environment env;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        const std::string_view text(*entry);
        const auto eq = text.find('=');
        if (eq == std::string_view::npos || eq == 0) {
            continue;
        }
        const std::string name(text.substr(0, eq));
        if (inherited(name, other_user)) {
            env[name] = std::string(text.substr(eq + 1));
        }
    }
    for (const auto& [key, value] : spec.env) {
        env[key] = value;
    }
    return env;
}

int decode_status(int status)
{
    if (WIFSIGNALED(status)) {
        return 128 + WTERMSIG(status);
    }
    return WEXITSTATUS(status);
}

} // namespace

bool running_as_root() noexcept
{
    return geteuid() == 0;
}

std::string unprivileged_user()
{
    return lookup_account("postgres") ? "postgres" : "nobody";
}

std::optional<std::filesystem::path> find_in_path(std::string_view name,
                                                  std::optional<std::string_view> path_env)
{
    std::string_view path;
    if (path_env) {
        path = *path_env;
    } else if (const char* value = std::getenv("PATH")) {
        path = value;
    }
    while (!path.empty()) {
        auto colon = path.find(':');
        auto dir = path.substr(0, colon);
        path = colon == std::string_view::npos ? std::string_view{} : path.substr(colon + 1);
        if (dir.empty()) {
            continue; // an empty entry would mean the cwd; never search it implicitly
        }
        auto candidate = std::filesystem::path(dir) / name;
        if (is_executable_file(candidate)) {
            return candidate;
        }
    }
    return std::nullopt;
}

ProcessResult run_process(const ProcessSpec& spec)
{
    const auto exe = resolve_program(spec);
    const std::string name = exe.filename().string();
    std::optional<Account> account;
    if (!spec.run_as_user.empty() && running_as_root()) {
        account = lookup_account(spec.run_as_user);
        if (!account) {
            throw Error("process-failed", fmt::format("cannot run {} as user {}: no such user",
                                                      name, spec.run_as_user));
        }
    }
    std::filesystem::path dir = spec.working_dir;
    if (dir.empty()) {
        dir = account ? std::filesystem::path("/") : std::filesystem::current_path();
    }
    bp::environment env = child_environment(spec, account.has_value());
    detail::log_debug("running {}{}", describe(exe, spec),
                      account ? fmt::format(" as {}", spec.run_as_user) : std::string());

    // Runs in the child between fork and exec: its own process group (so a timeout kills
    // grandchildren too), then drop root if asked, then ask the kernel to kill the child
    // when this thread dies: a migsafe killed with SIGKILL must not leave a pg_dump
    // holding a transaction (and its locks) on the database. The death signal is set
    // after setuid because a change of user clears it; the getppid() check covers a
    // parent that died before it was set. The calling thread waits for the child below,
    // so it never ends first.
    const pid_t parent = ::getpid();
    auto setup = [account, parent](auto& exec) {
        setpgid(0, 0);
        if (account && (setgroups(1, &account->gid) != 0 || setgid(account->gid) != 0 ||
                        setuid(account->uid) != 0)) {
            exec.set_error(std::error_code(errno, std::system_category()), "dropping root");
            return;
        }
        if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != parent) {
            ::_exit(127);
        }
    };

    ProcessResult result;
    boost::asio::io_context ios;
    PipeReader out(ios, result.out);
    PipeReader err(ios, result.err);
    const auto started = Clock::now();
    const auto deadline =
        spec.timeout.count() > 0 ? started + spec.timeout : Clock::time_point::max();
    bp::child child;
    try {
        child = bp::child(exe.string(), bp::args(spec.args), bp::std_in.close(),
                          bp::std_out > out.pipe(), bp::std_err > err.pipe(), env,
                          bp::start_dir(dir.string()), bp::extend::on_exec_setup = setup);
    } catch (const bp::process_error& e) {
        throw Error("process-failed", fmt::format("could not start {}: {}", name, e.what()));
    }
    // The child has its own process group, so a Ctrl-C at the terminal does not reach it:
    // on SIGINT/SIGTERM the interrupt watcher kills it (before the cleanups registered
    // earlier run, e.g. removing the directory it writes into).
    // At once also while a flow unwinds after the signal (apply taking a snapshot).
    interrupt::Cleanup on_interrupt(
        fmt::format("killing {} (pid {})", name, child.id()),
        [pid = child.id()] {
            ::kill(-pid, SIGKILL);
            ::kill(pid, SIGKILL);
        },
        interrupt::When::at_once);
    out.start();
    err.start();
    bool timed_out = false;
    auto kill_group = [&] {
        timed_out = true;
        ::kill(-child.id(), SIGKILL);
        ::kill(child.id(), SIGKILL);
    };
    if (spec.timeout.count() > 0) {
        ios.run_until(deadline);
    } else {
        ios.run();
    }
    if (!ios.stopped()) {
        kill_group();
        ios.restart();
        ios.run();
    }
    // Output is closed; the program may still be finishing (or have daemonized its output).
    int status = 0;
    while (waitpid(child.id(), &status, WNOHANG) == 0) {
        if (Clock::now() >= deadline && !timed_out) {
            kill_group();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    child.detach(); // reaped above
    result.exit_code = decode_status(status);
    result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);

    if (timed_out) {
        throw Error("process-timeout",
                    fmt::format("{} was killed after {} ms (time limit {} ms){}", name,
                                result.elapsed.count(), spec.timeout.count(),
                                result.err.empty()
                                    ? std::string()
                                    : ": " + redact_output(tail(result.err, 1000), spec)));
    }
    if (result.exit_code != 0 && spec.on_failure == OnFailure::throw_error) {
        std::string output = tail(result.err.empty() ? result.out : result.err, 2000);
        throw Error(
            "process-failed",
            fmt::format("{} exited with status {}{}", name, result.exit_code,
                        output.empty() ? std::string() : ": " + redact_output(output, spec)));
    }
    return result;
}

} // namespace migsafe::platform
