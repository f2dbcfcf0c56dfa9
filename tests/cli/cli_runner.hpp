#pragma once
// Runs the built `migsafe` binary (MIGSAFE_CLI_PATH) and captures what it printed.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace migsafe::test {

struct CliResult {
    int exit_code = -1; ///< the exit status, or 128 + signal when killed
    std::string out;    ///< stdout
    std::string err;    ///< stderr
};

/// Runs `migsafe ARGS...` with `env` added to the environment (an empty value unsets the
/// variable) and waits for it. NO_COLOR is always set.
CliResult run_cli(const std::vector<std::string>& args,
                  const std::map<std::string, std::string>& env = {});

} // namespace migsafe::test

namespace migsafe::test {

/// Starts `migsafe ARGS...` without waiting, with `env` added to the environment and
/// stdout/stderr sent to /dev/null. Returns its pid.
int spawn_cli(const std::vector<std::string>& args,
              const std::map<std::string, std::string>& env = {});

/// Like `spawn_cli`, with stdout and stderr written to the files `out` and `err` (created
/// 0600, truncated; /dev/null discards).
int spawn_cli_to(const std::vector<std::string>& args, const std::filesystem::path& out,
                 const std::filesystem::path& err,
                 const std::map<std::string, std::string>& env = {});

/// Waits for `pid`; returns its exit status, or 128 + signal when it was killed.
int wait_cli(int pid);

/// Runs `migsafe ARGS...` (output to /dev/null) and waits at most `seconds`: returns its
/// exit status (128 + signal when killed), or -1 when it ran over and was killed, so a
/// command that hangs (on a FIFO, say) fails the test instead of hanging the binary.
int exit_within(const std::vector<std::string>& args, int seconds);

} // namespace migsafe::test
