#include "cli_runner.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace migsafe::test {
namespace {

std::string shell_quote(const std::string& text)
{
    std::string quoted = "'";
    for (char c : text) {
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return quoted + "'";
}

std::string read_file(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

CliResult run_cli(const std::vector<std::string>& args,
                  const std::map<std::string, std::string>& env)
{
    // The shell only wires the environment and the stderr file; arguments are quoted.
    // env(1) reads its -u options before the first NAME=VALUE.
    std::string command = "env";
    for (const auto& [name, value] : env) {
        command += value.empty() ? " -u " + name : "";
    }
    command += " NO_COLOR=1";
    for (const auto& [name, value] : env) {
        command += value.empty() ? "" : " " + shell_quote(name + "=" + value);
    }
    command += " " + shell_quote(MIGSAFE_CLI_PATH);
    for (const auto& arg : args) {
        command += " " + shell_quote(arg);
    }
    auto err_path = std::filesystem::temp_directory_path() /
                    ("migsafe-cli-test-" + std::to_string(::getpid()) + ".err");
    command += " 2>" + shell_quote(err_path.string());

    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        throw std::runtime_error("popen failed for: " + command);
    }
    CliResult result;
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
        result.out.append(buffer, n);
    }
    int status = ::pclose(pipe);
    if (WIFEXITED(status)) {
        result.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        result.exit_code = 128 + WTERMSIG(status);
    }
    result.err = read_file(err_path);
    std::filesystem::remove(err_path);
    return result;
}

} // namespace migsafe::test

#include <fcntl.h>

#include <spawn.h>

extern char** environ;

namespace migsafe::test {

int spawn_cli_to(const std::vector<std::string>& args, const std::filesystem::path& out,
                 const std::filesystem::path& err, const std::map<std::string, std::string>& env)
{
    std::vector<std::string> env_strings;
    for (char** e = environ; *e != nullptr; ++e) {
        std::string entry(*e);
        if (env.count(entry.substr(0, entry.find('='))) == 0) {
            env_strings.push_back(entry);
        }
    }
    for (const auto& [name, value] : env) {
        env_strings.push_back(name + "=" + value);
    }
    std::vector<std::string> argv_strings{MIGSAFE_CLI_PATH};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_strings) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (auto& e : env_strings) {
        envp.push_back(e.data());
    }
    envp.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, MIGSAFE_CLI_PATH, &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        throw std::runtime_error("posix_spawn failed for " + std::string(MIGSAFE_CLI_PATH));
    }
    return pid;
}

int spawn_cli(const std::vector<std::string>& args, const std::map<std::string, std::string>& env)
{
    return spawn_cli_to(args, "/dev/null", "/dev/null", env);
}

int wait_cli(int pid)
{
    int status = 0;
    if (::waitpid(pid, &status, 0) != pid) {
        return -1;
    }
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

int exit_within(const std::vector<std::string>& args, int seconds)
{
    const int pid = spawn_cli(args);
    for (int waited = 0; waited < seconds * 10; ++waited) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid) {
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        ::usleep(100 * 1000);
    }
    ::kill(pid, SIGKILL);
    wait_cli(pid);
    return -1;
}

} // namespace migsafe::test
