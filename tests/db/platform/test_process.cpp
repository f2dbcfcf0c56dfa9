#include <migsafe/platform/error.hpp>
#include <migsafe/platform/process.hpp>

#include <doctest/doctest.h>

#include <pwd.h>

#include <chrono>

namespace platform = migsafe::platform;
using namespace std::chrono_literals;

TEST_CASE("platform::run_process captures stdout, stderr, the exit code and the environment")
{
    auto result = platform::run_process({.program = "sh",
                                         .args = {"-c", "echo out; echo err >&2; echo $MIGSAFE_X; "
                                                        "pwd; exit 3"},
                                         .env = {{"MIGSAFE_X", "x-value"}},
                                         .working_dir = "/",
                                         .on_failure = platform::OnFailure::return_result});
    CHECK(result.exit_code == 3);
    CHECK(result.out == "out\nx-value\n/\n");
    CHECK(result.err == "err\n");
}

TEST_CASE("platform::run_process throws process-failed with stderr on a non-zero exit")
{
    CHECK_THROWS_WITH_AS(
        platform::run_process({.program = "sh", .args = {"-c", "echo broken >&2; exit 2"}}),
        "sh exited with status 2: broken [process-failed]", migsafe::Error);
}

TEST_CASE("platform::run_process kills a program that outlives its timeout")
{
    const auto started = std::chrono::steady_clock::now();
    try {
        // The grandchild (sleep) holds the output pipe: the whole group must die.
        platform::run_process(
            {.program = "sh", .args = {"-c", "sleep 30; true"}, .timeout = 300ms});
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "process-timeout");
        CHECK(e.message().starts_with("sh was killed after "));
        CHECK(e.message().ends_with(" ms (time limit 300 ms)"));
        CHECK(migsafe::exit_code_for(e.category()) == 3);
    }
    CHECK(std::chrono::steady_clock::now() - started < 5s);
}

TEST_CASE("platform::run_process of a missing program is binary-not-found with a package hint")
{
    try {
        platform::run_process({.program = "pg_no_such_tool"});
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "binary-not-found");
        CHECK(e.message() == "program pg_no_such_tool was not found in PATH");
        CHECK(e.hint() == "apt-get install postgresql-15 or set MIGSAFE_PG_BINDIR");
    }
    try {
        platform::run_process({.program = "/nonexistent/zstd", .debian_package = "zstd"});
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "binary-not-found");
        CHECK(e.message() == "program /nonexistent/zstd does not exist or is not executable");
        CHECK(e.hint() == "apt-get install zstd or put zstd on PATH");
    }
}

TEST_CASE("platform::run_process runs as an unprivileged user when root")
{
    if (!platform::running_as_root()) {
        return;
    }
    const std::string user = platform::unprivileged_user();
    auto result = platform::run_process({.program = "id", .args = {"-u"}, .run_as_user = user});
    passwd* entry = getpwnam(user.c_str());
    REQUIRE(entry != nullptr);
    CHECK(result.out == std::to_string(entry->pw_uid) + "\n");
}

TEST_CASE("platform::run_process keeps passwords out of its error messages")
{
    try {
        platform::run_process(
            {.program = "sh",
             .args = {"-c", "echo \"bad $0\" >&2; exit 1", "postgresql://u:s3cret@localhost/db"}});
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.message().find("s3cret") == std::string::npos);
        CHECK(e.message().find("***") != std::string::npos);
    }
}

TEST_CASE("platform::run_process as a user that does not exist is process-failed")
{
    if (!platform::running_as_root()) {
        return;
    }
    CHECK_THROWS_WITH_AS(
        platform::run_process({.program = "true", .run_as_user = "migsafe-no-such-user"}),
        "cannot run true as user migsafe-no-such-user: no such user [process-failed]",
        migsafe::Error);
}
