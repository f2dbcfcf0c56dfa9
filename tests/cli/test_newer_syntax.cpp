// A migration directory with PostgreSQL 16-18 syntax, as real projects have them today:
// the down files are read only by what uses them, and newer statements in up files are
// planned as MS-OPS-11 and judged by the server, never a reason to refuse the whole set.
#include "cli_runner.hpp"
#include "support/migration_dir.hpp"
#include "support/test_db.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

using migsafe::test::MigrationDir;
using migsafe::test::run_cli;
using migsafe::test::TestDatabase;

namespace {

std::string value(const TestDatabase& db, const std::string& sql)
{
    return db.connect().query_value(sql).value_or("<null>");
}

/// A folders-layout project whose down file uses PostgreSQL 18's named NOT NULL.
void write_project(MigrationDir& dir)
{
    std::filesystem::create_directories(dir.path() / "20240101000000_users");
    std::filesystem::create_directories(dir.path() / "20240102000000_email_required");
    dir.write("20240101000000_users/up.sql",
              "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n");
    dir.write("20240101000000_users/down.sql", "DROP TABLE users;\n");
    dir.write("20240102000000_email_required/up.sql",
              "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN name text;\n");
    // PostgreSQL 18 syntax, in a file sum, plan, status and apply never need.
    dir.write("20240102000000_email_required/down.sql",
              "ALTER TABLE users DROP COLUMN name;\n"
              "ALTER TABLE users ADD CONSTRAINT users_email_nn NOT NULL email NOT VALID;\n");
}

} // namespace

TEST_CASE("migsafe sum, plan, status and apply never read a down file with newer syntax")
{
    TestDatabase db;
    MigrationDir dir;
    write_project(dir);
    auto sum = run_cli({"sum", dir.str()});
    CHECK(sum.exit_code == 0);
    CHECK(sum.err == "");
    auto plan = run_cli({"plan", "--format", "json", dir.str()});
    CHECK(plan.exit_code == 0);
    const auto report = nlohmann::json::parse(plan.out);
    CHECK(report["report"]["counts"]["statements"] == 3);
    auto apply = run_cli({"apply", "--db", db.conninfo(), "--dir", dir.str(), "--no-snapshot"});
    CHECK(apply.exit_code == 0);
    CHECK(value(db, "SELECT count(*) FROM migsafe.history WHERE status = 'applied'") == "2");
    auto status = run_cli({"status", "--db", db.conninfo(), "--dir", dir.str()});
    CHECK(status.exit_code == 0);
}

TEST_CASE("migsafe plan: a PostgreSQL 18 statement in an up file is MS-OPS-11, not exit 2")
{
    MigrationDir dir;
    write_project(dir);
    std::filesystem::create_directories(dir.path() / "20240103000000_nickname");
    dir.write("20240103000000_nickname/up.sql",
              "SET lock_timeout = '2s';\n"
              "ALTER TABLE users ADD COLUMN nick text GENERATED ALWAYS AS (lower(email)) "
              "VIRTUAL;\n");
    SUBCASE("planned for 18: read as its equivalent, an info finding; the verdict passes")
    {
        auto result = run_cli({"plan", "--pg-version", "18", "--format", "json", dir.str()});
        CHECK(result.exit_code == 0);
        const auto report = nlohmann::json::parse(result.out);
        const auto& statement = report["report"]["statements"][4];
        CHECK(statement["kind"] == "unparsed");
        CHECK(statement["rewrites"].empty());
        REQUIRE(statement["findings"].size() == 1);
        CHECK(statement["findings"][0]["rule"] == "MS-OPS-11");
        CHECK(statement["findings"][0]["severity"] == "info");
    }
    SUBCASE("planned for 15: an error that names the version, still not exit 2")
    {
        auto result = run_cli({"plan", dir.str()});
        CHECK(result.exit_code == 1);
        CHECK(result.out.find("ADD COLUMN ... GENERATED ALWAYS AS (...) VIRTUAL is PostgreSQL 18 "
                              "syntax, but the plan is for PostgreSQL 15") != std::string::npos);
    }
    SUBCASE("a typo no grammar accepts is still exit 2 at file:line:column")
    {
        dir.write("20240103000000_nickname/up.sql", "ALTER TABLEE users ADD COLUMN nick text;\n");
        auto result = run_cli({"plan", dir.str()});
        CHECK(result.exit_code == 2);
        CHECK(result.err.find("20240103000000_nickname/up.sql:1:7: syntax error at or near "
                              "\"TABLEE\" [sql-syntax]") != std::string::npos);
    }
}

TEST_CASE("migsafe plan --db and apply: the server's parser judges a statement 15 rejects")
{
    // The test server is PostgreSQL 15: it rejects PostgreSQL 18 syntax as a typo would be,
    // so plan --db and apply refuse it before anything runs (exit 2), naming both parsers.
    TestDatabase db;
    MigrationDir dir;
    write_project(dir);
    std::filesystem::create_directories(dir.path() / "20240103000000_nickname");
    dir.write("20240103000000_nickname/up.sql",
              "CREATE TABLE audit (id int);\n"
              "ALTER TABLE users ADD CONSTRAINT users_email_nn NOT NULL email;\n");
    dir.seal();
    auto plan = run_cli({"plan", "--db", db.conninfo(), dir.str()});
    CHECK(plan.exit_code == 2);
    CHECK(plan.err.find("20240103000000_nickname/up.sql:2:49: syntax error at or near \"NOT\"; "
                        "the server, PostgreSQL 15, rejects it too") != std::string::npos);
    auto apply = run_cli({"apply", "--db", db.conninfo(), "--dir", dir.str(), "--no-snapshot"});
    CHECK(apply.exit_code == 2);
    CHECK(apply.err.find("rejects it too") != std::string::npos);
    // Nothing ran: not the first migrations, not the CREATE TABLE before the statement.
    CHECK(value(db, "SELECT to_regclass('users') IS NULL AND to_regclass('audit') IS NULL") == "t");
}
