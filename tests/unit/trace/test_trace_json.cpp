// TraceReport's JSON form.
#include <migsafe/platform/error.hpp>
#include <migsafe/trace/trace.hpp>

#include <doctest/doctest.h>

namespace plan = migsafe::plan;
namespace trace = migsafe::trace;

TEST_CASE("trace::TraceReport::to_json reads back equal")
{
    trace::TraceReport report;
    report.server_version = 150018;
    report.compared = 1;
    report.agreed = 0;
    report.disagreements = {"0001.sql:1: scans: [] -> [public.t]"};
    report.statements.push_back(
        {.file = "0001.sql",
         .line = 1,
         .column = 1,
         .sql = "ALTER TABLE t ALTER COLUMN c SET NOT NULL",
         .locks = {{"public.t", plan::LockMode::access_exclusive, trace::RelationKind::table}},
         .held_before = {{"public.t_pkey", plan::LockMode::access_share,
                          trace::RelationKind::index}},
         .scans = {"public.t"}});
    report.statements.push_back({.file = "0001.sql",
                                 .line = 2,
                                 .traced = false,
                                 .reason = "VACUUM cannot run inside a transaction block"});
    report.static_plan.statements.push_back({.file = "0001.sql", .line = 1});
    report.observed.statements.push_back({.file = "0001.sql", .line = 1, .scans = {"public.t"}});
    plan::settle_verdict(report.static_plan);
    plan::settle_verdict(report.observed);
    const std::string json = report.to_json();
    CHECK(json.find("\"kind\": \"index\"") != std::string::npos);
    CHECK(trace::TraceReport::from_json(json) == report);
}

TEST_CASE("trace::TraceReport::from_json throws trace-report-malformed")
{
    for (const char* json : {"{", "{\"schema_version\": 99}", "[]"}) {
        CAPTURE(json);
        try {
            trace::TraceReport::from_json(json);
            FAIL("no error");
        } catch (const migsafe::Error& error) {
            CHECK(error.code() == "trace-report-malformed");
        }
    }
}
