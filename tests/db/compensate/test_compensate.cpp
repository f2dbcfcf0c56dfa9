// workflow::compensate against a real server: migrations applied, compensated, the
// compensation applied with workflow::apply, and the catalog of the touched tables compared
// with the history's objects_before; archived data checked where the report says it is.
#include "support/migration_dir.hpp"
#include "support/test_db.hpp"

#include <migsafe/compensate/compensate.hpp>
#include <migsafe/model/migration_set.hpp>
#include <migsafe/plan/analyze.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/files.hpp>
#include <migsafe/platform/session.hpp>
#include <migsafe/workflow/apply.hpp>
#include <migsafe/workflow/compensate.hpp>
#include <migsafe/workflow/history.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>

using migsafe::Error;
using migsafe::test::MigrationDir;
using migsafe::test::TestDatabase;
using namespace migsafe;
using namespace std::chrono_literals;

namespace {

workflow::ApplyOptions quick()
{
    workflow::ApplyOptions options;
    options.snapshot = workflow::SnapshotPolicy::skip;
    options.retry_pause = 20ms;
    options.lock_timeout = 2s;
    return options;
}

workflow::ApplyReport apply_dir(const TestDatabase& db, const MigrationDir& dir,
                                workflow::ApplyOptions options = quick())
{
    return workflow::apply(db.conninfo(), model::load_migration_set(dir.path()), options);
}

compensate::Report compensate_dir(const TestDatabase& db, const MigrationDir& dir,
                                  std::uint64_t version)
{
    return workflow::compensate(db.conninfo(), model::load_migration_set(dir.path()), version);
}

std::string value(platform::Session& session, const std::string& sql)
{
    return session.query_value(sql).value_or("<null>");
}

workflow::HistoryEntry history_of(platform::Session& session, std::uint64_t version)
{
    for (auto& entry : workflow::read_history(session)) {
        if (entry.version == version) {
            return entry;
        }
    }
    FAIL("version not in the history");
    return {};
}

/// The tables of `objects_before` described now, with the same query apply used.
nlohmann::json described_now(platform::Session& session, const nlohmann::json& before)
{
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [name, table] : before.items()) {
        const auto relation = platform::split_qualified_name(name).value();
        auto row = session.query_value(
            "SELECT (jsonb_build_object('schema', n.nspname, 'name', c.relname, "
            "'columns', (SELECT coalesce(jsonb_agg(jsonb_build_object('name', a.attname, 'type', "
            "format_type(a.atttypid, a.atttypmod), 'not_null', a.attnotnull, 'default', "
            "pg_get_expr(d.adbin, d.adrelid)) ORDER BY a.attnum), '[]') FROM pg_attribute a "
            "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
            "WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), "
            "'constraints', (SELECT coalesce(jsonb_agg(jsonb_build_object('name', co.conname, "
            "'type', co.contype::text, 'definition', pg_get_constraintdef(co.oid), 'validated', "
            "co.convalidated) ORDER BY co.conname), '[]') FROM pg_constraint co "
            "WHERE co.conrelid = c.oid), "
            "'indexes', (SELECT coalesce(jsonb_agg(jsonb_build_object('name', ic.relname, "
            "'definition', pg_get_indexdef(i.indexrelid), 'valid', i.indisvalid) "
            "ORDER BY ic.relname), '[]') FROM pg_index i JOIN pg_class ic ON ic.oid = "
            "i.indexrelid WHERE i.indrelid = c.oid), 'kind', c.relkind::text) || CASE WHEN "
            "c.relkind = 'i' THEN jsonb_build_object('definition', pg_get_indexdef(c.oid)) ELSE "
            "'{}' END)::text "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = $1 AND c.relname = $2",
            {relation.first, relation.second});
        out[name] = row ? nlohmann::json::parse(*row) : nlohmann::json();
    }
    return out;
}

/// Writes the compensation of `version` into `dir`, checks that migsafe plans every
/// written file as safe, and applies it.
compensate::Report compensate_and_apply(const TestDatabase& db, const MigrationDir& dir,
                                        std::uint64_t version)
{
    auto set = model::load_migration_set(dir.path());
    auto report = workflow::compensate(db.conninfo(), set, version);
    auto written = compensate::write(report, set);
    CHECK(written.sum_rewritten);
    for (const auto& file : written.files) {
        auto plan = plan::analyze_sql(platform::read_file(file), file.filename());
        CAPTURE(file);
        CAPTURE(plan.to_json());
        CHECK(plan.verdict == plan::Verdict::pass);
    }
    auto applied = apply_dir(db, dir);
    CHECK(applied.verdict == plan::Verdict::pass);
    CHECK(applied.applied == static_cast<int>(written.files.size()));
    return report;
}

