// migsafe health as a process: exit codes, JSON, and no password in what is printed.
#include "cli_runner.hpp"
#include "support/test_db.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using migsafe::test::run_cli;
using migsafe::test::TestDatabase;

TEST_CASE("migsafe health exits 0 on a healthy database and 1 when a finding is an error")
{
    TestDatabase db;
    auto healthy = run_cli({"health", "--db", db.conninfo()});
    CHECK(healthy.exit_code == 0);
    CHECK(healthy.out.find("verdict: pass (0 errors, 0 warnings)") != std::string::npos);

    db.connect().exec("CREATE TABLE t (id serial); SELECT setval('t_id_seq', 2100000000)");
    auto sick = run_cli({"health", "--db", db.conninfo(), "--json"});
    CHECK(sick.exit_code == 1);
    const auto doc = nlohmann::json::parse(sick.out);
    CHECK(doc["command"] == "health");
    CHECK(doc["report"]["verdict"] == "fail");
    CHECK(doc["report"]["findings"][0]["check"] == "sequence-exhaustion");
    CHECK(doc["report"]["findings"][0]["severity"] == "error");
}

TEST_CASE("migsafe health: bad options exit 2, an unreachable server 3 without the password")
{
    auto bad = run_cli({"health", "--db", "dbname=x", "--lock-wait", "soon"});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("--lock-wait") != std::string::npos);

    auto down = run_cli(
        {"health", "--db", "host=/nonexistent port=1 user=u password=hunter2 dbname=x", "--json"});
    CHECK(down.exit_code == 3);
    CHECK(down.out.find("hunter2") == std::string::npos);
    CHECK(down.err.find("hunter2") == std::string::npos);
    CHECK(nlohmann::json::parse(down.out)["error"]["code"] == "db-connect-failed");
}

TEST_CASE("migsafe health: a threshold past ten years is a usage error naming the option and the "
          "maximum")
{
    TestDatabase db;
    auto huge = run_cli({"health", "--db", db.conninfo(), "--long-transaction", "99999999d"});
    CHECK(huge.exit_code == 2);
    CHECK(huge.err.find("--long-transaction 99999999d is out of range: at most 3650d "
                        "[usage-invalid-option]") != std::string::npos);
    auto json = run_cli({"health", "--db", db.conninfo(), "--lock-wait", "4000d", "--json"});
    CHECK(json.exit_code == 2);
    CHECK(nlohmann::json::parse(json.out)["error"]["code"] == "usage-invalid-option");
    auto edge = run_cli({"health", "--db", db.conninfo(), "--long-transaction", "3650d"});
    CHECK(edge.exit_code == 0);
}

TEST_CASE("migsafe --log-file: the log is 0600 and the folders it creates 0700")
{
    TestDatabase db;
    char pattern[] = "/tmp/migsafe-log-XXXXXX";
    REQUIRE(::mkdtemp(pattern) != nullptr);
    const std::filesystem::path base(pattern);
    const auto log = base / "new" / "deeper" / "migsafe.log";
    auto result = run_cli(
        {"--log-file", log.string(), "--log-level", "debug", "health", "--db", db.conninfo()});
    CHECK(result.exit_code == 0);
    struct stat info {};
    REQUIRE(::stat(log.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    CHECK(info.st_size > 0);
    REQUIRE(::stat((base / "new").c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0700);
    REQUIRE(::stat((base / "new" / "deeper").c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0700);
    // A folder that existed keeps its mode; a log that existed is made private.
    REQUIRE(::stat(base.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0700); // mkdtemp's own mode, untouched
    const auto shared = base / "shared.log";
    {
        std::ofstream(shared) << "old\n";
    }
    ::chmod(shared.c_str(), 0644);
    CHECK(run_cli({"--log-file", shared.string(), "health", "--db", db.conninfo()}).exit_code == 0);
    REQUIRE(::stat(shared.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    std::filesystem::remove_all(base);
}
