// Focused tests of the planner's context: what earlier statements, the file's
// directives and the PostgreSQL version change.
#include <migsafe/model/parser.hpp>
#include <migsafe/plan/analyze.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace plan = migsafe::plan;

namespace {

plan::PlanInput input(const std::string& sql, const std::string& file)
{
    auto in = plan::read_plan_directives(sql, file);
    in.statements = migsafe::model::parse_sql(sql, file);
    return in;
}

std::vector<std::string> rules_of(const plan::StatementPlan& statement)
{
    std::vector<std::string> rules;
    for (const auto& finding : statement.findings) {
        rules.push_back(finding.rule);
    }
    return rules;
}

bool has(const plan::StatementPlan& statement, const std::string& rule)
{
    auto rules = rules_of(statement);
    return std::find(rules.begin(), rules.end(), rule) != rules.end();
}

const std::string k_timeout = "SET lock_timeout = '2s';\n";

} // namespace

TEST_CASE("plan::analyze_sql exempts a table created earlier in the same file")
{
    auto report = plan::analyze_sql(k_timeout + "CREATE TABLE t (id bigint, c text);\n"
                                                "CREATE INDEX t_c_idx ON t (c);\n"
                                                "ALTER TABLE t ADD CONSTRAINT t_c_key UNIQUE (c);",
                                    "0001.sql");
    REQUIRE(report.statements.size() == 4);
    CHECK(report.statements[2].findings.empty());
    CHECK(report.statements[2].locks.empty()); // nobody else can see t yet
    CHECK(report.statements[3].findings.empty());
    CHECK(report.verdict == plan::Verdict::pass);
}

TEST_CASE("plan::analyze exempts a table created by an earlier file of the release")
{
    std::vector<plan::PlanInput> files{
        input(k_timeout + "CREATE TABLE t (id bigint, c text);", "0001.sql"),
        input(k_timeout + "CREATE INDEX t_c_idx ON t (c);", "0002.sql")};
    auto report = plan::analyze(files);
    REQUIRE(report.statements.size() == 4);
    const auto& index = report.statements[3];
    CHECK(index.file == "0002.sql");
    CHECK(index.findings.empty());
    // The lock is real once 0001 has committed, but it blocks nobody who matters.
    REQUIRE(index.locks.size() == 1);
    CHECK(index.locks[0] == plan::Lock{"public.t", plan::LockMode::share});
}

TEST_CASE("plan::analyze_sql flags CONCURRENTLY in a transactional file only")
{
    const std::string cic = "CREATE INDEX CONCURRENTLY t_c_idx ON t (c);";
    auto wrapped = plan::analyze_sql(cic, "0001.sql");
    CHECK(has(wrapped.statements[0], "MS-IDX-04"));
    CHECK(wrapped.verdict == plan::Verdict::fail);
    auto alone = plan::analyze_sql("-- migsafe:no-transaction\n" + cic, "0001.sql");
    CHECK_FALSE(has(alone.statements[0], "MS-IDX-04"));
    CHECK(alone.verdict == plan::Verdict::pass);
    CHECK(alone.statements[0].locks[0].mode == plan::LockMode::share_update_exclusive);
}

TEST_CASE("plan::analyze_sql tracks lock_timeout through the file")
{
    auto report = plan::analyze_sql("ALTER TABLE t ADD COLUMN a text;\n"
                                    "SET lock_timeout = '2s';\n"
                                    "COMMIT;\n"
                                    "ALTER TABLE t ADD COLUMN b text;\n"
                                    "SET lock_timeout = 0;\n"
                                    "ALTER TABLE t ADD COLUMN c text;\n"
                                    "SET lock_timeout = 500;\n"
                                    "ALTER TABLE t ADD COLUMN d text;\n"
                                    "RESET lock_timeout;\n"
                                    "ALTER TABLE t ADD COLUMN e text;",
                                    "0001.sql");
    REQUIRE(report.statements.size() == 10);
    // One finding for the file (one fix: SET lock_timeout at its top), on the first
    // statement without a timeout, naming the lines of the others (6 and 10, not 4 and 8).
    CHECK(has(report.statements[0], "MS-OPS-01"));
    for (std::size_t i = 1; i < report.statements.size(); ++i) {
        CHECK_FALSE(has(report.statements[i], "MS-OPS-01"));
    }
    const auto& message = report.statements[0].findings[0].message;
    CHECK(message.ends_with("; 2 more statements of this file wait for a blocking lock without "
                            "lock_timeout (lines 6, 10)"));
    CHECK(message.find("AccessExclusiveLock on public.t") != std::string::npos);
    CHECK(message.find("reads and writes blocked") != std::string::npos);
    CHECK(report.statements[0].findings[0].fix == "SET lock_timeout = '2s';");
    // COMMIT in a transactional file is itself a finding.
    CHECK(has(report.statements[2], "MS-OPS-07"));
}

