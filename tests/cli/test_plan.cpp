#include "cli_runner.hpp"
#include "support/migration_dir.hpp"
#include "support/test_db.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
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
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string output;
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
        output.append(buffer, n);
    }
    int status = ::pclose(pipe);
    CAPTURE(output);
    CHECK(status == 0);
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
