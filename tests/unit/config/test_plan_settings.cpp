// [plan] of migsafe.toml in the planner: disabled rules, severities, allowances by glob.
#include <migsafe/config/config_file.hpp>
#include <migsafe/config/plan_settings.hpp>
#include <migsafe/model/parser.hpp>
#include <migsafe/plan/analyze.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

namespace config = migsafe::config;
namespace plan = migsafe::plan;

namespace {

// An index on a table the release did not create: MS-IDX-01 (error).
const std::string k_sql = "SET lock_timeout = '2s';\nCREATE INDEX i ON t (c);\n";

plan::PlanReport plan_with(const std::string& toml, const std::string& file)
{
    plan::PlanOptions options;
    config::add_plan_settings(config::parse_config(toml, "migsafe.toml"), options);
    return plan::analyze_sql(k_sql, file, options);
}

const plan::Finding* finding(const plan::PlanReport& report, const std::string& rule)
{
    for (const auto& s : report.statements) {
        for (const auto& f : s.findings) {
            if (f.rule == rule) {
                return &f;
            }
        }
    }
    return nullptr;
}

} // namespace

TEST_CASE("config: without settings the blocking index fails the plan")
{
    const auto report = plan_with("", "0003_index.sql");
    REQUIRE(finding(report, "MS-IDX-01") != nullptr);
    CHECK(report.verdict == plan::Verdict::fail);
}

TEST_CASE("config: an allowance matches the migration's path by glob and keeps the finding")
{
    const std::string toml = R"([[plan.allow]]
rule = "MS-IDX-01"
path = "*_small_*.sql"
reason = "the table has 40 rows"
)";
    auto report = plan_with(toml, "0003_small_index.sql");
    const auto* f = finding(report, "MS-IDX-01");
    REQUIRE(f != nullptr);
    CHECK(f->allowed);
    CHECK(f->allowed_reason == "the table has 40 rows");
    CHECK(report.verdict == plan::Verdict::pass);

    report = plan_with(toml, "0003_big_index.sql");
    CHECK_FALSE(finding(report, "MS-IDX-01")->allowed);
    CHECK(report.verdict == plan::Verdict::fail);

    // `*` also matches `/`: a Prisma folder.
    report = plan_with("[[plan.allow]]\nrule = \"MS-IDX-01\"\npath = \"2024*\"\nreason = \"r\"\n",
                       "20240101120000_init/migration.sql");
    CHECK(finding(report, "MS-IDX-01")->allowed);
    // Without a path: every file.
    report = plan_with("[[plan.allow]]\nrule = \"MS-IDX-01\"\nreason = \"r\"\n", "x/y.sql");
    CHECK(finding(report, "MS-IDX-01")->allowed);
}

TEST_CASE("config: a file's own allow directive wins over the config's reason")
{
    const std::string toml = "[[plan.allow]]\nrule = \"MS-IDX-01\"\nreason = \"config\"\n";
    plan::PlanOptions options;
    config::add_plan_settings(config::parse_config(toml, "migsafe.toml"), options);
    const std::string sql = "-- migsafe:allow MS-IDX-01 the directive's reason\n" + k_sql;
    const auto report = plan::analyze_sql(sql, "0003.sql", options);
    CHECK(finding(report, "MS-IDX-01")->allowed_reason == "the directive's reason");
}

TEST_CASE("config: a disabled rule's findings are gone; a severity override decides the verdict")
{
    auto report = plan_with("[plan]\ndisabled_rules = [\"MS-IDX-01\"]\n", "0003.sql");
    CHECK(finding(report, "MS-IDX-01") == nullptr);
    CHECK(report.verdict == plan::Verdict::pass);

    report = plan_with("[plan]\nseverity = { \"MS-IDX-01\" = \"warning\" }\n", "0003.sql");
    REQUIRE(finding(report, "MS-IDX-01") != nullptr);
    CHECK(finding(report, "MS-IDX-01")->severity == plan::Severity::warning);
    CHECK(report.verdict == plan::Verdict::pass);
}
