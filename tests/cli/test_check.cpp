// migsafe check as a process: the gate's exit codes and JSON.
#include "cli_runner.hpp"
#include "support/migration_dir.hpp"
#include "support/test_db.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using migsafe::test::MigrationDir;
using migsafe::test::run_cli;
using migsafe::test::TestDatabase;

TEST_CASE("migsafe check exits 0 when the gate passes, 1 when an item fails")
{
    TestDatabase db;
    MigrationDir dir;
    dir.write("0001_t.sql", "CREATE TABLE t (id bigint PRIMARY KEY);\n");
    dir.seal();
    auto pass = run_cli({"check", "--db", db.conninfo(), "--dir", dir.str()});
    CHECK(pass.exit_code == 0);
    CHECK(pass.out.find("verdict: pass") != std::string::npos);

    dir.write("0001_t.sql", "CREATE TABLE t (id int PRIMARY KEY);\n"); // not sealed
    auto fail = run_cli({"check", "--db", db.conninfo(), "--dir", dir.str(), "--json"});
    CHECK(fail.exit_code == 1);
    const auto doc = nlohmann::json::parse(fail.out);
    CHECK(doc["command"] == "check");
    CHECK(doc["report"]["verdict"] == "fail");
    CHECK(doc["report"]["items"][0]["name"] == "migrations");
    CHECK(doc["report"]["items"][0]["status"] == "fail");
}

TEST_CASE("migsafe check: bad input exits 2, an unreachable server 3 without the password")
{
    auto missing = run_cli({"check", "--db", "dbname=x", "--dir", "/nonexistent/migrations"});
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.find("/nonexistent/migrations") != std::string::npos);
    auto bad = run_cli({"check", "--db", "dbname=x", "--max-drill-age", "often"});
    CHECK(bad.exit_code == 2);

    MigrationDir dir;
    auto down =
        run_cli({"check", "--db", "host=/nonexistent port=1 user=u password=hunter2 dbname=x",
                 "--dir", dir.str()});
    CHECK(down.exit_code == 3);
    CHECK(down.out.find("hunter2") == std::string::npos);
    CHECK(down.err.find("hunter2") == std::string::npos);
}