/// Runs `call`, which must throw migsafe::Error; returns it.
template <class Call>
Error error_of(Call&& call)
{
    try {
        call();
    } catch (const Error& error) {
        return error;
    }
    FAIL("no migsafe::Error was thrown");
    return Error("internal-assertion", "unreachable");
}

const char* const k_base = R"(CREATE TABLE t (
    id bigint PRIMARY KEY,
    name varchar(20) NOT NULL,
    note text DEFAULT 'n',
    legacy text
);
CREATE INDEX t_note_idx ON t (note);
CREATE INDEX t_legacy_idx ON t (legacy);
ALTER TABLE t ADD CONSTRAINT t_name_check CHECK (name <> '');
CREATE TABLE u (id int PRIMARY KEY, t_id bigint);
INSERT INTO t SELECT g, 'n' || g, 'note ' || g, 'legacy ' || g FROM generate_series(1, 50) g;
INSERT INTO u SELECT g, g FROM generate_series(1, 10) g;
)";

const char* const k_change = R"(ALTER TABLE t ADD COLUMN score integer;
ALTER TABLE t ADD CONSTRAINT t_score_check CHECK (score > 0) NOT VALID;
ALTER TABLE t RENAME COLUMN name TO label;
ALTER TABLE t ALTER COLUMN label TYPE text;
ALTER TABLE t ALTER COLUMN note SET NOT NULL;
ALTER TABLE t ALTER COLUMN note SET DEFAULT 'changed';
ALTER TABLE t DROP CONSTRAINT t_name_check;
DROP INDEX t_note_idx;
ALTER INDEX t_legacy_idx RENAME TO t_old_idx;
CREATE TABLE audit (id bigint PRIMARY KEY, what text);
ALTER TABLE u ADD CONSTRAINT u_t_fk FOREIGN KEY (t_id) REFERENCES t (id) NOT VALID;
)";

const char* const k_index = "-- migsafe:no-transaction\n"
                            "CREATE INDEX CONCURRENTLY t_score_idx ON t (score);\n";

} // namespace

TEST_CASE("workflow::compensate: every reversible change goes back; the catalog equals "
          "objects_before and the data is kept")
{
    TestDatabase db;
    MigrationDir dir;
    dir.write("0001_base.sql", k_base);
    dir.write("0002_change.sql", k_change);
    dir.write("0003_index.sql", k_index);
    dir.seal();
    REQUIRE(apply_dir(db, dir).applied == 3);
    auto session = db.connect();
    session.exec("UPDATE t SET score = id * 10; INSERT INTO audit VALUES (1, 'kept')");
    const auto before_0002 = nlohmann::json::parse(history_of(session, 2).objects_before);
    const auto before_0003 = nlohmann::json::parse(history_of(session, 3).objects_before);
    REQUIRE(before_0002.contains("public.t"));

    auto index_report = compensate_and_apply(db, dir, 3);
    REQUIRE(index_report.steps.size() == 1);
    CHECK(index_report.steps[0].sql == "DROP INDEX CONCURRENTLY IF EXISTS public.t_score_idx");
    CHECK(index_report.steps[0].undoes == "0003_index.sql:2");
    CHECK(index_report.complete());
    CHECK(described_now(session, before_0003) == before_0003);

    auto report = compensate_and_apply(db, dir, 2);
    CAPTURE(report.to_json());
    CHECK(report.complete());
    CHECK(report.count(compensate::DataSafety::needs_snapshot) == 0);
    CHECK(report.count(compensate::DataSafety::manual) == 0);
    CHECK(described_now(session, before_0002) == before_0002);
    CHECK(value(session, "SELECT count(*) FROM t") == "50");
    CHECK(value(session, "SELECT count(*) FROM u") == "10");

    // The added column's values, by primary key, where the report says.
    bool found_archive = false;
    for (const auto& step : report.steps) {
        if (step.safety == compensate::DataSafety::archived &&
            step.sql.find("DROP COLUMN score") != std::string::npos) {
            CHECK(step.archive == "migsafe_archive.t__score__0002");
            found_archive = true;
        }
    }
    CHECK(found_archive);
    CHECK(value(session, "SELECT count(*) FROM migsafe_archive.t__score__0002 WHERE score = id * "
                         "10") == "50");
    // The created table, moved aside with its row.
    CHECK(value(session, "SELECT to_regclass('public.audit') IS NULL") == "t");
    CHECK(value(session, "SELECT what FROM migsafe_archive.audit__0002") == "kept");
    // The applied compensations are in the history like any migration.
    CHECK(workflow::read_history(session).size() == 6);
}

