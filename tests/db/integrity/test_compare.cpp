// integrity::compare_databases on real PostgreSQL: detection and localisation.
#include "db/integrity/integrity_fixtures.hpp"
#include "support/test_db.hpp"

#include <migsafe/integrity/compare.hpp>

#include <doctest/doctest.h>

#include <algorithm>

using namespace migsafe::integrity;
using migsafe::test::TestDatabase;
using migsafe::test::integrity::items_sql;

namespace {

const TableLocalisation& localisation_of(const Comparison& c, const std::string& table)
{
    auto it = std::find_if(c.tables.begin(), c.tables.end(),
                           [&](const TableLocalisation& t) { return t.table == table; });
    if (it == c.tables.end()) {
        throw std::runtime_error("no localisation for " + table);
    }
    return *it;
}

bool range_contains(const DifferingRange& range, int key)
{
    bool above = !range.lower || std::stoi(range.lower->at(0)) <= key;
    bool below = !range.upper || key < std::stoi(range.upper->at(0));
    return above && below;
}

} // namespace

TEST_CASE("integrity::compare_databases of identical databases finds nothing")
{
    TestDatabase a;
    TestDatabase b;
    a.connect().exec(items_sql(1000));
    b.connect().exec(items_sql(1000));
    auto c = compare_databases(a.conninfo(), b.conninfo());
    CHECK(c.equal());
    CHECK(c.tables.empty());
}

TEST_CASE("integrity::compare_databases localises one changed value among 100k rows")
{
    TestDatabase a;
    TestDatabase b;
    a.connect().exec(items_sql(100000));
    auto sb = b.connect();
    sb.exec(items_sql(100000));
    sb.exec("UPDATE items SET note = 'note 77777 ' WHERE id = 77777");
    auto c = compare_databases(a.conninfo(), b.conninfo(),
                               {.scan = {.jobs = 2}, .show_rows = ShowRows::yes});
    REQUIRE(c.differences.size() == 1);
    CHECK(c.differences[0].kind == DifferenceKind::checksum);
    CHECK(c.differences[0].object == "public.items");
    const auto& items = localisation_of(c, "public.items");
    CHECK(items.localised);
    REQUIRE(items.ranges.size() == 1);
    CHECK(range_contains(items.ranges[0], 77777));
    CHECK(items.ranges[0].rows_a <= 64);
    CHECK(items.ranges[0].rows_a == items.ranges[0].rows_b);
    REQUIRE(items.rows.size() == 1);
    CHECK(items.rows[0] == RowDifference{{"77777"}, RowChange::changed});
    CHECK(c.to_json().find("\"only-in-a\"") == std::string::npos);
}

TEST_CASE("integrity::compare_databases localises inserted and deleted rows")
{
    TestDatabase a;
    TestDatabase b;
    a.connect().exec(items_sql(5000));
    auto sb = b.connect();
    sb.exec(items_sql(5000));
    sb.exec("DELETE FROM items WHERE id = 10; INSERT INTO items (id) VALUES (900000)");
    auto c = compare_databases(a.conninfo(), b.conninfo(), {.show_rows = ShowRows::yes});
    REQUIRE(c.differences.size() == 1);
    CHECK(c.differences[0].kind == DifferenceKind::checksum); // same count: one in, one out
    const auto& items = localisation_of(c, "public.items");
    REQUIRE(items.rows.size() == 2);
    CHECK(items.rows[0] == RowDifference{{"10"}, RowChange::only_in_a});
    CHECK(items.rows[1] == RowDifference{{"900000"}, RowChange::only_in_b});
    CHECK(std::any_of(items.ranges.begin(), items.ranges.end(),
                      [](const DifferingRange& r) { return range_contains(r, 10); }));
    sb.exec("DELETE FROM items WHERE id = 900000");
    auto d = compare_databases(a.conninfo(), b.conninfo());
    REQUIRE(d.differences.size() == 1);
    CHECK(d.differences[0].describe() == "public.items: row count 4999, expected 5000");
}

TEST_CASE("integrity::compare_databases counts duplicated rows and says keyless tables "
          "cannot be localised")
{
    TestDatabase a;
    TestDatabase b;
    a.connect().exec("CREATE TABLE bag (v text); INSERT INTO bag VALUES ('x'), ('y')");
    b.connect().exec("CREATE TABLE bag (v text); INSERT INTO bag VALUES ('x'), ('x'), ('x'), "
                     "('y')");
    auto c = compare_databases(a.conninfo(), b.conninfo());
    REQUIRE(c.differences.size() == 1);
    CHECK(c.differences[0].describe() == "public.bag: row count 4, expected 2");
    const auto& bag = localisation_of(c, "public.bag");
    CHECK_FALSE(bag.localised);
    CHECK(bag.reason == "no primary key");
}

TEST_CASE("integrity::compare_databases localises by composite keys")
{
    TestDatabase a;
    TestDatabase b;
    const std::string sql = "CREATE TABLE ck (region text, n int, v int, PRIMARY KEY (region, n));"
                            "INSERT INTO ck SELECT 'r' || (g % 7), g, g FROM "
                            "generate_series(1, 3000) g";
    a.connect().exec(sql);
    auto sb = b.connect();
    sb.exec(sql);
    sb.exec("UPDATE ck SET v = -1 WHERE n = 1234");
    auto c = compare_databases(a.conninfo(), b.conninfo(),
                               {.show_rows = ShowRows::yes, .leaf_rows = 8, .fan_out = 4});
    const auto& ck = localisation_of(c, "public.ck");
    REQUIRE(ck.rows.size() == 1);
    CHECK(ck.rows[0] == RowDifference{{"r2", "1234"}, RowChange::changed});
    REQUIRE(ck.ranges.size() == 1);
    CHECK(ck.ranges[0].rows_a <= 8);
}

TEST_CASE("integrity::compare_databases localises in hostile tables with hostile keys")
{
    TestDatabase a;
    TestDatabase b;
    const std::string sql =
        "CREATE SCHEMA \"s p\"; CREATE TABLE \"s p\".\"we\"\"ird\" (\"k'ey\" text PRIMARY KEY, v "
        "int); INSERT INTO \"s p\".\"we\"\"ird\" SELECT 'k' || g || CASE g % 4 WHEN 0 THEN "
        "E'\\\\' WHEN 1 THEN '''' WHEN 2 THEN ' ü\"' ELSE '' END, g FROM generate_series(1, 500) g";
    a.connect().exec(sql);
    auto sb = b.connect();
    sb.exec(sql);
    sb.exec("UPDATE \"s p\".\"we\"\"ird\" SET v = 0 WHERE v IN (40, 41, 42)");
    auto c = compare_databases(a.conninfo(), b.conninfo(),
                               {.show_rows = ShowRows::yes, .leaf_rows = 4, .fan_out = 3});
    const auto& weird = localisation_of(c, "\"s p\".\"we\"\"ird\"");
    REQUIRE(weird.rows.size() == 3);
    CHECK(weird.rows[0] == RowDifference{{"k40\\"}, RowChange::changed});
    CHECK(weird.rows[1] == RowDifference{{"k41'"}, RowChange::changed});
    CHECK(weird.rows[2] == RowDifference{{"k42 ü\""}, RowChange::changed});
}
