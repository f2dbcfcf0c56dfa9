#pragma once
// Running a shell command from a test (a validator such as xmllint or python3 -m
// jsonschema) and reading what it printed.

#include <string>

namespace migsafe::test {

/// What a shell command printed (stdout; add `2>&1` for stderr) and its wait status.
struct ShellResult {
    int status = -1;
    std::string output;
};

/// Runs `command` with /bin/sh (popen) and waits for it.
ShellResult run_shell(const std::string& command);

} // namespace migsafe::test
