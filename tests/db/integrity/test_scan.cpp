// integrity::scan on real PostgreSQL.
#include "db/integrity/integrity_fixtures.hpp"
#include "support/test_db.hpp"

#include <migsafe/integrity/compare.hpp>
#include <migsafe/integrity/diff.hpp>
#include <migsafe/integrity/verify.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <atomic>

using namespace migsafe::integrity;
using migsafe::test::TestDatabase;
using migsafe::test::integrity::items_sql;
using migsafe::test::integrity::table_of;

TEST_CASE("integrity::scan of identical databases gives equal reports")
{
    TestDatabase a;
    TestDatabase b;
    a.connect().exec(items_sql(2000));
    b.connect().exec(items_sql(2000));
    auto report_a = scan(a.conninfo());
    auto report_b = scan(b.conninfo());
    CHECK(diff(report_a, report_b).empty());
    const auto& items = table_of(report_a, "public.items");
    CHECK(items.checksum.rows == 2000);
    CHECK(items.key_columns == std::vector<std::string>{"id"});
    CHECK(items.columns == std::vector<std::string>{"amount", "at", "doc", "id", "note", "ratio",
                                                    "raw", "ref", "span"});
    CHECK(report_a.snapshot_consistent);
    CHECK(report_a.server_version.starts_with("1"));
    CHECK(report_a.taken_at.ends_with("Z"));
    CHECK(IntegrityReport::from_json(report_a.to_json()) == report_a);
}

TEST_CASE("integrity::scan does not depend on physical row order")
{
    TestDatabase a;
    TestDatabase b;
    a.connect().exec(items_sql(3000));
    auto session = b.connect();
    session.exec(items_sql(3000, "md5(g::text)"));
    session.exec("UPDATE items SET note = note WHERE id % 2 = 0"); // moves half the rows
    CHECK(table_of(scan(a.conninfo()), "public.items").checksum ==
          table_of(scan(b.conninfo()), "public.items").checksum);
}

TEST_CASE("integrity::scan pins the session settings that change COPY text")
{
    TestDatabase db;
    db.connect().exec(items_sql(500));
    auto plain = scan(db.conninfo());
    auto odd = scan(db.conninfo() + " options='-c TimeZone=Pacific/Chatham -c DateStyle=SQL,DMY "
                                    "-c IntervalStyle=iso_8601 -c extra_float_digits=-3 "
                                    "-c bytea_output=escape -c search_path=nowhere'");
    CHECK(table_of(plain, "public.items").checksum == table_of(odd, "public.items").checksum);
}

TEST_CASE("integrity::scan tells byte-different values apart")
{
    TestDatabase a;
    TestDatabase b;
    auto sa = a.connect();
    auto sb = b.connect();
    const char* table = "CREATE TABLE v (id int PRIMARY KEY, n numeric, f float8, t text);";
    sa.exec(table);
    sb.exec(table);
    sa.exec("INSERT INTO v VALUES (1, 1.0, 0, ''), (2, 2, 0, NULL)");
    sb.exec("INSERT INTO v VALUES (1, 1.00, 0, ''), (2, 2, 0, NULL)");
    CHECK(table_of(scan(a.conninfo()), "public.v").checksum !=
          table_of(scan(b.conninfo()), "public.v").checksum);
    sb.exec("UPDATE v SET n = 1.0 WHERE id = 1");
    CHECK(table_of(scan(a.conninfo()), "public.v").checksum ==
          table_of(scan(b.conninfo()), "public.v").checksum);
    sb.exec("UPDATE v SET f = '-0' WHERE id = 1");
    CHECK(table_of(scan(a.conninfo()), "public.v").checksum !=
          table_of(scan(b.conninfo()), "public.v").checksum);
    sb.exec("UPDATE v SET f = 0 WHERE id = 1; UPDATE v SET t = '' WHERE id = 2");
    CHECK(table_of(scan(a.conninfo()), "public.v").checksum !=
          table_of(scan(b.conninfo()), "public.v").checksum);
}

