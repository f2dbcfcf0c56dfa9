#include <migsafe/plan/analyze.hpp>
#include <migsafe/plan/report.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace plan = migsafe::plan;
using Json = nlohmann::json;

TEST_CASE("plan::PlanReport::to_json has the documented keys")
{
    auto report = plan::analyze_sql("CREATE INDEX t_c_idx ON t (c);", "m/0001.sql");
    const Json json = Json::parse(report.to_json());
    CHECK(json["schema_version"] == 1);
    CHECK(json["verdict"] == "fail");
    CHECK(json["counts"]["errors"] == 1);
    const auto& statement = json["statements"][0];
    for (const char* key : {"file", "line", "column", "sql", "kind", "locks", "rewrites", "scans",
                            "phase", "findings"}) {
        CAPTURE(key);
        CHECK(statement.contains(key));
    }
    CHECK(statement["file"] == "m/0001.sql");
    CHECK(statement["locks"][0] == Json{{"relation", "public.t"}, {"mode", "ShareLock"}});
    CHECK(statement["scans"] == Json::array({"public.t"}));
    CHECK(statement["phase"] == "expand");
    const auto& finding = statement["findings"][0];
    CHECK(finding["rule"] == "MS-IDX-01");
    CHECK(finding["severity"] == "error");
    CHECK(finding["fix"] == "CREATE INDEX CONCURRENTLY t_c_idx ON t (c);\n-- alone in a migration "
                            "marked -- migsafe:no-transaction");
    CHECK(finding["message"] == "CREATE INDEX takes ShareLock on public.t: blocks writes while "
                                "the table is scanned and sorted");
}

TEST_CASE("plan::PlanReport::from_json reads to_json back")
{
    auto report =
        plan::analyze_sql("-- migsafe:allow MS-COL-02 empty table\n"
                          "ALTER TABLE t ADD COLUMN a text NOT NULL;",
                          "a.sql", {.pg_version = 14, .fail_on = plan::Severity::warning});
    CHECK(plan::PlanReport::from_json(report.to_json()) == report);
}

TEST_CASE("plan::PlanReport::to_json streams the layout of nlohmann's dump(2)")
{
    // Statements with quotes, tabs, comments and non-ASCII names; a table created earlier in
    // the file (no locks), a finding allowed with a reason, empty and full arrays.
    auto report = plan::analyze_sql("-- migsafe:allow MS-IDX-01 \"small\" table\n"
                                    "CREATE TABLE \"caf\xC3\xA9\" (id int, note text);\n"
                                    "CREATE INDEX ON t (c);\n"
                                    "UPDATE t SET note = E'tab\\there' /* \xE2\x82\xAC */;",
                                    "m/0001 \"q\".sql");
    const std::string text = report.to_json();
    CHECK(text == nlohmann::ordered_json::parse(text).dump(2) + "\n");
    CHECK(plan::PlanReport::from_json(text) == report);
}

TEST_CASE("plan::PlanReport::from_json refuses a bad document")
{
    CHECK_THROWS_WITH_AS(plan::PlanReport::from_json("{\"schema_version\": 2}"),
                         "plan report: schema_version 2 is not 1 [plan-report-malformed]",
                         migsafe::Error);
    CHECK_THROWS_AS(plan::PlanReport::from_json("not json"), migsafe::Error);
}

TEST_CASE("plan::parse_lock_mode reads pg_locks names")
{
    CHECK(plan::parse_lock_mode("ShareRowExclusiveLock") == plan::LockMode::share_row_exclusive);
    CHECK(plan::to_string(plan::LockMode::access_exclusive) == "AccessExclusiveLock");
    CHECK_FALSE(plan::parse_lock_mode("SHARE").has_value());
    CHECK(plan::blocks_writes(plan::LockMode::share));
    CHECK_FALSE(plan::blocks_writes(plan::LockMode::share_update_exclusive));
}

TEST_CASE("plan::diff names what differs between two plans")
{
    const auto left = plan::analyze_sql("CREATE INDEX t_c_idx ON t (c);", "a.sql");
    CHECK(plan::diff(left, left).empty());
    auto right = left;
    right.statements[0].locks[0].mode = plan::LockMode::share_update_exclusive;
    right.statements[0].scans.clear();
    right.statements[0].findings.clear();
    plan::settle_verdict(right);
    CHECK(plan::diff(left, right) ==
          std::vector<std::string>{
              "a.sql:1: locks: [public.t ShareLock] -> [public.t ShareUpdateExclusiveLock]",
              "a.sql:1: scans: [public.t] -> []",
              "a.sql:1: findings: [MS-IDX-01, MS-OPS-01, MS-OPS-02] -> []",
              "verdict: fail -> pass"});
}
