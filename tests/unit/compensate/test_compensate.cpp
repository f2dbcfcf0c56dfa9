// compensate::plan and its report, without a database: statements parsed from text,
// objects_before and the catalog now written by hand in describe_objects' JSON form.
#include "support/migration_dir.hpp"

#include <migsafe/compensate/compensate.hpp>
#include <migsafe/model/migration_set.hpp>
#include <migsafe/model/parser.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace migsafe::compensate;
using migsafe::test::MigrationDir;

namespace {

migsafe::model::Migration migration_of(const std::string& sql, std::uint64_t version = 7)
{
    migsafe::model::Migration migration;
    migration.version = version;
    migration.name = "change";
    migration.up.relative_path = "0007_change.sql";
    migration.up.text = sql;
    migration.up.statements = migsafe::model::parse_sql(sql, "0007_change.sql");
    return migration;
}

nlohmann::json column(const std::string& name, const std::string& type, bool not_null = false,
                      const char* default_expression = nullptr)
{
    return {
        {"name", name},
        {"type", type},
        {"not_null", not_null},
        {"default", default_expression ? nlohmann::json(default_expression) : nlohmann::json()}};
}

/// public.t (id bigint PRIMARY KEY, name text) with index t_name_idx.
nlohmann::json table_t()
{
    return {{"kind", "r"},
            {"columns", {column("id", "bigint", true), column("name", "text")}},
            {"constraints",
             {{{"name", "t_pkey"},
               {"type", "p"},
               {"definition", "PRIMARY KEY (id)"},
               {"validated", true}}}},
            {"indexes",
             {{{"name", "t_name_idx"},
               {"definition", "CREATE INDEX t_name_idx ON public.t USING btree (name)"},
               {"valid", true}},
              {{"name", "t_pkey"},
               {"definition", "CREATE UNIQUE INDEX t_pkey ON public.t USING btree (id)"},
               {"valid", true}}}}};
}

Report plan_of(const std::string& sql, const nlohmann::json& before, const nlohmann::json& now,
               const std::string& snapshot_id = {})
{
    AppliedMigration applied{.version = 7,
                             .file = "0007_change.sql",
                             .finished_at = "2026-11-29T10:00:00Z",
                             .snapshot_id = snapshot_id,
                             .objects_before = before.dump()};
    return plan(migration_of(sql), applied, now.dump());
}

std::vector<std::string> sql_of(const Report& report)
{
    std::vector<std::string> out;
    for (const auto& step : report.steps) {
        out.push_back(step.sql);
    }
    return out;
}

} // namespace

TEST_CASE("compensate::quote_ident: plain lowercase names as they are, others quoted")
{
    CHECK(quote_ident("professionals") == "professionals");
    CHECK(quote_ident("full_name2") == "full_name2");
    CHECK(quote_ident("Order") == "\"Order\"");
    CHECK(quote_ident("user") == "\"user\"");
    CHECK(quote_ident("a b") == "\"a b\"");
    CHECK(quote_ident("x\"; DROP TABLE t; --") == "\"x\"\"; DROP TABLE t; --\"");
    CHECK(quote_ident("") == "\"\"");
}

TEST_CASE("compensate::plan: an added column is archived by primary key, then dropped")
{
    auto now = table_t();
    now["columns"].push_back(column("score", "integer"));
    auto report = plan_of("ALTER TABLE t ADD COLUMN score integer;\n", {{"public.t", table_t()}},
                          {{"public.t", now}});
    CHECK(sql_of(report) ==
          std::vector<std::string>{
              "CREATE SCHEMA IF NOT EXISTS migsafe_archive", "LOCK TABLE public.t IN SHARE MODE",
              "CREATE TABLE migsafe_archive.t__score__0007 AS SELECT id, score FROM public.t",
              "ALTER TABLE public.t DROP COLUMN score"});
    REQUIRE(report.steps.size() == 4);
    CHECK(report.steps[2].safety == DataSafety::archived);
    CHECK(report.steps[2].archive == "migsafe_archive.t__score__0007");
    CHECK(report.steps[3].undoes == "0007_change.sql:1");
    CHECK(report.steps[3].lock == "AccessExclusiveLock on public.t");
    CHECK(report.steps[3].allows == std::vector<std::string>{"MS-BRK-01"});
    CHECK(report.complete());
    const auto sql = report.transactional_sql();
    CHECK(sql.find("-- migsafe:allow MS-BRK-01 ") != std::string::npos);
    CHECK(sql.find("SET lock_timeout = '5s';") < sql.find("CREATE SCHEMA"));
    CHECK(report.no_transaction_sql().empty());
}