TEST_CASE("workflow::compensate: NOT NULL dropped, primary key dropped, unnamed index and "
          "check, constraint and table renamed: all back, names as before")
{
    TestDatabase db;
    MigrationDir dir;
    dir.write("0001_base.sql", k_base);
    dir.write("0002_more.sql", R"(ALTER TABLE t ALTER COLUMN name DROP NOT NULL;
ALTER TABLE t DROP CONSTRAINT t_pkey;
ALTER TABLE t RENAME CONSTRAINT t_name_check TO t_label_check;
ALTER TABLE t RENAME TO things;
ALTER TABLE things ADD CHECK (id > 0) NOT VALID;
CREATE INDEX ON things (lower(note));
ALTER TABLE things RENAME COLUMN name TO label;
)");
    dir.seal();
    REQUIRE(apply_dir(db, dir).applied == 2);
    auto session = db.connect();
    const auto before = nlohmann::json::parse(history_of(session, 2).objects_before);
    REQUIRE(before.contains("public.t"));
    auto report = compensate_and_apply(db, dir, 2);
    CAPTURE(report.to_json());
    CHECK(report.complete());
    CHECK(described_now(session, before) == before);
    CHECK(value(session, "SELECT to_regclass('public.things') IS NULL") == "t");
    CHECK(value(session, "SELECT count(*) FROM t") == "50");
}

TEST_CASE("workflow::compensate: a dropped column comes back empty and the report says it "
          "needs the snapshot")
{
    TestDatabase db;
    MigrationDir dir;
    dir.write("0001_base.sql", k_base);
    dir.write("0002_drop.sql", "ALTER TABLE t DROP COLUMN legacy;\n");
    dir.seal();
    REQUIRE(apply_dir(db, dir).applied == 2);
    auto session = db.connect();
    const auto before = nlohmann::json::parse(history_of(session, 2).objects_before);

    auto report = compensate_dir(db, dir, 2);
    CHECK_FALSE(report.complete());
    REQUIRE(report.steps.size() == 2);
    CHECK(report.steps[0].sql == "ALTER TABLE public.t ADD COLUMN legacy text");
    CHECK(report.steps[0].safety == compensate::DataSafety::needs_snapshot);
    CHECK(report.steps[0].note.find("no snapshot was recorded") != std::string::npos);
    // The index that went with the column is built again.
    CHECK(report.steps[1].sql ==
          "CREATE INDEX CONCURRENTLY t_legacy_idx ON public.t USING btree (legacy)");

    compensate_and_apply(db, dir, 2);
    CHECK(described_now(session, before) == before);
    CHECK(value(session, "SELECT count(*) FROM t WHERE legacy IS NULL") == "50");
}

TEST_CASE("workflow::compensate: a migration that only drops an index gets it back "
          "(objects_before records the index relation with its definition)")
{
    TestDatabase db;
    MigrationDir dir;
    dir.write("0001_base.sql", k_base);
    dir.write("0002_drop_index.sql", "DROP INDEX t_note_idx;\n");
    dir.seal();
    REQUIRE(apply_dir(db, dir).applied == 2);
    auto session = db.connect();
    const auto before = nlohmann::json::parse(history_of(session, 2).objects_before);
    REQUIRE(before.contains("public.t_note_idx"));
    CHECK(before["public.t_note_idx"]["definition"] ==
          "CREATE INDEX t_note_idx ON public.t USING btree (note)");
    auto report = compensate_and_apply(db, dir, 2);
    CHECK(report.complete());
    REQUIRE(report.steps.size() == 1);
    CHECK(report.steps[0].sql == "CREATE INDEX CONCURRENTLY t_note_idx ON public.t USING btree "
                                 "(note)");
    CHECK(described_now(session, before) == before);
}

TEST_CASE("workflow::compensate: a dropped table's structure comes back")
{
    TestDatabase db;
    MigrationDir dir;
    dir.write("0001_base.sql", k_base);
    dir.write("0002_drop.sql", "DROP TABLE u;\n");
    dir.seal();
    REQUIRE(apply_dir(db, dir).applied == 2);
    auto session = db.connect();
    const auto before = nlohmann::json::parse(history_of(session, 2).objects_before);
    REQUIRE(before.contains("public.u"));
    auto report = compensate_and_apply(db, dir, 2);
    CHECK(report.count(compensate::DataSafety::needs_snapshot) == 1);
    CHECK(described_now(session, before) == before);
}