TEST_CASE("plan::analyze_sql: a constant default rewrites before PostgreSQL 11 only")
{
    const std::string sql = k_timeout + "ALTER TABLE t ADD COLUMN active boolean DEFAULT true;";
    auto pg10 = plan::analyze_sql(sql, "0001.sql", {.pg_version = 10});
    CHECK(has(pg10.statements[1], "MS-COL-04"));
    CHECK(pg10.statements[1].rewrites == std::vector<std::string>{"public.t"});
    CHECK(pg10.pg_version == 10);
    auto pg11 = plan::analyze_sql(sql, "0001.sql", {.pg_version = 11});
    CHECK(pg11.statements[1].findings.empty());
    CHECK(pg11.statements[1].rewrites.empty());
}

TEST_CASE("plan::analyze_sql: a volatile default rewrites on every version")
{
    auto report = plan::analyze_sql(
        k_timeout + "ALTER TABLE t ADD COLUMN u uuid DEFAULT gen_random_uuid();", "0001.sql");
    CHECK(has(report.statements[1], "MS-COL-03"));
    CHECK(report.statements[1].rewrites == std::vector<std::string>{"public.t"});
}

TEST_CASE("plan::analyze_sql: SET NOT NULL after a validated CHECK skips the scan from 12")
{
    const std::string sql = "-- migsafe:no-transaction\n" + k_timeout +
                            "ALTER TABLE t ADD CONSTRAINT t_c_nn CHECK (c IS NOT NULL) NOT VALID;\n"
                            "ALTER TABLE t VALIDATE CONSTRAINT t_c_nn;\n"
                            "ALTER TABLE t ALTER COLUMN c SET NOT NULL;";
    auto pg12 = plan::analyze_sql(sql, "0001.sql", {.pg_version = 12});
    REQUIRE(pg12.statements.size() == 4);
    CHECK_FALSE(has(pg12.statements[3], "MS-COL-01"));
    CHECK(pg12.statements[3].scans.empty());
    CHECK_FALSE(has(pg12.statements[2], "MS-CON-09")); // separate transactions
    auto pg11 = plan::analyze_sql(sql, "0001.sql", {.pg_version = 11});
    CHECK(has(pg11.statements[3], "MS-COL-01"));
    CHECK(pg11.statements[3].scans == std::vector<std::string>{"public.t"});
}

TEST_CASE("plan::analyze_sql: SET NOT NULL proposes the CHECK route as concrete SQL")
{
    auto report =
        plan::analyze_sql(k_timeout + "ALTER TABLE app.t ALTER COLUMN c SET NOT NULL;", "x.sql");
    const auto& finding = report.statements[1].findings.at(0);
    CHECK(finding.rule == "MS-COL-01");
    CHECK(finding.fix == "ALTER TABLE app.t ADD CONSTRAINT t_c_not_null CHECK (c IS NOT NULL) NOT "
                         "VALID;\n-- in a later migration (a separate transaction):\nALTER TABLE "
                         "app.t VALIDATE CONSTRAINT t_c_not_null;\nALTER TABLE app.t ALTER COLUMN "
                         "c SET NOT NULL;\nALTER TABLE app.t DROP CONSTRAINT t_c_not_null;");
}