TEST_CASE("integrity::scan reports invalid indexes, NOT VALID constraints and sequences")
{
    TestDatabase db;
    auto s = db.connect();
    s.exec("CREATE TABLE t (id bigserial PRIMARY KEY, v int, other int);"
           "CREATE TABLE o (id int PRIMARY KEY);"
           "INSERT INTO t (id, v) SELECT g, g FROM generate_series(1, 50) g;"
           "SELECT setval('t_id_seq', 10);"
           "ALTER TABLE t ADD CONSTRAINT v_positive CHECK (v > 0) NOT VALID;"
           "ALTER TABLE t ADD CONSTRAINT other_fk FOREIGN KEY (other) REFERENCES o NOT VALID;"
           "INSERT INTO t (id, v) VALUES (51, 1), (52, 1);");
    // A CREATE UNIQUE INDEX CONCURRENTLY that fails on duplicates leaves an invalid index.
    CHECK_THROWS(s.exec("CREATE UNIQUE INDEX CONCURRENTLY t_v_unique ON t (v)"));
    auto report = scan(db.conninfo());
    REQUIRE(report.invalid_indexes.size() == 1);
    CHECK(report.invalid_indexes[0] == InvalidIndex{"public", "t_v_unique", "public.t"});
    REQUIRE(report.unvalidated_constraints.size() == 2);
    CHECK(report.unvalidated_constraints[0] ==
          UnvalidatedConstraint{"public.t", "other_fk", "foreign-key"});
    CHECK(report.unvalidated_constraints[1] ==
          UnvalidatedConstraint{"public.t", "v_positive", "check"});
    REQUIRE(report.sequences.size() == 1);
    const auto& seq = report.sequences[0];
    CHECK(seq.qualified_name() == "public.t_id_seq");
    CHECK(seq.last_value == 10);
    CHECK(seq.column_max == 52);
    CHECK(seq.owner_table == "public.t");
    CHECK(seq.owner_column == "id");
    CHECK(seq.behind());
    auto found = problems(report);
    REQUIRE(found.size() == 4);
    CHECK(found[0].describe() == "public.t_v_unique: index is invalid");
    CHECK(found[3].describe() == "public.t_id_seq: sequence at 10, its column holds 52");
}

TEST_CASE("integrity::scan covers leaf partitions and the parent's total, not views")
{
    TestDatabase db;
    db.connect().exec("CREATE TABLE ev (id int, k int, PRIMARY KEY (id, k)) PARTITION BY RANGE (k);"
                      "CREATE TABLE ev_lo PARTITION OF ev FOR VALUES FROM (0) TO (5);"
                      "CREATE TABLE ev_hi PARTITION OF ev FOR VALUES FROM (5) TO (10);"
                      "INSERT INTO ev SELECT g, g % 10 FROM generate_series(1, 100) g;"
                      "CREATE VIEW ev_view AS SELECT * FROM ev;"
                      "CREATE MATERIALIZED VIEW ev_mat AS SELECT * FROM ev;");
    auto report = scan(db.conninfo(), {.tables = {"ev*"}});
    REQUIRE(report.tables.size() == 3);
    const auto& parent = table_of(report, "public.ev");
    const auto& lo = table_of(report, "public.ev_lo");
    const auto& hi = table_of(report, "public.ev_hi");
    CHECK(parent.kind == TableKind::partitioned);
    CHECK(lo.kind == TableKind::partition);
    CHECK(lo.parent == "public.ev");
    CHECK(parent.checksum.rows == 100);
    CHECK(lo.checksum.rows + hi.checksum.rows == 100);
    Checksum total = lo.checksum;
    total.merge(hi.checksum);
    CHECK(parent.checksum == total);
    CHECK(scan(db.conninfo(), {.tables = {"public.ev"}, .exclude = {"ev_hi"}}).tables.size() == 2);
}

TEST_CASE("integrity::scan works with hostile table names")
{
    TestDatabase db;
    db.connect().exec("CREATE SCHEMA \"Sch ema\"; CREATE TABLE \"Sch ema\".\"we\"\"ird 'name\" "
                      "(\"Col \"\"1\" int PRIMARY KEY, \"ünï\" text);"
                      "INSERT INTO \"Sch ema\".\"we\"\"ird 'name\" VALUES (1, 'ä'), (2, '\\t');"
                      "CREATE TABLE \"Zürich😀\" (\"select\" int); INSERT INTO \"Zürich😀\" "
                      "VALUES (1);");
    auto report = scan(db.conninfo(), {.jobs = 2});
    const auto& weird = table_of(report, "\"Sch ema\".\"we\"\"ird 'name\"");
    CHECK(weird.checksum.rows == 2);
    CHECK(weird.columns == std::vector<std::string>{"Col \"1", "ünï"});
    CHECK(table_of(report, "public.\"Zürich😀\"").checksum.rows == 1);
    CHECK(scan(db.conninfo(), {.tables = {"Sch ema.we\"ird*"}}).tables.size() == 1);
}

