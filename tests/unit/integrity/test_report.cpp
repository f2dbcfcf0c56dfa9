#include <migsafe/integrity/report.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace migsafe::integrity;

namespace {

IntegrityReport sample()
{
    IntegrityReport r;
    r.server_version = "15.18";
    r.database = "shop";
    r.taken_at = "2026-11-29T05:00:00.000Z";
    r.snapshot_consistent = true;
    Checksum c;
    c.add_row("1\tx");
    r.tables.push_back({.schema = "public",
                        .name = "orders",
                        .columns = {"id", "note"},
                        .key_columns = {"id"},
                        .checksum = c});
    r.tables.push_back({.schema = "My Schema",
                        .name = "a\"b",
                        .kind = TableKind::partition,
                        .parent = "\"My Schema\".p",
                        .columns = {"v"}});
    r.invalid_indexes.push_back(
        {.schema = "public", .name = "orders_note", .table = "public.orders"});
    r.unvalidated_constraints.push_back(
        {.table = "public.orders", .name = "note_len", .type = "check"});
    r.sequences.push_back({.schema = "public",
                           .name = "orders_id_seq",
                           .last_value = 5,
                           .is_called = true,
                           .owner_table = "public.orders",
                           .owner_column = "id",
                           .column_max = 9});
    return r;
}

void check_invalid(const std::string& text, const std::string& message)
{
    try {
        (void)IntegrityReport::from_json(text);
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "input-invalid-report");
        CHECK(e.message() == message);
        CHECK(e.hint() ==
              "pass a report written by `migsafe verify --out FILE` (docs/integrity.md)");
    }
}

} // namespace

TEST_CASE("integrity::IntegrityReport::to_json round-trips through from_json")
{
    IntegrityReport r = sample();
    CHECK(IntegrityReport::from_json(r.to_json()) == r);
    CHECK(IntegrityReport::from_json(r.to_json(-1)) == r);
}

TEST_CASE("integrity::IntegrityReport::to_json writes the documented fields")
{
    std::string json = sample().to_json(-1);
    CHECK(json.find("\"schema_version\":1") != std::string::npos);
    CHECK(json.find("\"qualified_name\":\"public.orders\"") != std::string::npos);
    CHECK(json.find("\"localisable\":true") != std::string::npos);
    CHECK(json.find("\"behind\":true") != std::string::npos);
    CHECK(json.find("\"row_count\":1") != std::string::npos);
}

TEST_CASE("integrity::IntegrityReport::from_json names the field at fault")
{
    check_invalid("{", "invalid integrity report: not valid JSON");
    check_invalid("[]", "invalid integrity report: the document is not an object");
    check_invalid("{\"schema_version\": 1}",
                  "invalid integrity report: missing field server_version");
    check_invalid("{\"schema_version\": 99}",
                  "invalid integrity report: schema_version 99 is not supported (this migsafe "
                  "reads 1 to 1)");
    std::string doc = sample().to_json(-1);
    auto broken = doc;
    broken.replace(broken.find("\"row_count\":1"), 13, "\"row_count\":\"1\"");
    check_invalid(
        broken, "invalid integrity report: field tables[0].row_count has the wrong type (string)");
    broken = doc;
    broken.replace(broken.find("\"kind\":\"table\""), 14, "\"kind\":\"view\"");
    check_invalid(broken, "invalid integrity report: field tables[0].kind is not table, "
                          "partition or partitioned");
}

TEST_CASE("integrity::qualified_name quotes only the parts that need it")
{
    CHECK(qualified_name("public", "orders") == "public.orders");
    CHECK(qualified_name("My Schema", "a\"b") == "\"My Schema\".\"a\"\"b\"");
    CHECK(qualified_name("public", "Zürich") == "public.\"Zürich\"");
}

TEST_CASE("integrity::SequenceReport::behind compares the next value with the column max")
{
    SequenceReport s{.last_value = 10, .is_called = true, .column_max = 10};
    CHECK_FALSE(s.behind());
    s.column_max = 11;
    CHECK(s.behind());
    s.is_called = false;
    s.column_max = 10;
    CHECK(s.behind());
    s.column_max = std::nullopt;
    CHECK_FALSE(s.behind());
    s = {.last_value = std::nullopt, .column_max = 50};
    CHECK_FALSE(s.behind());
    s = {.last_value = 1, .is_called = true, .increment = -1, .column_max = 50};
    CHECK_FALSE(s.behind());
}

TEST_CASE("integrity::IntegrityReport range hashes round-trip; a report without them reads")
{
    IntegrityReport r = sample();
    Checksum low;
    low.add_row("1\tx");
    r.tables[0].ranges = KeyRanges{.bounds = {"501"}, .checksums = {low, Checksum{}}};
    std::string json = r.to_json(-1);
    CHECK(json.find("\"ranges\":{\"bounds\":[\"501\"],\"checksums\":[") != std::string::npos);
    CHECK(IntegrityReport::from_json(json) == r);
    // The second table has none: no `ranges` field, as in reports of older versions.
    CHECK_FALSE(IntegrityReport::from_json(json).tables[1].ranges);

    auto broken = json;
    broken.replace(broken.find("\"row_counts\":[1,0]"), 18, "\"row_counts\":[1,1]");
    check_invalid(broken, "invalid integrity report: field tables[0].ranges.row_counts adds up "
                          "to 2 rows, the table has 1");
}
