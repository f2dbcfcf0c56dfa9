// Data-driven plan tests: sql-fixtures/plan/<RULE-ID>/{fail,pass}.sql are planned and
// compared with expected.json (MIGSAFE_UPDATE_GOLDEN=1 rewrites it). fail.sql must raise
// the rule, pass.sql (the safe alternative) must not.
#include "support/golden.hpp"

#include <migsafe/plan/analyze.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;
namespace plan = migsafe::plan;
using Json = nlohmann::ordered_json;

namespace {

// `-- key: value` from the fixture's header.
std::string header(const std::string& sql, const std::string& key)
{
    const std::string prefix = "-- " + key + ":";
    auto at = sql.find(prefix);
    if (at == std::string::npos) {
        return {};
    }
    auto end = sql.find('\n', at);
    auto value = sql.substr(at + prefix.size(), end - at - prefix.size());
    return value.substr(value.find_first_not_of(' '));
}

plan::PlanReport plan_fixture(const fs::path& path, const std::string& relative)
{
    const std::string sql = migsafe::test::read_text(path);
    plan::PlanOptions options;
    if (auto version = header(sql, "pg-version"); !version.empty()) {
        options.pg_version = std::stoi(version);
    }
    if (header(sql, "design-lints") == "on") {
        options.design_lints = plan::DesignLints::on;
    }
    return plan::analyze_sql(sql, relative, options);
}

bool raises(const plan::PlanReport& report, const std::string& rule)
{
    return std::any_of(report.statements.begin(), report.statements.end(), [&](auto& s) {
        return std::any_of(s.findings.begin(), s.findings.end(),
                           [&](auto& f) { return f.rule == rule && !f.allowed; });
    });
}

bool mentions(const plan::PlanReport& report, const std::string& rule)
{
    return std::any_of(report.statements.begin(), report.statements.end(), [&](auto& s) {
        return std::any_of(s.findings.begin(), s.findings.end(),
                           [&](auto& f) { return f.rule == rule; });
    });
}

} // namespace

TEST_CASE("plan::analyze_sql matches every sql-fixtures/plan example")
{
    const fs::path root = fs::path(MIGSAFE_FIXTURES_DIR) / "plan";
    std::vector<fs::path> dirs;
    for (const auto& entry : fs::directory_iterator(root)) {
        if (entry.is_directory()) {
            dirs.push_back(entry.path());
        }
    }
    std::sort(dirs.begin(), dirs.end());
    REQUIRE(dirs.size() >= 40);
    for (const auto& dir : dirs) {
        const std::string rule = dir.filename().string();
        CAPTURE(rule);
        const std::string base = "sql-fixtures/plan/" + rule + "/";
        const auto fail = plan_fixture(dir / "fail.sql", base + "fail.sql");
        const auto pass = plan_fixture(dir / "pass.sql", base + "pass.sql");
        for (const char* file : {"fail.sql", "pass.sql"}) {
            const std::string sql = migsafe::test::read_text(dir / file);
            CAPTURE(file);
            CHECK_FALSE(header(sql, "name").empty());
            CHECK_FALSE(header(sql, "description").empty());
            CHECK_FALSE(header(sql, "group").empty());
        }
        CHECK_MESSAGE(raises(fail, rule), "fail.sql does not raise " << rule);
        CHECK_MESSAGE(!mentions(pass, rule), "pass.sql raises " << rule);
        Json expected = {{"fail", Json::parse(fail.to_json())},
                         {"pass", Json::parse(pass.to_json())}};
        const std::string text = expected.dump(2) + "\n";
        CHECK_MESSAGE(migsafe::test::golden(dir / "expected.json", text) == text,
                      "stale: MIGSAFE_UPDATE_GOLDEN=1 ctest -L unit, then review the diff");
        CHECK(plan::PlanReport::from_json(fail.to_json()) == fail);
    }
}
