#include "cli_runner.hpp"
#include "support/migration_dir.hpp"
#include "support/shell.hpp"
#include "support/test_db.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using migsafe::test::run_cli;
namespace fs = std::filesystem;

namespace {

const fs::path k_fixtures = MIGSAFE_FIXTURES_DIR;

std::string fixture(const std::string& rule, const std::string& which)
{
    return (k_fixtures / "plan" / rule / (which + ".sql")).string();
}

} // namespace

TEST_CASE("migsafe plan fails the blocking index (exit 1) and passes CONCURRENTLY (exit 0)")
{
    auto blocking = run_cli({"plan", "--json", fixture("MS-IDX-01", "fail")});
    CHECK(blocking.exit_code == 1);
    auto doc = nlohmann::json::parse(blocking.out);
    CHECK(doc["status"] == "fail");
    const auto& statement = doc["report"]["statements"][1];
    CHECK(statement["kind"] == "create_index");
    CHECK(statement["locks"][0]["relation"] == "public.professionals");
    CHECK(statement["locks"][0]["mode"] == "ShareLock");
    CHECK(statement["scans"][0] == "public.professionals");
    bool found = false;
    for (const auto& finding : statement["findings"]) {
        found =
            found || (finding["rule"] == "MS-IDX-01" && finding["severity"] == "error" &&
                      finding["fix"].get<std::string>().find("CONCURRENTLY") != std::string::npos);
    }
    CHECK(found);

    auto safe = run_cli({"plan", fixture("MS-IDX-01", "pass")});
    CHECK(safe.exit_code == 0);
    CHECK(safe.out.find("verdict: pass") != std::string::npos);
}

TEST_CASE("migsafe plan --pg-version changes the verdict of ADD COLUMN with a default")
{
    auto rules_for = [](const std::string& version) {
        auto result =
            run_cli({"plan", "--json", "--pg-version", version, fixture("MS-COL-04", "fail")});
        std::vector<std::string> rules;
        auto doc = nlohmann::json::parse(result.out);
        for (const auto& s : doc["report"]["statements"]) {
            for (const auto& f : s["findings"]) {
                rules.push_back(f["rule"]);
            }
        }
        return rules;
    };
    auto has = [](const std::vector<std::string>& rules, const std::string& rule) {
        return std::find(rules.begin(), rules.end(), rule) != rules.end();
    };
    CHECK(has(rules_for("10"), "MS-COL-04"));
    CHECK_FALSE(has(rules_for("15"), "MS-COL-04"));
}

TEST_CASE("migsafe plan --format sarif and github print findings with file and line")
{
    auto sarif = run_cli({"plan", "--format", "sarif", fixture("MS-IDX-01", "fail")});
    CHECK(sarif.exit_code == 1);
    auto doc = nlohmann::json::parse(sarif.out);
    CHECK(doc["version"] == "2.1.0");
    const auto& result = doc["runs"][0]["results"][0];
    CHECK(result["ruleId"] == "MS-IDX-01");
    CHECK(result["locations"][0]["physicalLocation"]["region"]["startLine"] == 5);

    auto github = run_cli({"plan", "--format", "github", fixture("MS-IDX-01", "fail")});
    CHECK(github.exit_code == 1);
    CHECK(github.out.find("::error file=") != std::string::npos);
    CHECK(github.out.find(",line=5,") != std::string::npos);
}

TEST_CASE("migsafe plan on the podiatry set plans every statement, release by release")
{
    auto result = run_cli({"plan", "--json", (k_fixtures / "podiatry").string()});
    CHECK(result.exit_code == 1); // the fixtures hold risky changes on purpose
    auto doc = nlohmann::json::parse(result.out);
    const auto& statements = doc["report"]["statements"];
    REQUIRE(statements.size() == 18);
    // 0007 indexes a table created by 0004, an earlier release: it is a blocking index.
    bool index_flagged = false;
    for (const auto& s : statements) {
        if (s["file"] == "0007_index_reviews_professional.sql") {
            for (const auto& f : s["findings"]) {
                index_flagged = index_flagged || f["rule"] == "MS-IDX-01";
            }
        }
    }
    CHECK(index_flagged);
    // Planned as one release, the table is new in that release and the index is exempt.
    auto together =
        run_cli({"plan", "--json", "--release-from", "1", (k_fixtures / "podiatry").string()});
    CHECK(together.out.find("\"MS-IDX-01\"") == std::string::npos);
}

