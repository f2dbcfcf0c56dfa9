// migsafe compensate as a process: the SQL on stdout, --json, --write (files and
// migsafe.sum), and the exit codes 0, 1, 2 and 3, with no password in what is printed.
#include "cli_runner.hpp"
#include "support/migration_dir.hpp"
#include "support/test_db.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>

using migsafe::test::MigrationDir;
using migsafe::test::run_cli;
using migsafe::test::TestDatabase;

TEST_CASE("migsafe compensate: exit codes, the SQL, --json and --write")
{
    TestDatabase db;
    MigrationDir dir;
    dir.write("0001_t.sql", "CREATE TABLE t (id bigint PRIMARY KEY, legacy text);\n"
                            "INSERT INTO t SELECT g, 'x' FROM generate_series(1, 5) g;\n");
    dir.write("0002_score.sql", "ALTER TABLE t ADD COLUMN score integer;\n");
    dir.write("0003_drop.sql", "ALTER TABLE t DROP COLUMN legacy;\n");
    dir.write("0004_later.sql", "CREATE TABLE later (id int);\n");
    dir.seal();
    const auto conninfo = db.conninfo();
    REQUIRE(run_cli({"apply", "--db", conninfo, "--dir", dir.str(), "--no-snapshot", "--to", "3"})
                .exit_code == 0);

    SUBCASE("0: lossless and archived steps; the SQL on stdout")
    {
        auto result = run_cli({"compensate", "--db", conninfo, "--dir", dir.str(), "2"});
        CHECK(result.exit_code == 0);
        CHECK(result.out.find("CREATE TABLE migsafe_archive.t__score__0002 AS SELECT id, score "
                              "FROM public.t;") != std::string::npos);
        CHECK(result.out.find("ALTER TABLE public.t DROP COLUMN score;") != std::string::npos);
        CHECK(result.out.find("-- undoes 0002_score.sql:1") != std::string::npos);
    }
    SUBCASE("1: a dropped column needs the snapshot; --json says so")
    {
        auto result = run_cli({"compensate", "--db", conninfo, "--dir", dir.str(), "--json", "3"});
        CHECK(result.exit_code == 1);
        auto document = nlohmann::json::parse(result.out);
        CHECK(document["command"] == "compensate");
        CHECK(document["status"] == "fail");
        CHECK(document["report"]["complete"] == false);
        CHECK(document["report"]["counts"]["needs-snapshot"] == 1);
        CHECK(document["report"]["steps"][0]["sql"] ==
              "ALTER TABLE public.t ADD COLUMN legacy text");
        CHECK(document["report"]["steps"][0]["safety"] == "needs-snapshot");
    }
    SUBCASE("--write adds the next version and rewrites migsafe.sum; apply runs it")
    {
        auto result = run_cli({"compensate", "--db", conninfo, "--dir", dir.str(), "--write", "2"});
        CHECK(result.exit_code == 0);
        const auto written = dir.path() / "0005_compensate_0002.sql";
        CHECK(std::filesystem::exists(written));
        CHECK(result.out.find("wrote " + written.string()) != std::string::npos);
        CHECK(result.out.find("rewrote") != std::string::npos);
        auto sum = run_cli({"sum", "--check", dir.str()});
        CHECK(sum.exit_code == 0);
        auto applied = run_cli({"apply", "--db", conninfo, "--dir", dir.str(), "--no-snapshot"});
        CHECK(applied.exit_code == 0);
        CHECK(db.connect()
                  .query_value("SELECT count(*) FROM migsafe_archive.t__score__0002")
                  .value_or("") == "5");
    }
    SUBCASE("2: unknown, not applied, drifted, not a number")
    {
        auto unknown = run_cli({"compensate", "--db", conninfo, "--dir", dir.str(), "9"});
        CHECK(unknown.exit_code == 2);
        CHECK(unknown.err.find("[compensate-unknown-version]") != std::string::npos);
        auto pending = run_cli({"compensate", "--db", conninfo, "--dir", dir.str(), "--json", "4"});
        CHECK(pending.exit_code == 2);
        auto document = nlohmann::json::parse(pending.out);
        CHECK(document["status"] == "error");
        CHECK(document["error"]["code"] == "compensate-not-applied");
        dir.write("0002_score.sql", "ALTER TABLE t ADD COLUMN score bigint;\n");
        auto drifted = run_cli({"compensate", "--db", conninfo, "--dir", dir.str(), "2"});
        CHECK(drifted.exit_code == 2);
        CHECK(drifted.err.find("[compensate-drifted]") != std::string::npos);
        auto word = run_cli({"compensate", "--db", conninfo, "--dir", dir.str(), "two"});
        CHECK(word.exit_code == 2);
        CHECK(word.err.find("[usage-invalid-option]") != std::string::npos);
        auto schema = run_cli(
            {"compensate", "--db", conninfo, "--dir", dir.str(), "--archive-schema", "", "2"});
        CHECK(schema.exit_code == 2);
        CHECK(schema.err.find("--archive-schema: the schema name is empty") != std::string::npos);
    }
    SUBCASE("3: the database is unreachable; the password is not printed")
    {
        auto result = run_cli({"compensate", "--db",
                               "postgresql://someone:hunter2@127.0.0.1:1/nowhere?connect_timeout=2",
                               "--dir", dir.str(), "2"});
        CHECK(result.exit_code == 3);
        CHECK(result.out.find("hunter2") == std::string::npos);
        CHECK(result.err.find("hunter2") == std::string::npos);
    }
}
