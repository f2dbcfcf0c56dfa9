#include <migsafe/model/parser.hpp>
#include <migsafe/plan/analyze.hpp>
#include <migsafe/plan/render.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace plan = migsafe::plan;
using Json = nlohmann::json;

namespace {

plan::PlanReport sample()
{
    return plan::analyze_sql("-- migsafe:allow MS-OPS-01 maintenance window, 100%\n"
                             "CREATE INDEX t_c_idx ON t (c);",
                             "db/migrations/0001,a.sql");
}

} // namespace

TEST_CASE("plan::render_sarif is SARIF 2.1.0 with the catalog and located results")
{
    const Json sarif = Json::parse(plan::render_sarif(sample()));
    CHECK(sarif["version"] == "2.1.0");
    CHECK(sarif["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json");
    REQUIRE(sarif["runs"].size() == 1);
    const auto& driver = sarif["runs"][0]["tool"]["driver"];
    CHECK(driver["name"] == "migsafe");
    CHECK(driver["rules"].size() == plan::rule_catalog().size());
    CHECK(driver["rules"][0]["id"] == plan::rule_catalog()[0].id);
    CHECK(driver["rules"][0]["helpUri"] ==
          "docs/rules/" + std::string(plan::rule_catalog()[0].id) + ".md");
    const auto& results = sarif["runs"][0]["results"];
    REQUIRE(results.size() == 3); // MS-IDX-01, MS-OPS-01 (allowed), MS-OPS-02
    const auto& first = results[0];
    CHECK(first["ruleId"] == "MS-IDX-01");
    CHECK(first["level"] == "error");
    CHECK(driver["rules"][first["ruleIndex"].get<int>()]["id"] == "MS-IDX-01");
    const auto& location = first["locations"][0]["physicalLocation"];
    CHECK(location["artifactLocation"]["uri"] == "db/migrations/0001,a.sql");
    CHECK(location["region"]["startLine"] == 2);
    CHECK(location["region"]["startColumn"] == 1);
    CHECK(results[1]["suppressions"][0]["justification"] == "maintenance window, 100%");
    CHECK(results[2]["level"] == "note");
}

TEST_CASE("plan::render_github writes one escaped workflow command per open finding")
{
    const std::string out = plan::render_github(sample());
    const std::string expected_first =
        "::error file=db/migrations/0001%2Ca.sql,line=2,col=1,title=MS-IDX-01 "
        "create-index-blocking::CREATE INDEX takes ShareLock on public.t: blocks writes while "
        "the table is scanned and sorted%0Afix:%0ACREATE INDEX CONCURRENTLY t_c_idx ON t (c);%0A"
        "-- alone in a migration marked -- migsafe:no-transaction\n";
    CHECK(out.starts_with(expected_first));
    CHECK(out.find("MS-OPS-01") == std::string::npos); // allowed
    CHECK(out.find("::notice file=db/migrations/0001%2Ca.sql,line=2,col=1,title=MS-OPS-02 ") !=
          std::string::npos);
    CHECK(std::count(out.begin(), out.end(), '\n') == 2);
}

TEST_CASE("plan::render_text shows locks, findings, fixes and the verdict")
{
    const std::string plain = plan::render_text(sample());
    CHECK(plain.find("db/migrations/0001,a.sql:2:1 create_index [expand]") != std::string::npos);
    CHECK(plain.find("  lock    ShareLock public.t\n") != std::string::npos);
    CHECK(plain.find("  error MS-IDX-01 create-index-blocking: ") != std::string::npos);
    CHECK(plain.find("    allowed: maintenance window, 100%") != std::string::npos);
    CHECK(plain.find("verdict: fail (1 statements: 1 errors") != std::string::npos);
    CHECK(plain.find('\033') == std::string::npos);
    CHECK(plan::render_text(sample(), plan::Colour::on).find("\033[31m") != std::string::npos);
}

TEST_CASE("plan::parse_format reads the --format names")
{
    CHECK(plan::parse_format("sarif") == plan::Format::sarif);
    CHECK_FALSE(plan::parse_format("xml").has_value());
    CHECK(plan::render(sample(), plan::Format::json) == sample().to_json());
}

TEST_CASE("plan::render_text groups by migration, worst first, and ends with a summary")
{
    const std::string sql_ok = "SET lock_timeout = '2s';\nCREATE TABLE a (id int);\n";
    std::vector<plan::PlanInput> files;
    auto input = [](const std::string& sql, const std::string& file) {
        auto in = plan::read_plan_directives(sql, file);
        in.statements = migsafe::model::parse_sql(sql, file);
        return in;
    };
    files.push_back(input(sql_ok, "0001_a.sql"));
    files.push_back(
        input("SET lock_timeout = '2s';\nALTER TABLE old ADD COLUMN j json;\n", "0002_json.sql"));
    files.push_back(input("SET lock_timeout = '2s';\nCREATE INDEX i ON old (c);\n"
                          "ALTER TABLE b ADD COLUMN c int;\n",
                          "0003_index.sql"));
    files.push_back(input(sql_ok, "0004_b.sql"));
    const auto text = plan::render_text(plan::analyze(files));
    // The migration with an error comes first, then the one with a warning; the fine ones
    // are only named in the summary.
    const auto error_at = text.find("== 0003_index.sql: 1 error, 1 info ==");
    const auto warning_at = text.find("== 0002_json.sql: 1 warning ==");
    REQUIRE(error_at != std::string::npos);
    REQUIRE(warning_at != std::string::npos);
    CHECK(error_at < warning_at);
    CHECK(text.find("== 0001_a.sql") == std::string::npos);
    CHECK(text.find("0003_index.sql:2:1 create_index") != std::string::npos);
    CHECK(text.find("summary: 2 of 4 migrations need attention (1 with errors, 1 with warnings "
                    "only); 2 are fine (0001_a.sql, 0004_b.sql)\n") != std::string::npos);
}