TEST_CASE("integrity::scan with jobs splits big tables and gives the same report")
{
    TestDatabase db;
    db.connect().exec(items_sql(20000));
    auto one = scan(db.conninfo());
    std::atomic<int> calls{0};
    auto three =
        scan(db.conninfo(),
             {.jobs = 3, .split_pages = 16, .progress = [&](const ScanProgress&) { ++calls; }});
    CHECK(table_of(one, "public.items").checksum == table_of(three, "public.items").checksum);
    CHECK(calls > 3);
}

TEST_CASE("integrity::scan reads one snapshot while others write")
{
    TestDatabase db;
    auto writer = db.connect();
    writer.exec(items_sql(20000) + "; CREATE TABLE log (id int PRIMARY KEY);"
                                   "INSERT INTO log SELECT generate_series(1, 100)");
    auto before = scan(db.conninfo());
    bool wrote = false;
    auto during =
        scan(db.conninfo(), {.jobs = 2, .split_pages = 16, .progress = [&](const ScanProgress&) {
                                 if (!wrote) {
                                     wrote = true;
                                     writer.exec("UPDATE items SET amount = 0; "
                                                 "DELETE FROM log; INSERT INTO log "
                                                 "VALUES (1000)");
                                 }
                             }});
    REQUIRE(wrote);
    CHECK(diff(before, during).empty());
    CHECK_FALSE(diff(before, scan(db.conninfo())).empty());
}

TEST_CASE("integrity::scan rejects jobs below 1 and unreachable servers")
{
    try {
        (void)scan("host=/nonexistent", {.jobs = 0});
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "usage-invalid-option");
        CHECK(e.message() == "--jobs must be at least 1, got 0");
    }
    try {
        (void)scan("host=/nonexistent/socket user=x password=s3cret dbname=x");
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "db-connect-failed");
        CHECK(e.message().starts_with("could not connect to "));
        CHECK(e.message().find("password=***") != std::string::npos);
        CHECK(e.message().find("s3cret") == std::string::npos);
    }
}

TEST_CASE("integrity::scan names the server's refusal as db-query-failed")
{
    TestDatabase db;
    auto s = db.connect();
    const std::string role = "migsafe_noread_" + db.name();
    s.exec(items_sql(5000) + "; CREATE TABLE secret (id int); CREATE ROLE " + role +
           " LOGIN; GRANT SELECT ON items TO " + role);
    try {
        // Parallel: the worker that fails stops the others and its error is the one thrown.
        (void)scan(db.conninfo() + " user=" + role,
                   {.tables = {"secret", "items"}, .jobs = 2, .split_pages = 8});
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "db-query-failed");
        CHECK(e.message() == "permission denied for table secret");
        CHECK(e.context().sqlstate == "42501");
    }
    s.exec("DROP OWNED BY " + role + "; DROP ROLE " + role);
}

TEST_CASE("integrity::diff of a saved baseline against a later scan finds the change")
{
    TestDatabase db;
    auto s = db.connect();
    s.exec(items_sql(300));
    auto baseline = IntegrityReport::from_json(scan(db.conninfo()).to_json());
    s.exec("DELETE FROM items WHERE id = 5");
    auto found = diff(baseline, scan(db.conninfo()));
    REQUIRE(found.size() == 1);
    CHECK(found[0].describe() == "public.items: row count 299, expected 300");
}