TEST_CASE("plan::analyze_sql: timestamp to timestamptz is rewrite-free only under UTC")
{
    const std::string define = k_timeout + "ALTER TABLE t ADD COLUMN at timestamp;\nCOMMIT;\n";
    const std::string change = "ALTER TABLE t ALTER COLUMN at TYPE timestamptz;";
    auto local = plan::analyze_sql("-- migsafe:no-transaction\n" + define + change, "a.sql");
    CHECK(has(local.statements.back(), "MS-COL-07"));
    auto utc = plan::analyze_sql(
        "-- migsafe:no-transaction\n" + define + "SET timezone = 'UTC';\n" + change, "a.sql");
    CHECK(has(utc.statements.back(), "MS-COL-08"));
    CHECK(utc.statements.back().rewrites.empty());
}

TEST_CASE("plan::analyze_sql flags work after an AccessExclusiveLock in the same transaction")
{
    auto report = plan::analyze_sql(k_timeout + "ALTER TABLE t ADD COLUMN a text;\n"
                                                "UPDATE t SET a = 'x' WHERE id < 10;",
                                    "0001.sql");
    CHECK(has(report.statements[2], "MS-OPS-03"));
    CHECK(report.statements[2].phase == plan::Phase::backfill);
}

TEST_CASE("plan::analyze_sql keeps allowed findings, marked, out of the verdict")
{
    auto report = plan::analyze_sql("-- migsafe:allow MS-IDX-01 the table has 40 rows\n" +
                                        k_timeout + "CREATE INDEX t_c_idx ON t (c);",
                                    "0001.sql");
    const auto& finding = report.statements[1].findings.at(0);
    CHECK(finding.rule == "MS-IDX-01");
    CHECK(finding.allowed);
    CHECK(finding.allowed_reason == "the table has 40 rows");
    CHECK(report.verdict == plan::Verdict::pass);
    CHECK(report.counts.allowed == 1);
    CHECK(report.counts.errors == 0);
}

TEST_CASE("plan::read_plan_directives refuses an allow of an unknown rule")
{
    try {
        plan::read_plan_directives("-- migsafe:allow MS-IDX-10 why not\nSELECT 1;", "0001.sql");
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "directive-malformed");
        CHECK(e.message() == "`-- migsafe:allow` names the unknown rule MS-IDX-10");
        CHECK(e.hint() == "did you mean MS-IDX-01? The rules are listed in docs/rules/");
        CHECK(e.context().line == 1);
    }
}

TEST_CASE("plan::PlanOptions::fail_on warning fails on a warning")
{
    const std::string sql = "ALTER TABLE t ADD COLUMN a text;"; // MS-OPS-01 only
    CHECK(plan::analyze_sql(sql, "a.sql").verdict == plan::Verdict::pass);
    auto strict = plan::analyze_sql(sql, "a.sql", {.fail_on = plan::Severity::warning});
    CHECK(strict.verdict == plan::Verdict::fail);
    CHECK(strict.counts.warnings == 1);
}

TEST_CASE("plan::analyze fails a contract step in the release of its expand")
{
    std::vector<plan::PlanInput> files{
        input(k_timeout + "ALTER TABLE t ADD COLUMN nickname text;", "0001_add.sql"),
        input("-- migsafe:phase contract\n" + k_timeout + "ALTER TABLE t DROP COLUMN nickname;",
              "0002_drop.sql")};
    auto report = plan::analyze(files);
    const auto& drop = report.statements.back();
    CHECK(drop.phase == plan::Phase::contract);
    REQUIRE(has(drop, "MS-BRK-01"));
    CHECK(drop.findings[0].severity == plan::Severity::error);
    CHECK(drop.findings[0].message.find("added by 0001_add.sql:2 in the same release") !=
          std::string::npos);
    CHECK(report.verdict == plan::Verdict::fail);
    // Alone, the declared contract step passes.
    auto alone = plan::analyze(std::vector<plan::PlanInput>{files[1]});
    CHECK(alone.verdict == plan::Verdict::pass);
}

