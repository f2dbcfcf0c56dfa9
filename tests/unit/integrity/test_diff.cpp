#include <migsafe/integrity/diff.hpp>

#include <doctest/doctest.h>

using namespace migsafe::integrity;

namespace {

TableReport table(const std::string& name, std::vector<std::string> rows)
{
    TableReport t{.schema = "public", .name = name, .columns = {"id"}, .key_columns = {"id"}};
    for (const auto& row : rows) {
        t.checksum.add_row(row);
    }
    return t;
}

} // namespace

TEST_CASE("integrity::diff of equal reports is empty")
{
    IntegrityReport a;
    a.tables = {table("a", {"1", "2"})};
    CHECK(diff(a, a).empty());
}

TEST_CASE("integrity::diff reports missing and extra tables, row counts and checksums")
{
    IntegrityReport a;
    IntegrityReport b;
    a.tables = {table("gone", {}), table("count", {"1"}), table("sum", {"1"})};
    b.tables = {table("count", {"1", "2"}), table("new", {}), table("sum", {"2"})};
    auto d = diff(a, b);
    REQUIRE(d.size() == 4);
    CHECK(d[0] == Difference{DifferenceKind::row_count, "public.count", "1", "2"});
    CHECK(d[0].describe() == "public.count: row count 2, expected 1");
    CHECK(d[1].kind == DifferenceKind::missing_table);
    CHECK(d[1].object == "public.gone");
    CHECK(d[2].kind == DifferenceKind::checksum);
    CHECK(d[2].expected == a.tables[2].checksum.sums_hex());
    CHECK(d[3].kind == DifferenceKind::extra_table);
    CHECK(d[3].object == "public.new");
}

TEST_CASE("integrity::diff reports the current report's health problems")
{
    IntegrityReport a;
    IntegrityReport b;
    b.invalid_indexes = {{.schema = "public", .name = "i", .table = "public.t"}};
    b.unvalidated_constraints = {{.table = "public.t", .name = "c", .type = "check"}};
    b.sequences = {
        {.schema = "public", .name = "s", .last_value = 3, .is_called = true, .column_max = 7}};
    auto d = diff(a, b);
    REQUIRE(d.size() == 3);
    CHECK(d[0].describe() == "public.i: index is invalid");
    CHECK(d[1].describe() == "public.t.c: constraint is not validated");
    CHECK(d[2].describe() == "public.s: sequence at 3, its column holds 7");
    CHECK(problems(b) == d);
    CHECK(diff(b, a).empty());
}

TEST_CASE("integrity::differences_to_json writes kind, object and message")
{
    auto json =
        differences_to_json({{DifferenceKind::extra_table, "public.x", "absent", "present"}}, -1);
    CHECK(json == "[{\"actual\":\"present\",\"expected\":\"absent\",\"kind\":\"extra-table\","
                  "\"message\":\"public.x: extra table\",\"object\":\"public.x\"}]");
}