TEST_CASE("migsafe plan refuses bad input with exit 2 and the location")
{
    auto syntax = run_cli({"plan", (k_fixtures / "bad" / "syntax-error").string()});
    CHECK(syntax.exit_code == 2);
    CHECK(syntax.err.find("0002_add_phone.sql:5:") != std::string::npos);

    auto edited = run_cli({"plan", (k_fixtures / "bad" / "edited-after-sum").string()});
    CHECK(edited.exit_code == 2);
    CHECK(edited.err.find("[sum-mismatch]") != std::string::npos);

    auto missing = run_cli({"plan", "/nonexistent.sql"});
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.find("/nonexistent.sql") != std::string::npos);

    auto bad_format = run_cli({"plan", "--format", "xml", fixture("MS-IDX-01", "fail")});
    CHECK(bad_format.exit_code == 2);
}

TEST_CASE("migsafe plan --trace runs the migrations on PostgreSQL and compares")
{
    migsafe::test::require_local_postgres();
    auto with_setup = run_cli({"plan", "--trace", "--json", (k_fixtures / "podiatry").string()});
    CAPTURE(with_setup.err);
    REQUIRE(with_setup.exit_code == 1);
    auto doc = nlohmann::json::parse(with_setup.out);
    const auto& trace = doc["report"]["trace"];
    CHECK(trace["server_version"].get<int>() >= 150000);
    CHECK(trace["compared"].get<int>() >= 15);
    CHECK(trace["agreed"].get<int>() >= trace["compared"].get<int>() - 5);
    REQUIRE(trace["not_traced"].size() == 1); // the CREATE INDEX CONCURRENTLY of 0011
    CHECK(trace["not_traced"][0]["file"] == "0011_index_appointments_starts_at.sql");
}

TEST_CASE("migsafe plan --format sarif validates against the SARIF 2.1.0 schema")
{
    auto sarif = run_cli({"plan", "--format", "sarif", (k_fixtures / "podiatry").string()});
    REQUIRE(sarif.exit_code == 1);
    auto path =
        fs::temp_directory_path() / ("migsafe-cli-sarif-" + std::to_string(::getpid()) + ".json");
    std::ofstream(path) << sarif.out;
    // Debian's python3 (not a pyenv one earlier in PATH) has python3-jsonschema.
    std::string command = "/usr/bin/python3 -c 'import json, sys, jsonschema; "
                          "jsonschema.validate(json.load(open(sys.argv[1])), "
                          "json.load(open(sys.argv[2])))' '" +
                          path.string() + "' '" + MIGSAFE_SOURCE_DIR +
                          "/tests/schemas/sarif-2.1.0-rtm.5.json' 2>&1";
    const auto validation = migsafe::test::run_shell(command);
    CAPTURE(validation.output);
    CHECK(validation.status == 0);
    fs::remove(path);
}

