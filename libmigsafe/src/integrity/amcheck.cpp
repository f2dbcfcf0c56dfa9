// pg_amcheck exits 0 when it found nothing, 2 when it found corruption and 1 on any other
// failure; without the extension (and without --install-missing) it fails with a message
// naming "amcheck", which is told apart so that the hint can say what to do.
#include <migsafe/integrity/amcheck.hpp>
#include <migsafe/platform/conninfo.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/pg_binaries.hpp>
#include <migsafe/platform/process.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

namespace migsafe::integrity {
namespace {

constexpr int k_corruption_found = 2;

std::vector<std::string> lines_of(const std::string& text)
{
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty()) {
            lines.push_back(line);
        }
    }
    return lines;
}

} // namespace

AmcheckResult run_amcheck(const std::string& conninfo_text, const AmcheckOptions& options)
{
    auto binaries = platform::find_pg_binaries({.required = {"pg_amcheck"}});
    auto program = binaries.program("pg_amcheck").string();
    const auto conninfo = platform::ConnInfo::parse(conninfo_text);
    auto env = conninfo.environment();
    std::vector<std::string> args{"--no-strict-names",
                                  "--jobs=" + std::to_string(std::max(options.jobs, 1))};
    if (options.heap_all_indexed) {
        args.emplace_back("--heapallindexed");
    }
    if (options.install == InstallAmcheck::yes) {
        args.emplace_back("--install-missing");
    }
    auto result = platform::run_process({.program = program,
                                         .args = args,
                                         .env = env,
                                         .on_failure = platform::OnFailure::return_result});
    AmcheckResult out;
    out.pg_amcheck_version = fmt::format("pg_amcheck (PostgreSQL) {}", binaries.major_version);
    if (result.exit_code == 0) {
        return out;
    }
    if (result.exit_code == k_corruption_found) {
        out.corruption_found = true;
        out.problems = lines_of(result.out);
        return out;
    }
    auto message = conninfo.mask_secrets_in(result.err.empty() ? result.out : result.err);
    while (!message.empty() && message.back() == '\n') {
        message.pop_back();
    }
    if (message.find("amcheck") != std::string::npos &&
        message.find("not installed") != std::string::npos) {
        throw Error("amcheck-unavailable",
                    fmt::format("the amcheck extension is not installed in {}: {}",
                                conninfo.masked(), message),
                    {.object = "amcheck"});
    }
    throw Error("process-failed",
                fmt::format("pg_amcheck failed (exit {}) on {}: {}", result.exit_code,
                            conninfo.masked(), message),
                {.object = "pg_amcheck"});
}

} // namespace migsafe::integrity