TEST_CASE("compensate::plan: without a primary key the whole rows are archived")
{
    nlohmann::json before = {{"kind", "r"},
                             {"columns", {column("a", "integer")}},
                             {"constraints", nlohmann::json::array()},
                             {"indexes", nlohmann::json::array()}};
    auto now = before;
    now["columns"].push_back(column("Mixed Case", "text"));
    auto report = plan_of("ALTER TABLE \"Odd\" ADD COLUMN \"Mixed Case\" text;\n",
                          {{"public.Odd", before}}, {{"public.Odd", now}});
    REQUIRE(report.steps.size() == 4);
    CHECK(report.steps[2].sql == "CREATE TABLE migsafe_archive.\"Odd__Mixed Case__0007\" AS "
                                 "SELECT * FROM public.\"Odd\"");
    CHECK(report.steps[3].sql == "ALTER TABLE public.\"Odd\" DROP COLUMN \"Mixed Case\"");
}

TEST_CASE("compensate::plan: created table moved aside; index dropped concurrently")
{
    auto now = table_t();
    now["indexes"].push_back({{"name", "t_lower_idx"},
                              {"definition", "CREATE INDEX t_lower_idx ON public.t USING btree "
                                             "(lower(name))"},
                              {"valid", true}});
    auto report =
        plan_of("CREATE TABLE audit (id bigint PRIMARY KEY);\n"
                "CREATE INDEX ON t (lower(name));\n",
                {{"public.t", table_t()}}, {{"public.t", now}, {"public.audit", {{"kind", "r"}}}});
    CHECK(sql_of(report) ==
          std::vector<std::string>{"CREATE SCHEMA IF NOT EXISTS migsafe_archive",
                                   "ALTER TABLE public.audit RENAME TO audit__0007",
                                   "ALTER TABLE public.audit__0007 SET SCHEMA migsafe_archive",
                                   "DROP INDEX CONCURRENTLY IF EXISTS public.t_lower_idx"});
    CHECK(report.steps[3].part == Part::no_transaction);
    CHECK(report.steps[1].safety == DataSafety::archived);
    const auto second = report.no_transaction_sql();
    CHECK(second.find("-- migsafe:no-transaction") != std::string::npos);
    CHECK(second.find("SET lock_timeout = '30min';") != std::string::npos);
}

TEST_CASE("compensate::plan: renames, type, NOT NULL and default go back")
{
    auto before = table_t();
    before["columns"][1] = column("name", "character varying(20)", false, "'x'::text");
    auto report = plan_of("ALTER TABLE t RENAME COLUMN name TO label;\n"
                          "ALTER TABLE t ALTER COLUMN label TYPE text;\n"
                          "ALTER TABLE t ALTER COLUMN label SET NOT NULL;\n"
                          "ALTER TABLE t ALTER COLUMN label DROP DEFAULT;\n"
                          "ALTER INDEX t_name_idx RENAME TO t_label_idx;\n"
                          "ALTER TABLE t RENAME TO things;\n",
                          {{"public.t", before}}, {{"public.things", table_t()}});
    CHECK(sql_of(report) ==
          std::vector<std::string>{
              "ALTER TABLE public.things RENAME TO t",
              "ALTER INDEX public.t_label_idx RENAME TO t_name_idx",
              "ALTER TABLE public.t ALTER COLUMN label SET DEFAULT 'x'::text",
              "ALTER TABLE public.t ALTER COLUMN label DROP NOT NULL",
              "ALTER TABLE public.t ALTER COLUMN label TYPE character varying(20) USING "
              "label::character varying(20)",
              "ALTER TABLE public.t RENAME COLUMN label TO name"});
    CHECK(report.complete());
}