TEST_CASE("migsafe plan --db reads the live catalog: a varchar widen passes, int -> bigint fails")
{
    migsafe::test::TestDatabase db;
    db.connect().exec("CREATE TABLE reviews (id int, title varchar(50));"
                      "INSERT INTO reviews SELECT i, 't' FROM generate_series(1, 500) i;"
                      "ANALYZE reviews");
    const auto dir = fs::temp_directory_path() / ("migsafe-cli-plan-db-" + db.name());
    fs::create_directories(dir);
    const auto widen = (dir / "0001_widen.sql").string();
    const auto bigint = (dir / "0002_bigint.sql").string();
    {
        std::ofstream(widen) << "ALTER TABLE reviews ALTER COLUMN title TYPE varchar(100);\n";
        std::ofstream(bigint) << "ALTER TABLE reviews ALTER COLUMN id TYPE bigint;\n";
    }
    auto offline = run_cli({"plan", "--json", widen}, {{"DATABASE_URL", db.conninfo()}});
    CHECK(offline.exit_code == 1); // DATABASE_URL alone does not read the catalog

    auto passes = run_cli({"plan", "--json", "--db", db.conninfo(), widen});
    CAPTURE(passes.err);
    CHECK(passes.exit_code == 0);
    auto doc = nlohmann::json::parse(passes.out);
    CHECK(doc["report"]["statements"][0]["rewrites"].empty());
    CHECK(doc["report"]["pg_version"].get<int>() >= 15);

    auto fails = run_cli({"plan", "--json", "--db", db.conninfo(), bigint});
    CHECK(fails.exit_code == 1);
    doc = nlohmann::json::parse(fails.out);
    std::string message;
    for (const auto& finding : doc["report"]["statements"][0]["findings"]) {
        if (finding["rule"] == "MS-COL-07") {
            message = finding["message"].get<std::string>();
        }
    }
    CHECK(message.find("[public.reviews: ~500 rows, ") != std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("migsafe plan --trace --db traces the pending migrations on a copy of the live schema")
{
    migsafe::test::TestDatabase db;
    migsafe::test::MigrationDir dir;
    dir.write("0001_items.sql", "CREATE TABLE items (id int PRIMARY KEY, price int);\n");
    dir.write("0002_widen.sql", "ALTER TABLE items ALTER COLUMN price TYPE bigint;\n"
                                "CREATE INDEX items_price_idx ON items (price);\n");
    dir.seal();
    auto applied = run_cli({"apply", "--db", db.conninfo(), "--dir", dir.str(), "--to", "1"});
    CAPTURE(applied.err);
    REQUIRE(applied.exit_code == 0);
    db.connect().exec("INSERT INTO items SELECT g, g FROM generate_series(1, 300) g");

    auto traced = run_cli({"plan", dir.str(), "--db", db.conninfo(), "--trace", "--json"});
    CAPTURE(traced.err);
    auto doc = nlohmann::json::parse(traced.out);
    const auto& trace = doc["report"]["trace"];
    CHECK(trace["compared"] == 2); // 0002's two statements; 0001 is already applied
    CHECK(trace["disagreements"].empty());
    CHECK(trace["not_traced"].empty());
    // Nothing of 0002 reached the live database.
    CHECK(db.connect().query_value("SELECT data_type FROM information_schema.columns WHERE "
                                   "table_name = 'items' AND column_name = 'price'") == "integer");
    CHECK(db.connect().query_value("SELECT count(*) FROM migsafe.history") == "1");
}

TEST_CASE("migsafe plan on a file that is not UTF-8 exits 2 naming file:line:column, in every "
          "format")
{
    migsafe::test::MigrationDir dir;
    dir.write("0001_bad.sql",
              "CREATE TABLE t (id int);\n-- caf\xe9\nCREATE TABLE \"\xff\" (a int);\n");
    const auto file = (dir.path() / "0001_bad.sql").string();
    for (const char* format : {"text", "json", "sarif", "github"}) {
        CAPTURE(format);
        auto result = run_cli({"plan", "--format", format, file});
        CHECK(result.exit_code == 2);
        CHECK(result.err.find(file + ":2:7: not valid UTF-8: byte 0xe9 at offset 31 "
                                     "[input-invalid-utf8]") != std::string::npos);
        if (std::string(format) == "json") {
            auto doc = nlohmann::json::parse(result.out);
            CHECK(doc["error"]["code"] == "input-invalid-utf8");
            CHECK(doc["error"]["line"] == 2);
        }
    }
    auto as_set = run_cli({"plan", "--json", dir.str()});
    CHECK(as_set.exit_code == 2);
    CHECK(nlohmann::json::parse(as_set.out)["error"]["code"] == "input-invalid-utf8");
}

TEST_CASE("migsafe plan refuses a statement over the size or nesting limit with exit 2 and "
          "file:line")
{
    migsafe::test::MigrationDir dir;
    std::string deep = "CREATE TABLE t (id int);\nSELECT 1";
    for (int i = 0; i < 400000; ++i) {
        deep += "+1";
    }
    dir.write("0001_deep.sql", deep + ";\n");
    auto nested = run_cli({"plan", (dir.path() / "0001_deep.sql").string()});
    CHECK(nested.exit_code == 2);
    CHECK(nested.err.find("0001_deep.sql:2:1: the statement nests deeper than the limit of 3000 "
                          "levels of its parse tree [sql-limit-exceeded]") != std::string::npos);

    std::string wide = "SELECT 1;\n\nCREATE TABLE wide (";
    for (int i = 0; i < 120000; ++i) {
        wide += (i == 0 ? "c" : ", c") + std::to_string(i) + " int";
    }
    dir.write("0002_wide.sql", wide + ");\n");
    auto large = run_cli({"plan", (dir.path() / "0002_wide.sql").string()});
    CHECK(large.exit_code == 2);
    CHECK(large.err.find("0002_wide.sql:3:1: the statement is ") != std::string::npos);
    CHECK(large.err.find("bytes long, over the limit of 1048576 bytes [sql-limit-exceeded]") !=
          std::string::npos);
}

TEST_CASE("migsafe plan refuses a FIFO, a device and unresolvable paths with exit 2, never "
          "hanging")
{
    migsafe::test::MigrationDir dir;
    const auto fifo = dir.path() / "0001_fifo.sql";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK(migsafe::test::exit_within({"plan", fifo.string()}, 20) == 2);
    auto as_file = run_cli({"plan", fifo.string()});
    CHECK(as_file.err.find(fifo.string() + ": cannot read " + fifo.string() +
                           ": it is a FIFO, not a regular file [input-not-regular-file]") !=
          std::string::npos);
    CHECK(migsafe::test::exit_within({"plan", dir.str()}, 20) == 2);

    const auto zero = dir.path() / "zero.sql";
    fs::create_symlink("/dev/zero", zero);
    auto device = run_cli({"plan", zero.string()});
    CHECK(device.exit_code == 2);
    CHECK(device.err.find("it is a character device, not a regular file") != std::string::npos);

    const auto loop = dir.path() / "loop.sql";
    fs::create_symlink(loop, loop);
    auto looped = run_cli({"plan", loop.string()});
    CHECK(looped.exit_code == 2);
    CHECK(looped.err.find("[input-path-invalid]") != std::string::npos);
    CHECK(looped.err.find(loop.string()) != std::string::npos);

    const std::string long_path = "/tmp/" + std::string(100000, 'x') + ".sql";
    auto too_long = run_cli({"plan", long_path});
    CHECK(too_long.exit_code == 2);
    CHECK(too_long.err.find("File name too long") != std::string::npos);

    fs::remove(fifo);
    const auto sum = dir.path() / "migsafe.sum";
    dir.write("0001_ok.sql", "CREATE TABLE t (id int);\n");
    REQUIRE(::mkfifo(sum.c_str(), 0600) == 0);
    CHECK(migsafe::test::exit_within({"plan", dir.str()}, 20) == 2);
}

TEST_CASE("migsafe plan: argument range errors are usage errors in the house form")
{
    auto version = run_cli({"plan", "--pg-version", "99", fixture("MS-IDX-01", "fail")});
    CHECK(version.exit_code == 2);
    CHECK(version.err.starts_with("migsafe: error: --pg-version: Value 99 not in range 10 to 18 "
                                  "[usage-invalid-option]\n"));
    auto jobs = run_cli({"verify", "--jobs", "0", "--db", "dbname=x"});
    CHECK(jobs.exit_code == 2);
    CHECK(jobs.err.starts_with("migsafe: error: --jobs: Value 0 not in range 1 to 64 "
                               "[usage-invalid-option]\n"));
}
