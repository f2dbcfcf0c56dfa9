// integrity::IntegrityReport's JSON form on hostile input: names that are not UTF-8 (a
// SQL_ASCII database), and documents nested far deeper than a report.
#include <migsafe/integrity/report.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

using namespace migsafe::integrity;

TEST_CASE("integrity::IntegrityReport::to_json writes names that are not UTF-8 as U+FFFD")
{
    IntegrityReport report;
    report.server_version = "15.18";
    report.database = "caf\xe9";
    report.tables.push_back({.schema = "public", .name = "t\xff", .columns = {"\xc3\x28"}});
    std::string json;
    REQUIRE_NOTHROW(json = report.to_json());
    const auto back = IntegrityReport::from_json(json);
    CHECK(back.database == "caf\xef\xbf\xbd");
    CHECK(back.tables.at(0).name == "t\xef\xbf\xbd");
}

TEST_CASE("integrity::IntegrityReport::from_json refuses a document nested past 64 levels")
{
    const std::string deep = "{\"schema_version\": 1, \"tables\": " + std::string(100000, '[') +
                             std::string(100000, ']') + "}";
    CHECK_THROWS_WITH_AS(IntegrityReport::from_json(deep),
                         "invalid integrity report: the document nests deeper than 64 levels "
                         "[input-invalid-report]",
                         migsafe::Error);
}