TEST_CASE("compensate::plan: dropped index and constraint come back without blocking")
{
    auto before = table_t();
    before["constraints"].push_back({{"name", "t_name_check"},
                                     {"type", "c"},
                                     {"definition", "CHECK ((name <> ''::text))"},
                                     {"validated", true}});
    auto report = plan_of("DROP INDEX t_name_idx;\nALTER TABLE t DROP CONSTRAINT t_name_check;\n",
                          {{"public.t", before}}, {{"public.t", table_t()}});
    CHECK(sql_of(report) ==
          std::vector<std::string>{
              "ALTER TABLE public.t ADD CONSTRAINT t_name_check CHECK ((name <> ''::text)) NOT "
              "VALID",
              "ALTER TABLE public.t VALIDATE CONSTRAINT t_name_check",
              "CREATE INDEX CONCURRENTLY t_name_idx ON public.t USING btree (name)"});
    CHECK(report.steps[1].part == Part::no_transaction);
}

TEST_CASE("compensate::plan: a dropped primary key comes back from an index built "
          "concurrently; DROP NOT NULL through a validated check")
{
    auto now = table_t();
    now["constraints"] = nlohmann::json::array();
    now["indexes"].erase(1);
    auto report = plan_of("ALTER TABLE t DROP CONSTRAINT t_pkey, ALTER COLUMN id DROP NOT NULL;\n",
                          {{"public.t", table_t()}}, {{"public.t", now}});
    CHECK(sql_of(report) ==
          std::vector<std::string>{
              "ALTER TABLE public.t ADD CONSTRAINT t__id__nn__0007 CHECK (id IS NOT NULL) NOT "
              "VALID",
              "ALTER TABLE public.t VALIDATE CONSTRAINT t__id__nn__0007",
              "ALTER TABLE public.t ALTER COLUMN id SET NOT NULL",
              "ALTER TABLE public.t DROP CONSTRAINT t__id__nn__0007",
              "CREATE UNIQUE INDEX CONCURRENTLY t_pkey ON public.t USING btree (id)",
              "ALTER TABLE public.t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX t_pkey"});
    CHECK(report.complete());
    CHECK(report.no_transaction_sql().find("-- migsafe:allow MS-COL-01 ") != std::string::npos);
}

TEST_CASE("compensate::plan: what the same migration added and dropped leaves nothing to put "
          "back")
{
    auto now = table_t();
    now["columns"][1]["not_null"] = true;
    auto report = plan_of("ALTER TABLE t ADD CONSTRAINT t_name_nn CHECK (name IS NOT NULL) NOT "
                          "VALID;\n"
                          "ALTER TABLE t VALIDATE CONSTRAINT t_name_nn;\n"
                          "ALTER TABLE t ALTER COLUMN name SET NOT NULL;\n"
                          "ALTER TABLE t DROP CONSTRAINT t_name_nn;\n",
                          {{"public.t", table_t()}}, {{"public.t", now}});
    CHECK(sql_of(report) ==
          std::vector<std::string>{"", "ALTER TABLE public.t ALTER COLUMN name DROP NOT NULL", "",
                                   ""});
    CHECK(report.complete());
    CHECK(report.steps[0].note == "constraint t_name_nn was added by the same migration: nothing "
                                  "to put back");
}

TEST_CASE("compensate::plan: a table created and dropped by the same migration leaves nothing")
{
    auto report = plan_of("CREATE TABLE scratch (id int);\nDROP TABLE scratch;\n",
                          {{"public.t", table_t()}}, {{"public.t", table_t()}});
    REQUIRE(report.steps.size() == 2);
    CHECK(report.steps[0].note ==
          "public.scratch was created by the same migration: nothing to put back");
    CHECK(report.steps[1].note == "public.scratch no longer exists: nothing to move aside");
    CHECK(report.complete());
}

TEST_CASE("compensate::plan: an added column that is part of the primary key archives whole rows")
{
    nlohmann::json before = {{"kind", "r"},
                             {"columns", {column("a", "integer")}},
                             {"constraints", nlohmann::json::array()},
                             {"indexes", nlohmann::json::array()}};
    auto now = before;
    now["columns"].push_back(column("id", "bigint", true));
    now["constraints"].push_back({{"name", "k_pkey"},
                                  {"type", "p"},
                                  {"definition", "PRIMARY KEY (a, id)"},
                                  {"validated", true}});
    auto report = plan_of("ALTER TABLE k ADD COLUMN id bigint;\n", {{"public.k", before}},
                          {{"public.k", now}});
    REQUIRE(report.steps.size() == 4);
    CHECK(report.steps[2].sql ==
          "CREATE TABLE migsafe_archive.k__id__0007 AS SELECT * FROM public.k");
}

