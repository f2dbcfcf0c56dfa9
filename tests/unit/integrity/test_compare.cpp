#include <migsafe/integrity/compare.hpp>

#include <doctest/doctest.h>

using namespace migsafe::integrity;

TEST_CASE("integrity::Comparison::to_json writes ranges with open bounds and row changes")
{
    Comparison c;
    c.differences.push_back({DifferenceKind::checksum, "public.t", "aa", "bb"});
    c.tables.push_back({.table = "public.t",
                        .localised = true,
                        .key_columns = {"id"},
                        .ranges = {{.lower = KeyValue{"10"}, .rows_a = 3, .rows_b = 4}},
                        .rows = {{{"12"}, RowChange::only_in_b}}});
    c.tables.push_back({.table = "public.bag", .reason = "no primary key"});
    CHECK_FALSE(c.equal());
    std::string json = c.to_json(-1);
    CHECK(json.find("\"ranges\":[{\"live_keys\":[],\"lower\":[\"10\"],\"rows_a\":3,\"rows_b\":4,"
                    "\"upper\":null}]") != std::string::npos);
    CHECK(json.find("\"against_baseline\":false") != std::string::npos);
    CHECK(json.find("\"rows\":[{\"change\":\"only-in-b\",\"key\":[\"12\"]}]") != std::string::npos);
    CHECK(json.find("\"localised\":false,\"ranges\":[],\"reason\":\"no primary key\","
                    "\"rows\":[],\"table\":\"public.bag\"") != std::string::npos);
    CHECK(json.find("\"equal\":false") != std::string::npos);
}

TEST_CASE("integrity::to_string names row changes")
{
    CHECK(to_string(RowChange::only_in_a) == "only-in-a");
    CHECK(to_string(RowChange::only_in_b) == "only-in-b");
    CHECK(to_string(RowChange::changed) == "changed");
}