TEST_CASE("plan::analyze_sql gives each statement a phase; the directive overrides")
{
    auto report = plan::analyze_sql(k_timeout + "ALTER TABLE t ADD COLUMN a text;\n"
                                                "ALTER TABLE t DROP COLUMN b;",
                                    "a.sql");
    CHECK(report.statements[0].phase == plan::Phase::none);
    CHECK(report.statements[1].phase == plan::Phase::expand);
    CHECK(report.statements[2].phase == plan::Phase::contract);
    auto declared =
        plan::analyze_sql("-- migsafe:phase backfill\nUPDATE t SET a = 1 WHERE id = 1;", "b.sql");
    CHECK(declared.statements[0].phase == plan::Phase::backfill);
}

TEST_CASE("plan::analyze_sql: a foreign key locks and scans both tables")
{
    auto report = plan::analyze_sql(k_timeout + "ALTER TABLE a ADD CONSTRAINT a_b_fkey FOREIGN KEY "
                                                "(b_id) REFERENCES b (id);",
                                    "a.sql");
    const auto& fk = report.statements[1];
    CHECK(fk.locks == std::vector<plan::Lock>{{"public.a", plan::LockMode::share_row_exclusive},
                                              {"public.b", plan::LockMode::share_row_exclusive}});
    CHECK(fk.scans == std::vector<std::string>{"public.a", "public.b"});
    CHECK(fk.findings.at(0).fix ==
          "ALTER TABLE public.a ADD CONSTRAINT a_b_fkey FOREIGN KEY (b_id) REFERENCES b (id) NOT "
          "VALID;\n-- in a later migration (a separate transaction):\nALTER TABLE public.a "
          "VALIDATE CONSTRAINT a_b_fkey;");
}

TEST_CASE("plan::PlanOptions::runner_lock_timeout_ms counts as a SET lock_timeout")
{
    const std::string sql = "ALTER TABLE t ADD COLUMN a text;";
    auto runner = plan::analyze_sql(sql, "a.sql", {.runner_lock_timeout_ms = 2000});
    CHECK(runner.statements[0].findings.empty());
}

TEST_CASE("plan::analyze_sql: SET NOT NULL on a nullable column the release added scans")
{
    auto report = plan::analyze_sql("-- migsafe:no-transaction\n" + k_timeout +
                                        "ALTER TABLE t ADD COLUMN a text;\n"
                                        "ALTER TABLE t ALTER COLUMN a SET NOT NULL;",
                                    "a.sql");
    CHECK(has(report.statements[2], "MS-COL-01"));
}

TEST_CASE("plan::analyze_sql: a view with the old name makes a table rename compatible")
{
    const std::string rename = k_timeout + "ALTER TABLE professionals RENAME TO practitioners;\n";
    auto bare = plan::analyze_sql(rename, "a.sql");
    CHECK(has(bare.statements[1], "MS-BRK-03"));
    CHECK(bare.statements[1].findings[0].fix ==
          "ALTER TABLE public.professionals RENAME TO practitioners;\nCREATE VIEW "
          "public.professionals AS SELECT * FROM public.practitioners;  -- same transaction; "
          "drop the view in a later release");
    auto with_view = plan::analyze_sql(
        rename + "CREATE VIEW professionals AS SELECT * FROM practitioners;", "a.sql");
    CHECK_FALSE(has(with_view.statements[1], "MS-BRK-03"));
}

TEST_CASE("plan::analyze_sql: COMMENT ON and SET STATISTICS take ShareUpdateExclusiveLock")
{
    auto report = plan::analyze_sql("COMMENT ON TABLE app.t IS 'x';\n"
                                    "COMMENT ON COLUMN t.c IS 'y';\n"
                                    "ALTER TABLE t ALTER COLUMN c SET STATISTICS 500;",
                                    "a.sql");
    CHECK(report.statements[0].locks ==
          std::vector<plan::Lock>{{"app.t", plan::LockMode::share_update_exclusive}});
    CHECK(report.statements[1].locks ==
          std::vector<plan::Lock>{{"public.t", plan::LockMode::share_update_exclusive}});
    CHECK(report.statements[2].locks ==
          std::vector<plan::Lock>{{"public.t", plan::LockMode::share_update_exclusive}});
    CHECK(report.statements[2].findings.empty());
}

