#include "support/shell.hpp"

#include <cstdio>
#include <stdexcept>

namespace migsafe::test {

ShellResult run_shell(const std::string& command)
{
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        throw std::runtime_error("popen failed for: " + command);
    }
    ShellResult result;
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
        result.output.append(buffer, n);
    }
    result.status = ::pclose(pipe);
    return result;
}

} // namespace migsafe::test
