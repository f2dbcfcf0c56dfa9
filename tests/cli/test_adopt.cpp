// migsafe adopt as a process: exit codes 0, 1, 2 and 3, the text and --json reports.
#include "cli_runner.hpp"
#include "db/adopt/adopt_fixtures.hpp"
#include "support/test_db.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace migsafe::test::adopt_fixtures;
using migsafe::test::run_cli;
using migsafe::test::TestDatabase;

namespace {

void golang_migrate_project(const Folder& folder)
{
    for (int i = 1; i <= 3; ++i) {
        folder.write("000" + std::to_string(i) + "_m.up.sql", "SELECT 1;\n");
        folder.write("000" + std::to_string(i) + "_m.down.sql", "SELECT 1;\n");
    }
}

} // namespace

TEST_CASE("migsafe adopt: imports, is idempotent, --dry-run and --json")
{
    TestDatabase db;
    auto session = db.connect();
    Folder folder;
    golang_migrate_project(folder);
    session.exec(k_golang_migrate_ddl);
    session.exec("INSERT INTO schema_migrations VALUES (2, false)");
    const auto conninfo = db.conninfo();

    auto dry = run_cli({"adopt", "--from", "golang-migrate", "--db", conninfo, "--dir",
                        folder.str(), "--dry-run"});
    CHECK(dry.exit_code == 0);
    CHECK(dry.out.find("golang-migrate history public.schema_migrations (1 rows), dry run: "
                       "nothing written") != std::string::npos);
    CHECK(dry.out.find("2 to import, 0 already adopted, 0 refused") != std::string::npos);
    CHECK(session.query_value("SELECT to_regclass('migsafe.history') IS NULL") == "t");

    auto result =
        run_cli({"adopt", "--from", "golang-migrate", "--db", conninfo, "--dir", folder.str()});
    CHECK(result.exit_code == 0);
    CHECK(result.out.find("2 imported, 0 already adopted, 0 refused") != std::string::npos);

    auto again = run_cli(
        {"adopt", "--from", "golang-migrate", "--db", conninfo, "--dir", folder.str(), "--json"});
    CHECK(again.exit_code == 0);
    auto document = nlohmann::json::parse(again.out);
    CHECK(document["command"] == "adopt");
    CHECK(document["status"] == "pass");
    CHECK(document["report"]["counts"]["imported"] == 0);
    CHECK(document["report"]["counts"]["already_adopted"] == 2);
    CHECK(document["report"]["tool"] == "golang-migrate");
}

TEST_CASE("migsafe adopt: a dirty row is refused (exit 1) with the tool's fix")
{
    TestDatabase db;
    auto session = db.connect();
    Folder folder;
    golang_migrate_project(folder);
    session.exec(k_golang_migrate_ddl);
    session.exec("INSERT INTO schema_migrations VALUES (3, true)");
    auto result = run_cli(
        {"adopt", "--from", "golang-migrate", "--db", db.conninfo(), "--dir", folder.str()});
    CHECK(result.exit_code == 1);
    CHECK(result.out.find("refused          public.schema_migrations (golang-migrate version 3): "
                          "dirty") != std::string::npos);
    CHECK(result.out.find("fix: fix the database by hand, then `migrate -path " + folder.str() +
                          " -database \"$DATABASE_URL\" force 3`") != std::string::npos);
    CHECK(result.out.find("0 imported, 0 already adopted, 1 refused: nothing imported") !=
          std::string::npos);
    CHECK(session.query_value("SELECT to_regclass('migsafe.history') IS NULL") == "t");
}

TEST_CASE("migsafe adopt: usage and input errors exit 2, a running apply exits 3")
{
    TestDatabase db;
    auto session = db.connect();
    Folder folder;
    golang_migrate_project(folder);
    const auto conninfo = db.conninfo();

    auto unknown = run_cli({"adopt", "--from", "prisme", "--db", conninfo, "--dir", folder.str()});
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.err.find("--from 'prisme' is not a runner migsafe knows [adopt-tool-unknown]") !=
          std::string::npos);
    CHECK(unknown.err.find("did you mean `prisma`?") != std::string::npos);

    auto missing = run_cli({"adopt", "--from", "flyway", "--db", conninfo, "--dir", folder.str()});
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.find("no flyway history here: looked for public.flyway_schema_history "
                           "[adopt-history-not-found]") != std::string::npos);

    session.exec(k_golang_migrate_ddl);
    session.exec("INSERT INTO schema_migrations VALUES (2, false)");
    auto foreign = run_cli({"adopt", "--from", "dbmate", "--db", conninfo, "--dir", folder.str()});
    CHECK(foreign.exit_code == 2);
    CHECK(foreign.err.find("public.schema_migrations is not dbmate's: its columns are version "
                           "bigint, dirty boolean (golang-migrate's) [adopt-history-foreign]") !=
          std::string::npos);

    // migsafe apply's runner lock (workflow/runner_lock.hpp) held by another session.
    REQUIRE(session.query_value("SELECT pg_try_advisory_lock(7883946367941764353)") == "t");
    auto busy = run_cli({"adopt", "--from", "golang-migrate", "--db", conninfo, "--dir",
                         folder.str(), "--wait", "200ms"});
    CHECK(busy.exit_code == 3);
    CHECK(busy.err.find("[apply-lock-busy]") != std::string::npos);
}