TEST_CASE("integrity::scan range hashes: same with any jobs, add up, reused bounds compare")
{
    TestDatabase db;
    // Analyzed, as autovacuum may have done by the time a scan runs: the bounds must not
    // depend on it.
    db.connect().exec(items_sql(3000) + "; ANALYZE items");
    auto one = scan(db.conninfo(), {.range_rows = 300});
    const auto& items = table_of(one, "public.items");
    REQUIRE(items.ranges);
    // Every key is read for a table this small: exact quantiles, ten ranges of 300 rows.
    CHECK(items.ranges->bounds == std::vector<std::string>{"301", "601", "901", "1201", "1501",
                                                           "1801", "2101", "2401", "2701"});
    Checksum total;
    for (const auto& range : items.ranges->checksums) {
        CHECK(range.rows == 300);
        total.merge(range);
    }
    CHECK(total == items.checksum);
    CHECK(IntegrityReport::from_json(one.to_json()) == one);

    // Block-range pieces (jobs 3) sort their rows into the same ranges.
    auto three = scan(db.conninfo(), {.jobs = 3, .split_pages = 16, .range_rows = 300});
    CHECK(table_of(three, "public.items").ranges == items.ranges);

    // A later scan with the baseline's bounds: only the changed range differs.
    db.connect().exec(
        "UPDATE items SET note = 'x' WHERE id = 1000; DELETE FROM items WHERE id = 2");
    auto later = scan(db.conninfo(), {.range_rows = 0, .range_bounds = range_bounds_of(one)});
    REQUIRE(table_of(later, "public.items").ranges);
    CHECK(table_of(later, "public.items").ranges->bounds == items.ranges->bounds);
    auto where = localise(one, later);
    REQUIRE(where.size() == 1);
    CHECK(where[0].localised);
    REQUIRE(where[0].ranges.size() == 2);
    CHECK(where[0].ranges[0].lower == std::nullopt);
    CHECK(where[0].ranges[0].upper == KeyValue{"301"});
    CHECK(where[0].ranges[0].rows_a == 300);
    CHECK(where[0].ranges[0].rows_b == 299);
    CHECK(where[0].ranges[1].lower == KeyValue{"901"});
    CHECK(where[0].ranges[1].upper == KeyValue{"1201"});
    add_live_keys(db.conninfo(), where, 5);
    CHECK(where[0].ranges[0].live_keys == std::vector<KeyValue>{{"1"}, {"3"}, {"4"}, {"5"}, {"6"}});
    CHECK(where[0].ranges[1].live_keys.empty());
    CHECK(where[0].truncated);

    // No range hashes without a one-column integer key, nor with range_rows 0.
    db.connect().exec("CREATE TABLE tagged (tag text PRIMARY KEY); INSERT INTO tagged "
                      "SELECT 't' || g FROM generate_series(1, 100) g");
    auto off = scan(db.conninfo(), {.range_rows = 0});
    CHECK_FALSE(table_of(off, "public.items").ranges);
    CHECK_FALSE(table_of(scan(db.conninfo(), {.range_rows = 10}), "public.tagged").ranges);
}

TEST_CASE("integrity::IntegrityReport::from_json reads reports without ranges, refuses bad ones")
{
    TestDatabase db;
    db.connect().exec(items_sql(50));
    auto report = scan(db.conninfo(), {.range_rows = 10});
    auto json = nlohmann::json::parse(report.to_json());
    CAPTURE(json.dump());
    std::size_t at = 0;
    while (at < json["tables"].size() && json["tables"][at]["name"] != "items") {
        ++at;
    }
    REQUIRE(json["tables"][at].contains("ranges"));
    auto old = json;
    old["tables"][at].erase("ranges"); // as migsafe wrote reports before range hashes
    auto read = IntegrityReport::from_json(old.dump());
    CHECK_FALSE(table_of(read, "public.items").ranges);
    CHECK(diff(read, report).empty());
    CHECK(localise(read, report).empty()); // equal checksums: nothing to localise

    auto bad = json;
    bad["tables"][at]["ranges"]["row_counts"][0] = 7;
    CHECK_THROWS_WITH_AS(IntegrityReport::from_json(bad.dump()),
                         doctest::Contains(".ranges.row_counts adds up to"), migsafe::Error);
    bad = json;
    bad["tables"][at]["ranges"]["bounds"].push_back("99");
    CHECK_THROWS_WITH_AS(IntegrityReport::from_json(bad.dump()),
                         doctest::Contains("needs one more row count and checksum than bounds"),
                         migsafe::Error);
}