TEST_CASE("plan::analyze_sql: a new enum value used in the same transaction fails")
{
    const std::string add = "ALTER TYPE status ADD VALUE 'no_show' AFTER 'cancelled';\n";
    const std::string use = "UPDATE appointments SET status = 'no_show' WHERE id = 7;";
    auto same = plan::analyze_sql(add + use, "a.sql");
    REQUIRE(has(same.statements[1], "MS-BRK-07"));
    CHECK(same.statements[1].findings[0].severity == plan::Severity::error);
    CHECK(same.statements[1].findings[0].message ==
          "uses the enum value 'no_show' added in the same transaction: PostgreSQL fails with "
          "\"unsafe use of new value\"");
    auto separate = plan::analyze_sql("-- migsafe:no-transaction\n" + add + use, "a.sql");
    CHECK_FALSE(has(separate.statements[1], "MS-BRK-07"));
}

TEST_CASE("plan::analyze_sql locks the relations a view's query names, not its CTEs")
{
    auto report = plan::analyze_sql(
        k_timeout + "CREATE VIEW busy AS WITH recent AS (SELECT * FROM app.visits) SELECT p.id "
                    "FROM professionals p JOIN recent r ON r.professional_id = p.id WHERE "
                    "EXISTS (SELECT 1 FROM reviews v WHERE v.professional_id = p.id);\n"
                    "CREATE MATERIALIZED VIEW busy_counts AS SELECT count(*) FROM busy;\n"
                    "CREATE MATERIALIZED VIEW later AS SELECT * FROM clinics WITH NO DATA;\n"
                    "CREATE TABLE copy AS SELECT * FROM clinics;",
        "0001.sql");
    REQUIRE(report.statements.size() == 5);
    const auto& view = report.statements[1];
    auto relations = [](const plan::StatementPlan& statement) {
        std::vector<std::string> names;
        for (const auto& lock : statement.locks) {
            CHECK(lock.mode == plan::LockMode::access_share);
            names.push_back(lock.relation);
        }
        std::sort(names.begin(), names.end());
        return names;
    };
    CHECK(relations(view) ==
          std::vector<std::string>{"app.visits", "public.professionals", "public.reviews"});
    CHECK(view.scans.empty()); // a plain view only stores its query
    CHECK(view.phase == plan::Phase::expand);
    // The view created in this file is invisible to others: nothing to lock or scan.
    CHECK(report.statements[2].locks.empty());
    CHECK(report.statements[2].scans.empty());
    // WITH NO DATA: the query is analysed (locks), not run (no scan).
    CHECK(relations(report.statements[3]) == std::vector<std::string>{"public.clinics"});
    CHECK(report.statements[3].scans.empty());
    // CREATE TABLE AS runs its query.
    CHECK(report.statements[4].scans == std::vector<std::string>{"public.clinics"});
}

TEST_CASE("plan::analyze REFRESH MATERIALIZED VIEW reads the sources of a view the release "
          "created")
{
    const std::vector files{
        input("CREATE MATERIALIZED VIEW ratings AS SELECT professional_id, avg(rating) FROM "
              "reviews GROUP BY professional_id;\n"
              "CREATE UNIQUE INDEX ratings_key ON ratings (professional_id);",
              "0001.sql"),
        input(k_timeout + "REFRESH MATERIALIZED VIEW ratings;\n", "0002.sql"),
        input(k_timeout + "REFRESH MATERIALIZED VIEW other;\n", "0003.sql")};
    auto report = plan::analyze(files, {});
    REQUIRE(report.statements.size() == 6);
    const auto& refresh = report.statements[3];
    CHECK(refresh.locks ==
          std::vector<plan::Lock>{{"public.reviews", plan::LockMode::access_share},
                                  {"public.ratings", plan::LockMode::access_exclusive}});
    // The sources are read, and the view's index is rebuilt from the new heap.
    CHECK(refresh.scans == std::vector<std::string>{"public.reviews", "public.ratings"});
    CHECK(refresh.rewrites == std::vector<std::string>{"public.ratings"});
    // A view the release did not create: its sources (and indexes) are unknown without --db.
    CHECK(report.statements[5].locks ==
          std::vector<plan::Lock>{{"public.other", plan::LockMode::access_exclusive}});
    CHECK(report.statements[5].scans.empty());
}

