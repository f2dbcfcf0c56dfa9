// migsafe health as a process: exit codes, JSON, and no password in what is printed.
#include "cli_runner.hpp"
#include "support/test_db.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

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
