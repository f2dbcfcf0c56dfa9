// plan::analyze_sql with the live catalog (PlanOptions::catalog, `migsafe plan --db`).
#include "db/trace/trace_helpers.hpp"
#include "support/migration_dir.hpp"
#include "support/test_db.hpp"

#include <migsafe/model/catalog_facts.hpp>
#include <migsafe/model/migration_set.hpp>
#include <migsafe/plan/analyze.hpp>
#include <migsafe/trace/trace.hpp>
#include <migsafe/workflow/apply.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

namespace model = migsafe::model;
namespace plan = migsafe::plan;
namespace trace = migsafe::trace;
namespace workflow = migsafe::workflow;
using migsafe::test::MigrationDir;

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

bool has_lock(const plan::StatementPlan& statement, const std::string& relation,
              plan::LockMode mode)
{
    return std::any_of(statement.locks.begin(), statement.locks.end(), [&](const auto& lock) {
        return lock.relation == relation && lock.mode == mode;
    });
}

bool has(const std::vector<std::string>& list, const std::string& relation)
{
    return std::find(list.begin(), list.end(), relation) != list.end();
}

// The plan of `sql` with the catalog of `db` (`migsafe plan --db`), checked against what
// PostgreSQL does: `sql` is traced in `db` (rows are generated in its empty tables, the
// migration is rolled back) and every traced statement must agree with the plan.
plan::PlanReport plan_and_trace(migsafe::test::TestDatabase& db, const std::string& sql)
{
    const auto facts = model::load_catalog_facts(db.conninfo());
    const plan::PlanOptions options{.catalog = &facts};
    const std::vector inputs{migsafe::test::plan_input_of(sql, "0001.sql")};
    const auto traced = trace::trace(inputs, {.conninfo = db.conninfo(), .plan = options});
    CHECK(traced.disagreements == std::vector<std::string>{});
    for (const auto& statement : traced.statements) {
        CHECK_MESSAGE(statement.traced, std::string(statement.sql + ": " + statement.reason));
    }
    return traced.static_plan;
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

TEST_CASE("plan::analyze_sql with a catalog: DROP INDEX locks the index's table")
{
    migsafe::test::TestDatabase db;
    db.connect().exec("CREATE TABLE shops (id int, city text);"
                      "CREATE INDEX shops_city_idx ON shops (city)");
    const char* sql = "SET lock_timeout = '2s';\nDROP INDEX shops_city_idx;\n";
    const auto report = plan_and_trace(db, sql);
    const auto& drop = report.statements.at(1);
    CHECK(has_lock(drop, "public.shops", plan::LockMode::access_exclusive));
    CHECK(has_lock(drop, "public.shops_city_idx", plan::LockMode::access_exclusive));
    const auto* dropped = finding(drop, "MS-IDX-02");
    REQUIRE(dropped != nullptr);
    CHECK(dropped->message.find("on public.shops:") != std::string::npos);

    // Without the catalog the table is unknown: only the index is locked, and the finding
    // says so.
    const auto offline = plan::analyze_sql(sql, "0001.sql", {});
    CHECK(offline.statements.at(1).locks ==
          std::vector<plan::Lock>{{"public.shops_city_idx", plan::LockMode::access_exclusive}});
    const auto* unknown = finding(offline.statements.at(1), "MS-IDX-02");
    REQUIRE(unknown != nullptr);
    CHECK(unknown->message.find("its table") != std::string::npos);
}

TEST_CASE("plan::analyze_sql with a catalog: ALTER DOMAIN checks ShareLock and scan the tables "
          "using the domain")
{
    migsafe::test::TestDatabase db;
    db.connect().exec("CREATE DOMAIN score AS integer;"
                      "CREATE TABLE ratings (id int, value score);"
                      "CREATE TABLE plain (id int, value integer);"
                      "ALTER DOMAIN score ADD CONSTRAINT score_small CHECK (VALUE < 100) "
                      "NOT VALID");
    const auto report =
        plan_and_trace(db, "SET lock_timeout = '2s';\n"
                           "ALTER DOMAIN score ADD CONSTRAINT score_positive CHECK (VALUE > 0);\n"
                           "ALTER DOMAIN score ADD CONSTRAINT score_tiny CHECK (VALUE < 50) "
                           "NOT VALID;\n");
    const auto& add = report.statements.at(1);
    CHECK(add.locks == std::vector<plan::Lock>{{"public.ratings", plan::LockMode::share}});
    CHECK(add.scans == std::vector<std::string>{"public.ratings"});
    const auto* check = finding(add, "MS-CON-12");
    REQUIRE(check != nullptr);
    CHECK(check->message.find("ShareLock on public.ratings") != std::string::npos);
    const auto& not_valid = report.statements.at(2);
    CHECK(not_valid.locks.empty());
    CHECK(not_valid.scans.empty());
    CHECK_FALSE(has_rule(not_valid, "MS-CON-12"));

    // VALIDATE reads every row too.
    const auto validate =
        plan_and_trace(db, "SET lock_timeout = '2s';\n"
                           "ALTER DOMAIN score VALIDATE CONSTRAINT score_small;\n");
    CHECK(validate.statements.at(1).locks ==
          std::vector<plan::Lock>{{"public.ratings", plan::LockMode::share}});
    CHECK(validate.statements.at(1).scans == std::vector<std::string>{"public.ratings"});
}

TEST_CASE("plan::analyze_sql with a catalog: REFRESH MATERIALIZED VIEW reads its sources")
{
    migsafe::test::TestDatabase db;
    db.connect().exec("CREATE TABLE sales (id int, shop int);"
                      "CREATE TABLE shops (id int, name text);"
                      "CREATE MATERIALIZED VIEW shop_sales AS SELECT s.name, count(*) AS n "
                      "FROM sales JOIN shops s ON s.id = sales.shop GROUP BY s.name;"
                      "CREATE MATERIALIZED VIEW sale_count AS SELECT count(*) AS n FROM sales;"
                      "CREATE UNIQUE INDEX sale_count_key ON sale_count (n)");
    const auto facts = model::load_catalog_facts(db.conninfo());
    REQUIRE(facts.table("public.shop_sales") != nullptr);
    CHECK(facts.table("public.shop_sales")->reads ==
          std::vector<std::string>{"public.sales", "public.shops"});

    const auto report = plan_and_trace(db, "SET lock_timeout = '2s';\n"
                                           "REFRESH MATERIALIZED VIEW shop_sales;\n"
                                           "REFRESH MATERIALIZED VIEW sale_count;\n");
    const auto& refresh = report.statements.at(1);
    CHECK(has_lock(refresh, "public.shop_sales", plan::LockMode::access_exclusive));
    CHECK(has_lock(refresh, "public.sales", plan::LockMode::access_share));
    CHECK(has_lock(refresh, "public.shops", plan::LockMode::access_share));
    CHECK(has(refresh.scans, "public.sales"));
    CHECK_FALSE(has(refresh.scans, "public.shop_sales")); // no index to rebuild
    // sale_count has an index: it is rebuilt from the new heap, which is read in full.
    CHECK(has(report.statements.at(2).scans, "public.sale_count"));

    // A view created in the release: its sources come from its query, no catalog needed.
    const auto created = plan::analyze_sql("CREATE MATERIALIZED VIEW big_shops AS SELECT * FROM "
                                           "shops WHERE id IN (SELECT shop FROM sales);\n",
                                           "0001.sql", {});
    const auto refreshed = plan::analyze(
        std::vector{
            migsafe::test::plan_input_of(
                "CREATE MATERIALIZED VIEW big_shops AS SELECT * FROM shops;", "0001.sql"),
            migsafe::test::plan_input_of("REFRESH MATERIALIZED VIEW big_shops;", "0002.sql")},
        {});
    CHECK(created.statements.at(0).scans ==
          std::vector<std::string>{"public.shops", "public.sales"});
    CHECK(has_lock(refreshed.statements.at(1), "public.shops", plan::LockMode::access_share));
}

TEST_CASE("plan::analyze_sql with a catalog: DROP TABLE and TRUNCATE lock the tables of its "
          "foreign keys")
{
    migsafe::test::TestDatabase db;
    db.connect().exec("CREATE TABLE owners (id int PRIMARY KEY);"
                      "CREATE TABLE pets (id int PRIMARY KEY,"
                      " owner_id int CONSTRAINT pets_owner_fkey REFERENCES owners (id));"
                      "CREATE TABLE toys (id int, pet_id int REFERENCES pets (id))");

    // Dropping the referencing table drops its foreign key: the referenced table's
    // triggers go, under AccessExclusiveLock.
    const auto child = plan_and_trace(db, "-- migsafe:phase contract\n"
                                          "SET lock_timeout = '2s';\nDROP TABLE toys;\n");
    CHECK(child.statements.at(1).locks ==
          std::vector<plan::Lock>{{"public.toys", plan::LockMode::access_exclusive},
                                  {"public.pets", plan::LockMode::access_exclusive}});

    // Dropping a referenced table (CASCADE) drops the foreign keys on both sides.
    const auto parent = plan_and_trace(db, "SET lock_timeout = '2s';\nDROP TABLE pets CASCADE;\n");
    const auto& drop = parent.statements.at(1);
    for (const char* table : {"public.pets", "public.owners", "public.toys"}) {
        CAPTURE(table);
        CHECK(has_lock(drop, table, plan::LockMode::access_exclusive));
    }
    const auto* dropped = finding(drop, "MS-BRK-04");
    REQUIRE(dropped != nullptr);
    CHECK(dropped->message.find(
              "and on public.owners (pets_owner_fkey), public.toys (toys_pet_id_fkey)") !=
          std::string::npos);

    // TRUNCATE ... CASCADE empties the referencing tables, transitively.
    const auto truncate =
        plan_and_trace(db, "SET lock_timeout = '2s';\nTRUNCATE owners CASCADE;\n");
    const auto& emptied = truncate.statements.at(1);
    for (const char* table : {"public.owners", "public.pets", "public.toys"}) {
        CAPTURE(table);
        CHECK(has_lock(emptied, table, plan::LockMode::access_exclusive));
        CHECK(has(emptied.rewrites, table));
    }
    const auto* cascaded = finding(emptied, "MS-BRK-06");
    REQUIRE(cascaded != nullptr);
    CHECK(cascaded->message.find("public.pets, public.toys emptied by CASCADE") !=
          std::string::npos);

    // Without the catalog the foreign keys are unknown: the table alone.
    const auto offline = plan::analyze_sql("DROP TABLE toys;", "0001.sql", {});
    CHECK(offline.statements.at(0).locks ==
          std::vector<plan::Lock>{{"public.toys", plan::LockMode::access_exclusive}});
}

TEST_CASE("plan::analyze_sql with a catalog: DROP SCHEMA CASCADE locks what it drops")
{
    migsafe::test::TestDatabase db;
    db.connect().exec("CREATE SCHEMA archive;"
                      "CREATE TABLE archive.notes (id int PRIMARY KEY, body text);"
                      "CREATE TABLE archive.tags (id int);"
                      "CREATE TABLE links (id int, note_id int REFERENCES archive.notes (id))");
    const auto report =
        plan_and_trace(db, "SET lock_timeout = '2s';\nDROP SCHEMA archive CASCADE;\n");
    const auto& drop = report.statements.at(1);
    for (const char* table : {"archive.notes", "archive.tags", "public.links"}) {
        CAPTURE(table);
        CHECK(has_lock(drop, table, plan::LockMode::access_exclusive));
    }
    CHECK(has_rule(drop, "MS-BRK-05"));
    // Without the catalog, the schema's tables are unknown.
    CHECK(plan::analyze_sql("DROP SCHEMA archive CASCADE;", "0001.sql", {})
              .statements.at(0)
              .locks.empty());
}

TEST_CASE("plan::analyze_sql with a catalog: a WHERE without an index scans the table")
{
    migsafe::test::TestDatabase db;
    db.connect().exec("CREATE TABLE visits (id int PRIMARY KEY, day date, shop int)");
    const auto report = plan_and_trace(db, "DELETE FROM visits WHERE day < '2020-01-01';\n"
                                           "DELETE FROM visits WHERE id = 3;\n"
                                           "UPDATE visits SET shop = 1 WHERE shop = 2;\n");
    CHECK(report.statements.at(0).scans == std::vector<std::string>{"public.visits"});
    CHECK(report.statements.at(1).scans.empty());
    CHECK(report.statements.at(2).scans == std::vector<std::string>{"public.visits"});
    // Without the catalog the indexes are unknown: no scan is claimed.
    CHECK(plan::analyze_sql("DELETE FROM visits WHERE day < '2020-01-01';", "0001.sql", {})
              .statements.at(0)
              .scans.empty());
}

TEST_CASE("plan::analyze_sql with a catalog: a foreign key on an existing table without an index "
          "(MS-OPS-09)")
{
    migsafe::test::TestDatabase db;
    db.connect().exec("CREATE TABLE owners (id int PRIMARY KEY);"
                      "CREATE TABLE pets (id int PRIMARY KEY, owner_id int);"
                      "CREATE TABLE cars (id int PRIMARY KEY, owner_id int);"
                      "CREATE INDEX cars_owner_id_idx ON cars (owner_id)");
    const auto facts = model::load_catalog_facts(db.conninfo());
    const plan::PlanOptions options{.catalog = &facts};
    const char* pets = "ALTER TABLE pets ADD CONSTRAINT pets_owner_fkey FOREIGN KEY (owner_id) "
                       "REFERENCES owners (id) NOT VALID;";
    const auto unindexed = plan::analyze_sql(pets, "0001.sql", options);
    const auto* missing = finding(unindexed.statements.at(0), "MS-OPS-09");
    REQUIRE(missing != nullptr);
    CHECK(missing->fix == "CREATE INDEX CONCURRENTLY pets_owner_id_idx ON public.pets (owner_id);");

    const auto indexed = plan::analyze_sql("ALTER TABLE cars ADD CONSTRAINT cars_owner_fkey "
                                           "FOREIGN KEY (owner_id) REFERENCES owners (id) "
                                           "NOT VALID;",
                                           "0001.sql", options);
    CHECK_FALSE(has_rule(indexed.statements.at(0), "MS-OPS-09"));

    // An index the release builds later counts too.
    const auto later = plan::analyze_sql(std::string(pets) +
                                             "\nCREATE INDEX pets_owner_id_idx ON pets (owner_id);",
                                         "0001.sql", options);
    CHECK_FALSE(has_rule(later.statements.at(0), "MS-OPS-09"));

    // Without the catalog the existing table's indexes are unknown: no finding.
    CHECK_FALSE(has_rule(plan::analyze_sql(pets, "0001.sql", {}).statements.at(0), "MS-OPS-09"));
}

TEST_CASE("plan::analyze_sql with a catalog: VALIDATE CONSTRAINT on a large table is no error; "
          "apply takes no snapshot for it")
{
    // The safe half of NOT VALID + VALIDATE: it scans under ShareUpdateExclusiveLock, which
    // blocks neither reads nor writes, so the table's size is stated but is no reason for
    // an error, a failing verdict or a snapshot.
    migsafe::test::TestDatabase db;
    db.connect().exec("CREATE TABLE orders (id int PRIMARY KEY, total int);"
                      "INSERT INTO orders SELECT i, i FROM generate_series(1, 1200000) i;"
                      "ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total > 0) "
                      "NOT VALID;"
                      "ALTER TABLE orders ADD CONSTRAINT orders_self_fk FOREIGN KEY (total) "
                      "REFERENCES orders (id) NOT VALID;"
                      "ANALYZE orders");
    const auto facts = model::load_catalog_facts(db.conninfo());
    REQUIRE(facts.table("public.orders") != nullptr);
    REQUIRE(facts.table("public.orders")->rows > 1'000'000);
    const plan::PlanOptions options{.catalog = &facts};
    for (const char* sql : {"ALTER TABLE orders VALIDATE CONSTRAINT orders_total_check;",
                            "ALTER TABLE orders VALIDATE CONSTRAINT orders_self_fk;"}) {
        CAPTURE(sql);
        const auto report = plan::analyze_sql(sql, "0001.sql", options);
        CAPTURE(report.to_json());
        REQUIRE(report.statements.size() == 1);
        for (const auto& f : report.statements[0].findings) {
            CHECK(f.severity != plan::Severity::error);
        }
        CHECK(report.verdict == plan::Verdict::pass);
    }
    // The NOT VALID + VALIDATE pattern as two migrations planned together (`migsafe plan
    // --db 0001.sql 0002.sql`): two files are two transactions, whatever their ids.
    const std::vector inputs{
        migsafe::test::plan_input_of("ALTER TABLE orders ADD CONSTRAINT orders_total_positive "
                                     "CHECK (total > 0) NOT VALID;",
                                     "0001_add.sql"),
        migsafe::test::plan_input_of(
            "ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;", "0002_validate.sql")};
    const auto pattern = plan::analyze(inputs, options);
    CAPTURE(pattern.to_json());
    REQUIRE(pattern.statements.size() == 2);
    CHECK_FALSE(has_rule(pattern.statements[1], "MS-CON-09"));
    for (const auto& f : pattern.statements[1].findings) {
        CHECK(f.severity != plan::Severity::error);
    }
    // Still an error where the scan blocks writes: ADD CHECK without NOT VALID.
    const auto blocking = plan::analyze_sql(
        "ALTER TABLE orders ADD CONSTRAINT orders_total_check2 CHECK (total > 0);", "0001.sql",
        options);
    CHECK(blocking.verdict == plan::Verdict::fail);

    MigrationDir dir;
    dir.write("0001_validate.sql", "ALTER TABLE orders VALIDATE CONSTRAINT orders_total_check;\n");
    dir.seal();
    workflow::ApplyOptions dry;
    dry.dry_run = true;
    const auto report = workflow::apply(db.conninfo(), model::load_migration_set(dir.path()), dry);
    REQUIRE(report.migrations.size() == 1);
    CHECK_FALSE(report.migrations[0].risky);
}

TEST_CASE("plan: severity by consequence: sizes decide with a catalog, the plan says when it "
          "cannot know them")
{
    migsafe::test::TestDatabase db;
    db.connect().exec("CREATE TABLE empty_t (id int, c text);"
                      "CREATE TABLE full_t (id int, c text);"
                      "INSERT INTO full_t SELECT i, 'x' FROM generate_series(1, 2000) i;"
                      "ANALYZE empty_t; ANALYZE full_t");
    const auto facts = model::load_catalog_facts(db.conninfo());
    const plan::PlanOptions options{.catalog = &facts};
    // A blocking index build on an analysed, empty table is a warning, on one with rows an
    // error; a breaking change is an error whatever the size.
    auto empty = plan::analyze_sql("CREATE INDEX ON empty_t (c);", "0001.sql", options);
    const auto* on_empty = finding(empty.statements.at(0), "MS-IDX-01");
    REQUIRE(on_empty != nullptr);
    CHECK(on_empty->severity == plan::Severity::warning);
    CAPTURE(on_empty->message);
    CHECK(on_empty->message.find("[public.empty_t: ~0 rows, ") != std::string::npos);
    CHECK(on_empty->message.ends_with("] (warning: the table is empty)"));
    auto full = plan::analyze_sql("CREATE INDEX ON full_t (c);", "0001.sql", options);
    CHECK(has_error(full.statements.at(0), "MS-IDX-01"));
    auto drop = plan::analyze_sql("ALTER TABLE empty_t DROP COLUMN c;", "0001.sql", options);
    CHECK(has_error(drop.statements.at(0), "MS-BRK-01"));

    // Without a catalog, a table an earlier migration of the set created has a size the
    // plan cannot know: the finding says so (and keeps its severity).
    migsafe::test::MigrationDir dir;
    dir.write("0001_t.sql", "CREATE TABLE t (id int, c text);\n");
    dir.write("0002_index.sql", "SET lock_timeout = '2s';\nCREATE INDEX t_c ON t (c);\n");
    const auto set = model::load_migration_set(dir.path());
    const auto offline = plan::analyze_releases(set, std::nullopt);
    const auto* index = finding(offline.statements.at(2), "MS-IDX-01");
    REQUIRE(index != nullptr);
    CHECK(index->severity == plan::Severity::error);
    CHECK(index->message.ends_with(
        "[public.t: created by 0001_t.sql, size unknown: with --db its rows decide]"));
}
