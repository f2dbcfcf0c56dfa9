// plan::analyze_sql with the live catalog (PlanOptions::catalog, `migsafe plan --db`).
#include "support/test_db.hpp"

#include <migsafe/model/catalog_facts.hpp>
#include <migsafe/plan/analyze.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

namespace model = migsafe::model;
namespace plan = migsafe::plan;

namespace {

bool has_error(const plan::StatementPlan& statement, const std::string& rule)
{
    return std::any_of(statement.findings.begin(), statement.findings.end(), [&](const auto& f) {
        return f.rule == rule && f.severity == plan::Severity::error;
    });
}

bool has_rule(const plan::StatementPlan& statement, const std::string& rule)
{
    return std::any_of(statement.findings.begin(), statement.findings.end(),
                       [&](const auto& f) { return f.rule == rule; });
}

const plan::Finding* finding(const plan::StatementPlan& statement, const std::string& rule)
{
    auto it = std::find_if(statement.findings.begin(), statement.findings.end(),
                           [&](const auto& f) { return f.rule == rule; });
    return it == statement.findings.end() ? nullptr : &*it;
}

} // namespace

TEST_CASE("plan::analyze_sql with a catalog: a varchar widen needs no rewrite, int -> bigint "
          "rewrites")
{
    migsafe::test::TestDatabase db;
    db.connect().exec("CREATE TABLE reviews (id int, title varchar(50), score int,"
                      " amount numeric(10,2), at timestamp(3));"
                      "INSERT INTO reviews SELECT i, 't', i FROM generate_series(1, 2000) i;"
                      "ANALYZE reviews");
    const auto facts = model::load_catalog_facts(db.conninfo());
    const plan::PlanOptions options{.catalog = &facts};

    auto widen = plan::analyze_sql("ALTER TABLE reviews ALTER COLUMN title TYPE varchar(100);",
                                   "0001.sql", options);
    REQUIRE(widen.statements.size() == 1);
    CHECK(widen.statements[0].rewrites.empty());
    CHECK_FALSE(has_rule(widen.statements[0], "MS-COL-07"));
    CHECK(widen.verdict == plan::Verdict::pass);

    auto to_text =
        plan::analyze_sql("ALTER TABLE reviews ALTER COLUMN title TYPE text;", "0001.sql", options);
    CHECK(to_text.statements[0].rewrites.empty());
    CHECK(to_text.verdict == plan::Verdict::pass);

    auto narrow = plan::analyze_sql("ALTER TABLE reviews ALTER COLUMN title TYPE varchar(20);",
                                    "0001.sql", options);
    CHECK(has_error(narrow.statements[0], "MS-COL-07"));

    auto bigint = plan::analyze_sql("ALTER TABLE reviews ALTER COLUMN score TYPE bigint;",
                                    "0001.sql", options);
    REQUIRE(bigint.statements.size() == 1);
    CHECK(bigint.statements[0].rewrites == std::vector<std::string>{"public.reviews"});
    CHECK(has_error(bigint.statements[0], "MS-COL-07"));
    CHECK(bigint.verdict == plan::Verdict::fail);

    auto precision = plan::analyze_sql(
        "ALTER TABLE reviews ALTER COLUMN amount TYPE numeric(12,2);", "0001.sql", options);
    CHECK(precision.statements[0].rewrites.empty());
    auto scale = plan::analyze_sql("ALTER TABLE reviews ALTER COLUMN amount TYPE numeric(12,3);",
                                   "0001.sql", options);
    CHECK(has_error(scale.statements[0], "MS-COL-07"));

    // timestamp -> timestamptz is rewrite-free only under a UTC session timezone.
    auto utc = plan::analyze_sql("SET timezone = 'UTC';\n"
                                 "ALTER TABLE reviews ALTER COLUMN at TYPE timestamptz(3);",
                                 "0001.sql", options);
    REQUIRE(utc.statements.size() == 2);
    CHECK(utc.statements[1].rewrites.empty());
    auto local = plan::analyze_sql("ALTER TABLE reviews ALTER COLUMN at TYPE timestamptz(3);",
                                   "0001.sql", options);
    CHECK(has_error(local.statements[0], "MS-COL-07"));

    // A second change in the same release starts from the first one's type.
    auto twice = plan::analyze_sql("ALTER TABLE reviews ALTER COLUMN title TYPE varchar(10);\n"
                                   "ALTER TABLE reviews ALTER COLUMN title TYPE varchar(30);",
                                   "0001.sql", options);
    REQUIRE(twice.statements.size() == 2);
    CHECK(has_error(twice.statements[0], "MS-COL-07"));
    CHECK(twice.statements[1].rewrites.empty());

    // Without the catalog the varchar widen cannot be proven (the column's type is unknown).
    auto offline =
        plan::analyze_sql("ALTER TABLE reviews ALTER COLUMN title TYPE varchar(100);", "0001.sql");
    CHECK(has_error(offline.statements[0], "MS-COL-07"));
}