TEST_CASE("workflow::compensate: unknown, unapplied and edited migrations are refused")
{
    TestDatabase db;
    MigrationDir dir;
    dir.write("0001_base.sql", k_base);
    dir.write("0002_change.sql", k_change);
    dir.seal();
    auto options = quick();
    options.to = 1;
    REQUIRE(apply_dir(db, dir, options).applied == 1);

    SUBCASE("unknown")
    {
        auto error = error_of([&] { compensate_dir(db, dir, 42); });
        CHECK(error.code() == "compensate-unknown-version");
        CHECK(error.message() ==
              fmt::format("version 42 is neither in {} nor in migsafe.history", dir.str()));
        CHECK(error.hint() == "pass the version of an applied migration (the newest applied: 1) "
                              "and the --dir that holds its file");
    }
    SUBCASE("not applied")
    {
        auto error = error_of([&] { compensate_dir(db, dir, 2); });
        CHECK(error.code() == "compensate-not-applied");
        CHECK(error.message() ==
              "0002_change.sql is not applied to this database (not in migsafe.history)");
        CHECK(error.category() == Category::input);
    }
    SUBCASE("edited since it was applied")
    {
        auto session = db.connect();
        auto applied = history_of(session, 1).checksum;
        dir.write("0001_base.sql", std::string(k_base) + "CREATE TABLE extra (id int);\n");
        auto error = error_of([&] { compensate_dir(db, dir, 1); });
        CHECK(error.code() == "compensate-drifted");
        CHECK(error.message().find("0001_base.sql changed after it was applied (applied " +
                                   applied) == 0);
    }
    SUBCASE("in the history without its file")
    {
        dir.remove("0001_base.sql");
        auto error = error_of([&] { compensate_dir(db, dir, 1); });
        CHECK(error.code() == "compensate-unknown-version");
        CHECK(error.message().find("is in migsafe.history but its file is not in") !=
              std::string::npos);
    }
}

TEST_CASE("compensate::quote_ident quotes exactly as the server's quote_ident, for every "
          "keyword the server knows")
{
    // The oracle is PostgreSQL itself: pg_get_keywords() lists its key words, and its own
    // quote_ident says which must be quoted. A keyword missing from migsafe's list would
    // write SQL that does not parse.
    TestDatabase db;
    auto session = db.connect();
    auto rows = session
                    .query("SELECT w, quote_ident(w) FROM (SELECT word FROM pg_get_keywords() "
                           "UNION ALL SELECT unnest(ARRAY['orders', 'Orders', 'order_2', "
                           "'2fast', 'with space', 'say \"hi\"', 'caf\u00e9', '_x', 'a$b', "
                           "''])) AS t(w)")
                    .rows;
    REQUIRE(rows.size() > 400);
    int differing = 0;
    for (const auto& row : rows) {
        const std::string word = row.at(0).value_or("");
        const std::string server = row.at(1).value_or("");
        CAPTURE(word);
        CHECK(compensate::quote_ident(word) == server);
        differing += compensate::quote_ident(word) == server ? 0 : 1;
    }
    CHECK(differing == 0);
}

TEST_CASE("workflow::compensate: x.\"y.z\" and \"x.y\".z are two tables; undoing ADD COLUMN on "
          "one leaves the other's column alone")
{
    TestDatabase db;
    auto session = db.connect();
    session.exec("CREATE SCHEMA x; CREATE SCHEMA \"x.y\";"
                 "CREATE TABLE x.\"y.z\" (id int PRIMARY KEY, c text);"
                 "INSERT INTO x.\"y.z\" VALUES (1, 'keep me');"
                 "CREATE TABLE \"x.y\".z (id int PRIMARY KEY);"
                 "INSERT INTO \"x.y\".z VALUES (1)");
    MigrationDir dir;
    dir.write("0001_add.sql", "ALTER TABLE \"x.y\".z ADD COLUMN c text;\n");
    dir.seal();
    REQUIRE(apply_dir(db, dir).applied == 1);
    session.exec("UPDATE \"x.y\".z SET c = 'added'");
    const auto before = nlohmann::json::parse(history_of(session, 1).objects_before);
    CHECK(before.contains("\"x.y\".z"));
    CHECK_FALSE(before.contains("x.\"y.z\""));

    auto report = compensate_and_apply(db, dir, 1);
    CAPTURE(report.to_json());
    CHECK(report.complete());
    bool dropped = false;
    for (const auto& step : report.steps) {
        CHECK(step.sql.find("x.\"y.z\"") == std::string::npos);
        if (step.sql.find("DROP COLUMN c") != std::string::npos) {
            CHECK(step.sql == "ALTER TABLE \"x.y\".z DROP COLUMN c");
            dropped = true;
        }
    }
    CHECK(dropped);
    // The table the migration never touched keeps its column and its value.
    CHECK(value(session, "SELECT c FROM x.\"y.z\" WHERE id = 1") == "keep me");
    CHECK(value(session, "SELECT count(*) FROM information_schema.columns WHERE "
                         "table_schema = 'x.y' AND table_name = 'z' AND column_name = 'c'") == "0");
    CHECK(described_now(session, before) == before);
}