TEST_CASE("compensate::plan: a dropped column comes back empty and needs the snapshot")
{
    auto now = table_t();
    now["columns"].erase(1);
    now["indexes"].erase(0); // went with the column
    auto report = plan_of("ALTER TABLE t DROP COLUMN name;\n", {{"public.t", table_t()}},
                          {{"public.t", now}}, "20261129T100000Z-abc");
    REQUIRE(report.steps.size() == 2);
    CHECK(report.steps[0].sql == "ALTER TABLE public.t ADD COLUMN name text");
    CHECK(report.steps[0].safety == DataSafety::needs_snapshot);
    CHECK(report.steps[0].note.find("snapshot 20261129T100000Z-abc") != std::string::npos);
    CHECK(report.steps[1].sql ==
          "CREATE INDEX CONCURRENTLY t_name_idx ON public.t USING btree (name)");
    CHECK_FALSE(report.complete());
    CHECK(report.count(DataSafety::needs_snapshot) == 1);
}

TEST_CASE("compensate::plan: data changes need the snapshot, unknown statements a person")
{
    auto report = plan_of("UPDATE t SET name = 'x';\nCREATE EXTENSION pg_trgm;\nSET "
                          "lock_timeout = '1s';\n",
                          {{"public.t", table_t()}}, {{"public.t", table_t()}});
    REQUIRE(report.steps.size() == 2);
    CHECK(report.steps[0].safety == DataSafety::manual);
    CHECK(report.steps[0].undoes == "0007_change.sql:2");
    CHECK(report.steps[1].safety == DataSafety::needs_snapshot);
    CHECK(report.steps[1].note.find("no snapshot was recorded") != std::string::npos);
    CHECK(report.transactional_sql().find("-- original: CREATE EXTENSION pg_trgm") !=
          std::string::npos);
}

TEST_CASE("compensate::plan: rows written into what the migration adds go aside with it")
{
    auto now = table_t();
    now["columns"].push_back(column("score", "integer"));
    const nlohmann::json before = {{"public.t", table_t()}};
    const nlohmann::json after = {{"public.t", now}, {"public.audit", {{"kind", "r"}}}};

    // A created table's rows move aside with the table; a backfill of an added column is
    // archived with the column: nothing needs the snapshot.
    auto covered = plan_of("CREATE TABLE audit (id bigint PRIMARY KEY, note text);\n"
                           "INSERT INTO audit VALUES (1, 'first');\n"
                           "UPDATE audit SET note = 'x';\n"
                           "ALTER TABLE t ADD COLUMN score integer;\n"
                           "UPDATE t SET score = 0 WHERE score IS NULL;\n",
                           before, after);
    CHECK(covered.count(DataSafety::needs_snapshot) == 0);
    CHECK(covered.complete());
    for (const auto& step : covered.steps) {
        CAPTURE(step.sql);
        CHECK(step.undoes.find(":2") == std::string::npos); // the INSERT
        CHECK(step.undoes.find(":3") == std::string::npos); // the UPDATE of audit
        CHECK(step.undoes.find(":5") == std::string::npos); // the backfill
    }

    // An UPDATE that also sets a column that was there before changed data for good.
    auto mixed = plan_of("ALTER TABLE t ADD COLUMN score integer;\n"
                         "UPDATE t SET score = 0, name = 'x';\n",
                         before, {{"public.t", now}});
    CHECK(mixed.count(DataSafety::needs_snapshot) == 1);
    CHECK_FALSE(mixed.complete());

    // A column renamed onto the added one's name is still the old column.
    auto renamed = plan_of("ALTER TABLE t ADD COLUMN score integer;\n"
                           "ALTER TABLE t RENAME COLUMN score TO points;\n"
                           "ALTER TABLE t RENAME COLUMN name TO score;\n"
                           "UPDATE t SET score = 'x';\n",
                           before, {{"public.t", now}});
    CHECK(renamed.count(DataSafety::needs_snapshot) == 1);
}

TEST_CASE("compensate::plan: a dropped table's structure comes back from objects_before")
{
    auto report = plan_of("DROP TABLE t;\n", {{"public.t", table_t()}}, nlohmann::json::object());
    REQUIRE(report.steps.size() == 2);
    CHECK(report.steps[0].sql == "CREATE TABLE public.t (\n    id bigint NOT NULL,\n    name "
                                 "text,\n    CONSTRAINT t_pkey PRIMARY KEY (id)\n)");
    CHECK(report.steps[0].safety == DataSafety::needs_snapshot);
    CHECK(report.steps[1].sql == "CREATE INDEX t_name_idx ON public.t USING btree (name)");
}