TEST_CASE("plan::analyze_sql with a catalog: SET NOT NULL with and without a validated check")
{
    migsafe::test::TestDatabase db;
    db.connect().exec("CREATE TABLE visits (id int NOT NULL, city text, note text,"
                      " CONSTRAINT visits_city_nn CHECK (city IS NOT NULL));"
                      "INSERT INTO visits SELECT i, 'x', 'y' FROM generate_series(1, 100) i;"
                      "ANALYZE visits");
    const auto facts = model::load_catalog_facts(db.conninfo());
    const plan::PlanOptions options{.catalog = &facts};

    auto checked = plan::analyze_sql("ALTER TABLE visits ALTER COLUMN city SET NOT NULL;",
                                     "0001.sql", options);
    REQUIRE(checked.statements.size() == 1);
    CHECK(checked.statements[0].scans.empty());
    CHECK_FALSE(has_rule(checked.statements[0], "MS-COL-01"));
    CHECK(checked.verdict == plan::Verdict::pass);

    auto unchecked = plan::analyze_sql("ALTER TABLE visits ALTER COLUMN note SET NOT NULL;",
                                       "0001.sql", options);
    CHECK(unchecked.statements[0].scans == std::vector<std::string>{"public.visits"});
    CHECK(has_error(unchecked.statements[0], "MS-COL-01"));

    auto already =
        plan::analyze_sql("ALTER TABLE visits ALTER COLUMN id SET NOT NULL;", "0001.sql", options);
    CHECK(already.statements[0].scans.empty());
    CHECK_FALSE(has_rule(already.statements[0], "MS-COL-01"));

    // PostgreSQL 11 cannot use the check: the scan stays.
    const plan::PlanOptions pg11{.pg_version = 11, .catalog = &facts};
    auto old =
        plan::analyze_sql("ALTER TABLE visits ALTER COLUMN city SET NOT NULL;", "0001.sql", pg11);
    CHECK(has_error(old.statements[0], "MS-COL-01"));
}

TEST_CASE("plan::analyze_sql with a catalog: a table created in the same file stays new")
{
    migsafe::test::TestDatabase db;
    db.connect().exec("CREATE TABLE drafts (id int, body text);"
                      "INSERT INTO drafts SELECT i, 'b' FROM generate_series(1, 100) i;"
                      "ANALYZE drafts");
    const auto facts = model::load_catalog_facts(db.conninfo());
    REQUIRE(facts.table("public.drafts") != nullptr);
    auto report = plan::analyze_sql("CREATE TABLE IF NOT EXISTS drafts (id int, body text);\n"
                                    "ALTER TABLE drafts ALTER COLUMN id TYPE bigint,"
                                    " ALTER COLUMN body SET NOT NULL;\n",
                                    "0001.sql", {.catalog = &facts});
    REQUIRE(report.statements.size() == 2);
    for (const auto& statement : report.statements) {
        CHECK_FALSE(has_rule(statement, "MS-COL-07"));
        CHECK_FALSE(has_rule(statement, "MS-COL-01"));
        CHECK(statement.rewrites.empty());
        CHECK(statement.scans.empty());
    }
    CHECK(report.verdict == plan::Verdict::pass);
}

TEST_CASE("plan::analyze_sql with a catalog: findings state the table's rows and size")
{
    migsafe::test::TestDatabase db;
    db.connect().exec("CREATE TABLE orders (id int, total int);"
                      "INSERT INTO orders SELECT i, i FROM generate_series(1, 1500) i;"
                      "ANALYZE orders;"
                      "CREATE FUNCTION pick_total() RETURNS int VOLATILE LANGUAGE sql AS "
                      "'SELECT 1';"
                      "CREATE FUNCTION fixed_total() RETURNS int IMMUTABLE LANGUAGE sql AS "
                      "'SELECT 1'");
    const auto facts = model::load_catalog_facts(db.conninfo());
    const plan::PlanOptions options{.catalog = &facts};

    auto report = plan::analyze_sql("ALTER TABLE orders ALTER COLUMN total TYPE bigint;",
                                    "0001.sql", options);
    REQUIRE(report.statements.size() == 1);
    const auto* rewrite = finding(report.statements[0], "MS-COL-07");
    REQUIRE(rewrite != nullptr);
    const auto& message = rewrite->message;
    CHECK(message.find("[public.orders: ~1.5k rows, ") != std::string::npos);
    CHECK(message.find("AccessExclusiveLock held ") != std::string::npos);

    // A tiny threshold makes the table large: a warning on it becomes an error.
    const plan::PlanOptions tiny{.catalog = &facts, .large_table_rows = 10};
    const char* backfill = "UPDATE orders SET total = 0;";
    auto small = plan::analyze_sql(backfill, "0001.sql", options);
    const auto* small_finding = finding(small.statements.at(0), "MS-OPS-04");
    REQUIRE(small_finding != nullptr);
    CHECK(small_finding->severity == plan::Severity::warning);
    auto large = plan::analyze_sql(backfill, "0001.sql", tiny);
    const auto* large_finding = finding(large.statements.at(0), "MS-OPS-04");
    REQUIRE(large_finding != nullptr);
    CHECK(large_finding->severity == plan::Severity::error);
    CHECK(large_finding->message.find("(error: a large table)") != std::string::npos);
    CHECK(large.verdict == plan::Verdict::fail);

    // ADD COLUMN ... DEFAULT f(): the volatility comes from pg_proc.
    auto volatile_default = plan::analyze_sql(
        "ALTER TABLE orders ADD COLUMN picked int DEFAULT pick_total();", "0001.sql", options);
    CHECK(volatile_default.statements[0].rewrites == std::vector<std::string>{"public.orders"});
    CHECK(has_error(volatile_default.statements[0], "MS-COL-03"));
    auto immutable_default = plan::analyze_sql(
        "ALTER TABLE orders ADD COLUMN fixed int DEFAULT fixed_total();", "0001.sql", options);
    CHECK(immutable_default.statements[0].rewrites.empty());
    CHECK_FALSE(has_rule(immutable_default.statements[0], "MS-COL-03"));
    auto offline = plan::analyze_sql(
        "ALTER TABLE orders ADD COLUMN fixed int DEFAULT fixed_total();", "0001.sql");
    CHECK(has_rule(offline.statements[0], "MS-COL-03")); // unknown without --db: a warning
}