TEST_CASE("plan::analyze DROP SCHEMA CASCADE locks the tables the release created in it")
{
    const std::vector files{input("CREATE TABLE archive.notes (id int);", "0001.sql"),
                            input(k_timeout + "DROP SCHEMA archive CASCADE;\n"
                                              "DROP SCHEMA other;",
                                  "0002.sql")};
    auto report = plan::analyze(files, {});
    REQUIRE(report.statements.size() == 4);
    CHECK(report.statements[2].locks ==
          std::vector<plan::Lock>{{"archive.notes", plan::LockMode::access_exclusive}});
    CHECK(has(report.statements[2], "MS-BRK-05"));
    CHECK(report.statements[3].locks.empty()); // RESTRICT: fails unless empty
}

TEST_CASE("plan::analyze DROP TABLE and TRUNCATE CASCADE follow foreign keys the release "
          "defined")
{
    const std::vector files{
        input("CREATE TABLE owners (id int PRIMARY KEY);\n"
              "CREATE TABLE pets (id int PRIMARY KEY, owner_id int, CONSTRAINT pets_owner_fkey "
              "FOREIGN KEY (owner_id) REFERENCES owners (id));\n"
              "CREATE INDEX pets_owner_id_idx ON pets (owner_id);",
              "0001.sql"),
        input(k_timeout + "TRUNCATE owners CASCADE;\nDROP TABLE owners CASCADE;\n", "0002.sql")};
    auto report = plan::analyze(files, {});
    REQUIRE(report.statements.size() == 6);
    const auto& truncate = report.statements[4];
    CHECK(truncate.locks ==
          std::vector<plan::Lock>{{"public.owners", plan::LockMode::access_exclusive},
                                  {"public.pets", plan::LockMode::access_exclusive}});
    CHECK(truncate.rewrites == std::vector<std::string>{"public.owners", "public.pets"});
    CHECK(report.statements[5].locks ==
          std::vector<plan::Lock>{{"public.owners", plan::LockMode::access_exclusive},
                                  {"public.pets", plan::LockMode::access_exclusive}});
}

TEST_CASE("plan::analyze_sql: x.\"y.z\" and \"x.y\".z are two tables")
{
    // Joined with a dot and the quotes dropped, both read `x.y.z`: the ALTER would be taken
    // for a change of the table the file just created, and its findings lost.
    const auto report =
        plan::analyze_sql(k_timeout + "CREATE TABLE x.\"y.z\" (id int);\n"
                                      "ALTER TABLE \"x.y\".z ALTER COLUMN id TYPE bigint;\n",
                          "0001.sql");
    REQUIRE(report.statements.size() == 3);
    const auto& alter = report.statements[2];
    REQUIRE_FALSE(alter.locks.empty());
    CHECK(alter.locks[0].relation == "\"x.y\".z");
    CHECK(alter.rewrites == std::vector<std::string>{"\"x.y\".z"});
    CHECK(has(alter, "MS-COL-07")); // a rewrite of an existing table, not of the new one
    CHECK(report.verdict == plan::Verdict::fail);

    const auto same =
        plan::analyze_sql(k_timeout + "CREATE TABLE x.\"y.z\" (id int);\n"
                                      "ALTER TABLE x.\"y.z\" ALTER COLUMN id TYPE bigint;\n",
                          "0001.sql");
    CHECK_FALSE(has(same.statements.at(2), "MS-COL-07"));
}