TEST_CASE("workflow::compensate: a 63-byte table name of 2-byte characters gets an archive name "
          "cut at a character boundary")
{
    TestDatabase db;
    std::string name;
    while (name.size() + 2 <= 63) {
        name += "\xc3\xa9"; // é
    }
    REQUIRE(name.size() == 62);
    MigrationDir dir;
    dir.write("0001_create.sql", fmt::format("CREATE TABLE \"{}\" (id int PRIMARY KEY);\n", name));
    dir.write("0002_add.sql", fmt::format("ALTER TABLE \"{}\" ADD COLUMN note text;\n", name));
    dir.seal();
    REQUIRE(apply_dir(db, dir).applied == 2);
    auto session = db.connect();
    session.exec(fmt::format("INSERT INTO \"{}\" VALUES (1, 'n')", name));

    auto report = compensate_and_apply(db, dir, 2);
    CAPTURE(report.to_json());
    CHECK(report.complete());
    std::string archive;
    for (const auto& step : report.steps) {
        if (!step.archive.empty()) {
            archive = step.archive;
        }
    }
    REQUIRE_FALSE(archive.empty());
    // `migsafe_archive."éé...é__0002"`: 57 bytes are left for `name__note`, so 28
    // characters é (56 bytes), then the suffix.
    std::string expected_table;
    for (int i = 0; i < 28; ++i) {
        expected_table += "\xc3\xa9";
    }
    CHECK(archive == "migsafe_archive.\"" + expected_table + "__0002\"");
    CHECK(value(session, "SELECT count(*) FROM " + archive) == "1");
    CHECK_NOTHROW(nlohmann::json::parse(report.to_json()));
}

TEST_CASE("workflow::compensate: a type change with USING, or with no cast back, is manual")
{
    TestDatabase db;
    auto session = db.connect();
    session.exec("CREATE TYPE state AS ENUM ('on', 'off');"
                 "CREATE TABLE flags (id int PRIMARY KEY, active boolean, amount bigint);"
                 "INSERT INTO flags VALUES (1, true, 5), (2, false, 7)");
    MigrationDir dir;
    dir.write("0001_enum.sql", "ALTER TABLE flags ALTER COLUMN active TYPE state USING CASE WHEN "
                               "active THEN 'on'::state ELSE 'off'::state END;\n");
    dir.write("0002_money.sql", "ALTER TABLE flags ALTER COLUMN amount TYPE money;\n");
    dir.seal();
    REQUIRE(apply_dir(db, dir).applied == 2);

    // What the old rule wrote fails on the server: there is no cast back.
    CHECK_THROWS_WITH_AS(session.exec("ALTER TABLE flags ALTER COLUMN active TYPE boolean "
                                      "USING active::boolean"),
                         doctest::Contains("cannot cast type state to boolean"), Error);

    for (std::uint64_t version : {2, 1}) {
        auto report = compensate_dir(db, dir, version);
        CAPTURE(report.to_json());
        REQUIRE(report.steps.size() == 1);
        const auto& step = report.steps[0];
        CHECK(step.safety == compensate::DataSafety::manual);
        CHECK(step.sql.empty());
        CHECK_FALSE(report.complete());
        if (version == 1) {
            CHECK(step.note ==
                  "the migration converted active with a USING expression, which migsafe cannot "
                  "invert: write the way back to boolean by hand (ALTER TABLE public.flags ALTER "
                  "COLUMN active TYPE boolean USING <expression>), or restore the column's values "
                  "from a snapshot");
        } else {
            CHECK(step.note ==
                  "migsafe knows of no cast from money back to bigint: write the way back by "
                  "hand (ALTER TABLE public.flags ALTER COLUMN amount TYPE bigint USING "
                  "<expression>), or restore the column's values from a snapshot");
        }
    }
}