TEST_CASE("compensate::plan: malformed objects_before is compensate-objects-malformed")
{
    AppliedMigration applied{.version = 7, .objects_before = "{not json"};
    try {
        (void)plan(migration_of("SELECT 1;\n"), applied, "{}");
        FAIL("no error");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "compensate-objects-malformed");
        CHECK(e.message().rfind("objects_before of version 7 is not JSON", 0) == 0);
    }
    applied.objects_before = "[1]";
    CHECK_THROWS_WITH_AS((void)plan(migration_of("SELECT 1;\n"), applied, "{}"),
                         doctest::Contains("is not a JSON object of tables"), migsafe::Error);
}

TEST_CASE("compensate::Report: to_json and from_json round trip; a bad document is refused")
{
    auto now = table_t();
    now["columns"].push_back(column("score", "integer"));
    auto report = plan_of("ALTER TABLE t ADD COLUMN score integer;\n", {{"public.t", table_t()}},
                          {{"public.t", now}});
    auto again = Report::from_json(report.to_json());
    CHECK(again == report);
    CHECK(diff(again, report).empty());
    again.steps.pop_back();
    CHECK(diff(again, report) == std::vector<std::string>{"steps: 3 != 4"});
    auto json = nlohmann::json::parse(report.to_json());
    CHECK(json["counts"]["archived"] == 2);
    CHECK(json["complete"] == true);
    try {
        (void)Report::from_json("{}");
        FAIL("no error");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "compensate-report-malformed");
    }
}

TEST_CASE("compensate::write: the next versions, migsafe.sum rewritten; other layouts refused")
{
    MigrationDir dir;
    dir.write("0001_t.sql", "CREATE TABLE t (id bigint PRIMARY KEY);\n");
    dir.write("0002_index.sql", "CREATE INDEX t_id ON t (id);\n");
    dir.seal();
    auto set = migsafe::model::load_migration_set(dir.path());
    Report report;
    report.version = 2;
    report.file = "0002_index.sql";
    report.lock_timeout = std::chrono::seconds(5);
    report.concurrently_lock_timeout = std::chrono::minutes(30);
    report.steps.push_back(
        {.sql = "DROP INDEX CONCURRENTLY IF EXISTS public.t_id", .part = Part::no_transaction});
    report.steps.push_back({.sql = "ALTER TABLE public.t ALTER COLUMN id DROP DEFAULT"});
    auto written = write(report, set);
    REQUIRE(written.files.size() == 2);
    CHECK(written.files[0].filename() == "0003_compensate_0002.sql");
    CHECK(written.files[1].filename() == "0004_compensate_0002_concurrently.sql");
    CHECK(written.sum_rewritten);
    auto again = migsafe::model::load_migration_set(dir.path(),
                                                    {.check_sum = migsafe::model::CheckSum::yes});
    REQUIRE(again.migrations.size() == 4);
    CHECK(again.migrations[3].up.directives.transactional == migsafe::model::Transactional::no);

    MigrationDir flyway;
    flyway.write("V1__t.sql", "CREATE TABLE t (id int);\n");
    auto flyway_set = migsafe::model::load_migration_set(flyway.path());
    try {
        (void)write(report, flyway_set);
        FAIL("no error");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "compensate-layout-unsupported");
    }
}

TEST_CASE("compensate::Report::to_json survives a catalog name that is not UTF-8")
{
    // A SQL_ASCII database may hold any byte in a name; the report still prints.
    Report report;
    report.version = 7;
    Step step;
    step.note = "constraint \xff\xfe of public.t is not in objects_before";
    step.safety = DataSafety::manual;
    report.steps.push_back(step);
    std::string json;
    CHECK_NOTHROW(json = report.to_json());
    const auto doc = nlohmann::json::parse(json);
    CHECK(doc["steps"][0]["note"] ==
          "constraint \xef\xbf\xbd\xef\xbf\xbd of public.t is not in objects_before");
}