TEST_CASE("plan::analyze: ADD ... NOT VALID and VALIDATE in two files are two transactions")
{
    // Transaction ids count per file: the first transaction of the second file is not the
    // first transaction of the first.
    const std::vector files{
        input(k_timeout + "ALTER TABLE t ADD CONSTRAINT t_c CHECK (c > 0) NOT VALID;\n",
              "0001_add.sql"),
        input(k_timeout + "ALTER TABLE t VALIDATE CONSTRAINT t_c;\n", "0002_validate.sql")};
    const auto report = plan::analyze(files);
    REQUIRE(report.statements.size() == 4);
    CHECK_FALSE(has(report.statements[3], "MS-CON-09"));
    CHECK(report.verdict == plan::Verdict::pass);
    // In one file and one transaction it is still MS-CON-09.
    const auto same =
        plan::analyze_sql(k_timeout + "ALTER TABLE t ADD CONSTRAINT t_c CHECK (c > 0) NOT "
                                      "VALID;\nALTER TABLE t VALIDATE CONSTRAINT t_c;\n",
                          "0001.sql");
    CHECK(has(same.statements.at(2), "MS-CON-09"));
}

TEST_CASE("plan::analyze_sql reports a cause once: the work held up by an AccessExclusiveLock, "
          "the foreign keys of new tables")
{
    auto report = plan::analyze_sql(k_timeout + "ALTER TABLE a ADD COLUMN x int;\n"
                                                "UPDATE b SET y = 1 WHERE id = 1;\n"
                                                "UPDATE b SET y = 2 WHERE id = 2;\n"
                                                "CREATE TABLE c (a_id int REFERENCES a (id), "
                                                "b_id int REFERENCES b (id));\n"
                                                "CREATE TABLE d (b_id int REFERENCES b (id));",
                                    "0001.sql");
    REQUIRE(report.statements.size() == 6);
    // MS-OPS-03 once for the transaction, on the first statement held up, naming the others.
    CHECK(has(report.statements[2], "MS-OPS-03"));
    for (std::size_t i = 3; i < 6; ++i) {
        CHECK_FALSE(has(report.statements[i], "MS-OPS-03"));
    }
    const auto held =
        std::find_if(report.statements[2].findings.begin(), report.statements[2].findings.end(),
                     [](const auto& f) { return f.rule == "MS-OPS-03"; });
    CHECK(held->message.ends_with("; 3 more statements hold it up the same way until COMMIT "
                                  "(lines 4, 5, 6)"));
    // MS-CON-08 once for the file: three foreign keys, one finding.
    int foreign_keys = 0;
    for (const auto& statement : report.statements) {
        foreign_keys +=
            static_cast<int>(std::count_if(statement.findings.begin(), statement.findings.end(),
                                           [](const auto& f) { return f.rule == "MS-CON-08"; }));
    }
    CHECK(foreign_keys == 1);
}

TEST_CASE("plan::analyze_sql: DROP VIEW breaks readers (MS-BRK-09) unless the view is created "
          "again in the same transaction")
{
    auto dropped = plan::analyze_sql(k_timeout + "DROP VIEW project_activity;", "0009.sql");
    CHECK(has(dropped.statements[1], "MS-BRK-09"));
    CHECK(dropped.statements[1].locks ==
          std::vector<plan::Lock>{{"public.project_activity", plan::LockMode::access_exclusive}});
    CHECK(dropped.verdict == plan::Verdict::fail);

    auto recreated = plan::analyze_sql(k_timeout + "DROP MATERIALIZED VIEW stats;\n"
                                                   "CREATE MATERIALIZED VIEW stats AS SELECT 1 "
                                                   "AS one;",
                                       "0010.sql");
    CHECK_FALSE(has(recreated.statements[1], "MS-BRK-09"));
    // Readers still wait for the lock while the view is computed again.
    CHECK(has(recreated.statements[2], "MS-OPS-03"));

    auto contract = plan::analyze_sql(
        "-- migsafe:phase contract\n" + k_timeout + "DROP VIEW project_activity;", "0011.sql");
    CHECK_FALSE(has(contract.statements[1], "MS-BRK-09"));
}