TEST_CASE("compensate::plan: objects_before keyed by display form, with schema and name, and "
          "in the older unquoted form, name the same tables")
{
    auto before = table_t();
    before["columns"].push_back(column("Note", "text"));
    auto now = table_t();
    auto quoted = before;
    quoted["schema"] = "x.y";
    quoted["name"] = "T";
    auto quoted_now = now;
    quoted_now["schema"] = "x.y";
    quoted_now["name"] = "T";
    const auto report = plan_of("ALTER TABLE \"x.y\".\"T\" DROP COLUMN \"Note\";\n",
                                {{"\"x.y\".\"T\"", quoted}}, {{"\"x.y\".\"T\"", quoted_now}});
    REQUIRE(report.steps.size() == 1);
    CHECK(report.steps[0].sql == "ALTER TABLE \"x.y\".\"T\" ADD COLUMN \"Note\" text");
    // As older versions wrote it: `public.Orders` unquoted.
    const auto legacy = plan_of("ALTER TABLE \"Orders\" DROP COLUMN \"Note\";\n",
                                {{"public.Orders", before}}, {{"public.Orders", now}});
    REQUIRE(legacy.steps.size() == 1);
    CHECK(legacy.steps[0].sql == "ALTER TABLE public.\"Orders\" ADD COLUMN \"Note\" text");
}

TEST_CASE("compensate::plan: an adopted migration says that no catalog was recorded before it")
{
    // Prisma applied it; `migsafe adopt` imported the row, without objects_before.
    AppliedMigration applied{.version = 7,
                             .file = "0007_change.sql",
                             .finished_at = "2026-11-29T10:00:00Z",
                             .snapshot_id = {},
                             .objects_before = {},
                             .adopted_from = "prisma"};
    const auto report = plan(migration_of("ALTER TABLE t DROP COLUMN name;\n"
                                          "ALTER TABLE t ADD COLUMN email text;\n"),
                             applied, nlohmann::json::object({{"public.t", table_t()}}).dump());
    REQUIRE(report.steps.size() >= 2);
    const Step* put_back = nullptr;
    for (const auto& step : report.steps) {
        if (step.undoes == "0007_change.sql:1") {
            put_back = &step;
        }
    }
    REQUIRE(put_back != nullptr);
    CHECK(put_back->safety == DataSafety::manual);
    CHECK(put_back->note == "column name of public.t was not recorded before it ran: its type is "
                            "unknown (prisma applied this migration before migsafe adopted it, so "
                            "migsafe recorded no catalog then)");
    CHECK_FALSE(report.complete());
}

TEST_CASE("compensate::plan: a gated migration names the flags to switch off first")
{
    auto now = table_t();
    now["columns"].push_back(column("score", "integer"));
    const std::string sql = "-- migsafe:phase contract\n"
                            "-- migsafe:requires-flag new-checkout on-for=7d\n"
                            "-- migsafe:requires-flag new-checkout env=staging\n"
                            "ALTER TABLE t ADD COLUMN score integer;\n";
    auto migration = migration_of(sql);
    migration.up.directives = migsafe::model::parse_directives(sql, "0007_change.sql");
    AppliedMigration applied{.version = 7,
                             .file = "0007_change.sql",
                             .finished_at = "2026-11-29T10:00:00Z",
                             .snapshot_id = {},
                             .objects_before = nlohmann::json{{"public.t", table_t()}}.dump()};
    auto report = plan(migration, applied, nlohmann::json{{"public.t", now}}.dump());
    CHECK(report.switch_off_first == std::vector<FlagToSwitchOff>{{"new-checkout", "production"},
                                                                  {"new-checkout", "staging"}});
    const auto text = report.transactional_sql();
    CHECK(text.find("-- Switch off first: flag new-checkout in production (migsafe flag off "
                    "new-checkout --env production --reason TEXT): code behind it relies on "
                    "what this undoes.\n-- Switch off first: flag new-checkout in staging") !=
          std::string::npos);
    CHECK(Report::from_json(report.to_json()) == report);
    CHECK(nlohmann::json::parse(report.to_json())["switch_off_first"][1] ==
          nlohmann::json{{"flag", "new-checkout"}, {"env", "staging"}});
    // A report written before the field reads as none.
    auto old = nlohmann::json::parse(report.to_json());
    old.erase("switch_off_first");
    CHECK(Report::from_json(old.dump()).switch_off_first.empty());
}
