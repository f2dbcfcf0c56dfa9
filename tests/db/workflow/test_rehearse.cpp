// workflow::rehearse against a real server: the shop fixture (golang-migrate layout, with
// down files) rehearsed on a scratch database of the test cluster, with the defects the
// issue names planted one at a time: a down that drops a constraint under another name,
// a lossy down, a down that does not parse, an up that fails, a dirty or deployed
// scratch database. Nothing the rehearsal made may stay on the server.
#include "platform/catalog/rehearse_queries.hpp"
#include "support/migration_dir.hpp"
#include "support/shell.hpp"
#include "support/test_db.hpp"

#include <migsafe/model/migration_set.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/session.hpp>
#include <migsafe/workflow/apply.hpp>
#include <migsafe/workflow/rehearse.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

using migsafe::Error;
using migsafe::test::MigrationDir;
using migsafe::test::TestDatabase;
using namespace migsafe;
using namespace std::chrono_literals;
using workflow::StepStatus;

namespace {

workflow::RehearseReport rehearse_dir(const TestDatabase& db, const MigrationDir& dir,
                                      workflow::RehearseOptions options = {})
{
    options.conninfo = db.conninfo();
    options.scratch_confirmed = true; // the test template holds a table of its own
    options.rows = options.rows == 100 ? 40 : options.rows;
    return workflow::rehearse(model::load_migration_set(dir.path()), options);
}

const workflow::MigrationRehearsal& migration(const workflow::RehearseReport& report,
                                              const std::string& version)
{
    const auto wanted = model::Version::parse(version);
    for (const auto& m : report.migrations) {
        if (m.version == *wanted) {
            return m;
        }
    }
    FAIL("no migration " << version << " in the report");
    throw std::logic_error("unreachable");
}

bool mentions(const std::vector<std::string>& lines, const std::string& text)
{
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& line) {
        return line.find(text) != std::string::npos;
    });
}

/// `xmllint --noout --schema tests/schemas/junit-10.xsd` of `xml`. xmllint (libxml2-utils)
/// is installed by scripts/install-deps.sh.
test::ShellResult validate_junit(const std::string& xml)
{
    const auto path = std::filesystem::temp_directory_path() /
                      ("migsafe-rehearse-junit-" + std::to_string(::getpid()) + ".xml");
    std::ofstream(path, std::ios::binary) << xml;
    auto result = test::run_shell(std::string("xmllint --noout --schema '") + MIGSAFE_SOURCE_DIR +
                                  "/tests/schemas/junit-10.xsd' '" + path.string() + "' 2>&1");
    std::filesystem::remove(path);
    return result;
}

/// Applies `set` up to `version` to `db`, as a deployed database has it.
void apply_to(const TestDatabase& db, const model::MigrationSet& set, const std::string& version)
{
    workflow::ApplyOptions options;
    options.to = model::Version::parse(version);
    options.snapshot = workflow::SnapshotPolicy::skip;
    workflow::apply(db.conninfo(), set, options);
}

/// The databases of rehearsals still on the server.
std::vector<std::string> leftovers()
{
    auto session = platform::Session::connect(test::server_conninfo());
    return platform::catalog::databases_named(session, "migsafe_rehearse_");
}

} // namespace

TEST_CASE("rehearse: a correct set passes every step, and nothing stays on the server")
{
    TestDatabase db;
    MigrationDir dir;
    dir.copy_fixture("rehearse/shop");
    const auto report = rehearse_dir(db, dir);

    REQUIRE(report.migrations.size() == 7);
    CHECK(report.stopped.empty());
    for (const auto& m : report.migrations) {
        INFO(m.file);
        CHECK(m.up.status == StepStatus::ok);
        CHECK(m.redo.status == StepStatus::ok);
        CHECK(m.down.differences.empty());
        CHECK(m.compensation.differences.empty());
    }
    // The fee column's down drops data, and says so with an allow directive.
    const auto& fee = migration(report, "7");
    CHECK(fee.down.status == StepStatus::lossy);
    REQUIRE(fee.down.losses.size() == 1);
    CHECK(fee.down.losses[0].table == "public.orders");
    CHECK(fee.down.losses[0].column == "fee");
    CHECK(fee.down.losses[0].rows == 40);
    CHECK(fee.down.losses[0].declared);
    // The compensation of the same migration keeps the column's values aside.
    CHECK(fee.compensation.status == StepStatus::lossy);
    REQUIRE(fee.compensation.losses.size() == 1);
    CHECK(fee.compensation.losses[0].archive.find("orders__fee__") != std::string::npos);
    for (const auto& version : {"1", "2", "4", "5"}) {
        CHECK(migration(report, version).down.status == StepStatus::ok);
        CHECK(migration(report, version).compensation.status == StepStatus::ok);
    }
    // Transactional migrations show the locks they held before their commit.
    const auto& check = migration(report, "5");
    REQUIRE_FALSE(check.locks.empty());
    CHECK(check.locks[0].table == "public.orders");
    CHECK(check.locks[0].mode == "AccessExclusiveLock");
    CHECK(check.locks[0].source == "observed");
    CHECK(check.interrupt == StepStatus::not_applicable);

    CHECK_FALSE(report.failed());
    auto strict = report;
    strict.fail_on = workflow::FailOn::lossy;
    CHECK(strict.failed());
    CHECK(leftovers().empty());
}

TEST_CASE("rehearse: a no-transaction file and a backfill are interrupted at every boundary")
{
    TestDatabase db;
    MigrationDir dir;
    dir.copy_fixture("rehearse/shop");
    const auto report = rehearse_dir(db, dir);

    const auto& indexes = migration(report, "3");
    CHECK_FALSE(indexes.transactional);
    CHECK(indexes.interrupt == StepStatus::ok);
    REQUIRE(indexes.interruptions.size() == 2);
    CHECK(indexes.interruptions[0].boundary == 1);
    CHECK(indexes.interruptions[0].after.find("statement 1 of 2") != std::string::npos);
    CHECK(indexes.interruptions[1].boundary == 2);
    for (const auto& point : indexes.interruptions) {
        CHECK(point.resume.status == StepStatus::ok);
        CHECK(point.rollback.status == StepStatus::ok);
    }
    // 40 rows in batches of 25: two batches, each a boundary.
    const auto& backfill = migration(report, "6");
    CHECK(backfill.backfill);
    CHECK(backfill.interrupt == StepStatus::ok);
    REQUIRE(backfill.interruptions.size() == 2);
    CHECK(backfill.interruptions[0].after == "batch 1");
    for (const auto& point : backfill.interruptions) {
        INFO(point.after);
        CHECK(point.resume.status == StepStatus::ok);
        CHECK(point.resume.differences.empty());
        CHECK(point.rollback.status == StepStatus::ok);
    }
}

TEST_CASE("rehearse: the 3rd-newest down drops the constraint under another name")
{
    TestDatabase db;
    MigrationDir dir;
    dir.copy_fixture("rehearse/shop");
    dir.write("0005_orders_status_check.down.sql",
              "ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_status_chk;\n");
    dir.seal();
    const auto report = rehearse_dir(db, dir);

    REQUIRE(report.migrations.size() == 7); // the rehearsal goes on past it
    const auto& bad = migration(report, "5");
    CHECK(bad.down.status == StepStatus::failed);
    CHECK(bad.down.file == "0005_orders_status_check.down.sql");
    CHECK(mentions(bad.down.differences, "orders_status_check"));
    CHECK(bad.redo.status == StepStatus::skipped);
    // The migrations after it are rehearsed on a rebuilt working database.
    CHECK(migration(report, "6").down.status == StepStatus::ok);
    CHECK(migration(report, "7").redo.status == StepStatus::ok);
    CHECK(report.failed());
    const auto text = report.to_text();
    CHECK(text.find("orders_status_check") != std::string::npos);
    CHECK(leftovers().empty());
}

TEST_CASE("rehearse: a down that drops a column the up added and filled is lossy, named")
{
    TestDatabase db;
    MigrationDir dir;
    dir.copy_fixture("rehearse/shop");
    dir.write("0008_customers_tier.up.sql", "ALTER TABLE customers ADD COLUMN tier text;\n"
                                            "UPDATE customers SET tier = 'gold';\n");
    dir.write("0008_customers_tier.down.sql", "ALTER TABLE customers DROP COLUMN tier;\n");
    dir.seal();
    const auto report = rehearse_dir(db, dir, {.interrupt = false});

    const auto& tier = migration(report, "8");
    CHECK(tier.down.status == StepStatus::lossy);
    CHECK(tier.down.differences.empty());
    REQUIRE(tier.down.losses.size() == 1);
    CHECK(tier.down.losses[0].table == "public.customers");
    CHECK(tier.down.losses[0].column == "tier");
    CHECK(tier.down.losses[0].rows == 40);
    CHECK(tier.down.losses[0].archive.empty());
    CHECK_FALSE(tier.down.losses[0].declared);
    CHECK(tier.down.losses[0].describe().find("tier") != std::string::npos);
    // Side by side: the compensation keeps what the down file loses.
    CHECK(tier.compensation.status == StepStatus::lossy);
    REQUIRE(tier.compensation.losses.size() == 1);
    CHECK_FALSE(tier.compensation.losses[0].archive.empty());
    // A loss the down file does not declare fails the rehearsal.
    CHECK(report.failed());
}

TEST_CASE("rehearse: a down file that does not parse fails its step, named")
{
    TestDatabase db;
    MigrationDir dir;
    dir.copy_fixture("rehearse/shop");
    dir.write("0007_orders_fee.down.sql", "ALTER TABLEE orders DROP COLUMN fee;\n");
    dir.seal();
    const auto report = rehearse_dir(db, dir, {.compensation = false, .interrupt = false});

    const auto& fee = migration(report, "7");
    CHECK(fee.up.status == StepStatus::ok);
    CHECK(fee.down.status == StepStatus::failed);
    CHECK(fee.down.error.find("0007_orders_fee.down.sql:1") != std::string::npos);
    CHECK(fee.down.error.find("does not parse") != std::string::npos);
    CHECK(fee.redo.status == StepStatus::skipped);
    CHECK(fee.compensation.status == StepStatus::skipped);
    CHECK(report.failed());
}

TEST_CASE("rehearse: an up that fails stops the rehearsal there, with its line")
{
    TestDatabase db;
    MigrationDir dir;
    dir.copy_fixture("rehearse/shop");
    dir.write("0005_orders_status_check.up.sql",
              "ALTER TABLE orders ADD CONSTRAINT orders_status_check\n"
              "    CHECK (status IN ('paid', 'shipped'));\n");
    dir.seal();
    const auto report = rehearse_dir(db, dir, {.interrupt = false});

    REQUIRE(report.migrations.size() == 5);
    const auto& bad = migration(report, "5");
    CHECK(bad.up.status == StepStatus::failed);
    CHECK(bad.up.error_line == 1);
    CHECK(bad.up.error.find("violated") != std::string::npos);
    CHECK(bad.down.status == StepStatus::skipped);
    CHECK(report.stopped.find("0005_orders_status_check.up.sql:1") != std::string::npos);
    CHECK(report.failed());
    CHECK(leftovers().empty());
}

TEST_CASE("rehearse: a database with a history or tables is refused; a dirty one always")
{
    TestDatabase db;
    MigrationDir dir;
    dir.copy_fixture("rehearse/shop");
    auto set = model::load_migration_set(dir.path());
    apply_to(db, set, "2");

    try {
        workflow::rehearse(set, {.conninfo = db.conninfo()});
        FAIL("a database holding migrations was rehearsed on");
    } catch (const Error& error) {
        CHECK(error.code() == "rehearse-not-scratch");
        CHECK(error.message().find("2 applied migration(s)") != std::string::npos);
        CHECK(exit_code_for(error.category()) == 2);
    }
    // Confirmed: its content is the start state, and what it has applied is not rehearsed.
    const auto report = workflow::rehearse(
        set, {.conninfo = db.conninfo(), .scratch_confirmed = true, .interrupt = false});
    REQUIRE_FALSE(report.migrations.empty());
    CHECK(report.migrations.front().version == *model::Version::parse("3"));
    CHECK(report.start.find("2 migration(s) before 3 applied") != std::string::npos);

    auto session = db.connect();
    session.exec("UPDATE migsafe.history SET status = 'failed' WHERE version = '2'");
    try {
        workflow::rehearse(set, {.conninfo = db.conninfo(), .scratch_confirmed = true});
        FAIL("a dirty scratch database was rehearsed on");
    } catch (const Error& error) {
        CHECK(error.code() == "rehearse-dirty");
        CHECK(error.message().find("status failed") != std::string::npos);
    }
    CHECK(leftovers().empty());
}

TEST_CASE("rehearse: --from starts after the earlier migrations; an unknown version is refused")
{
    TestDatabase db;
    MigrationDir dir;
    dir.copy_fixture("rehearse/shop");
    const auto from = model::Version::parse("6");
    const auto report = rehearse_dir(db, dir, {.from = from, .interrupt = false});
    REQUIRE(report.migrations.size() == 2);
    CHECK(report.from == "6");
    CHECK(report.start.find("5 migration(s) before 6 applied") != std::string::npos);
    CHECK(report.start.find("40 generated rows") != std::string::npos);

    try {
        rehearse_dir(db, dir, {.from = model::Version::parse("99")});
        FAIL("an unknown --from was accepted");
    } catch (const Error& error) {
        CHECK(error.code() == "rehearse-unknown-version");
    }
}

TEST_CASE("rehearse: a column renamed back is not a loss; a validation kept is only a note")
{
    TestDatabase db;
    MigrationDir dir;
    dir.copy_fixture("rehearse/shop");
    dir.write("0008_rename_total.up.sql", "ALTER TABLE orders RENAME COLUMN total TO amount;\n");
    dir.write("0008_rename_total.down.sql", "ALTER TABLE orders RENAME COLUMN amount TO total;\n");
    dir.write("0009_orders_total_positive.up.sql",
              "ALTER TABLE orders ADD CONSTRAINT orders_amount_positive CHECK (amount >= 0) "
              "NOT VALID;\n");
    dir.write("0009_orders_total_positive.down.sql",
              "ALTER TABLE orders DROP CONSTRAINT orders_amount_positive;\n");
    dir.write("0010_validate_total_positive.up.sql",
              "ALTER TABLE orders VALIDATE CONSTRAINT orders_amount_positive;\n");
    dir.write("0010_validate_total_positive.down.sql",
              "ALTER TABLE orders DROP CONSTRAINT orders_amount_positive;\n"
              "ALTER TABLE orders ADD CONSTRAINT orders_amount_positive CHECK (amount >= 0) "
              "NOT VALID;\n");
    dir.seal();
    const auto from = model::Version::parse("8");
    const auto report = rehearse_dir(db, dir, {.from = from, .interrupt = false});
    REQUIRE(report.migrations.size() == 3);

    const auto& rename = migration(report, "8");
    CHECK(rename.down.status == StepStatus::ok);
    CHECK(rename.down.losses.empty());
    CHECK(rename.compensation.status == StepStatus::ok);
    CHECK(rename.compensation.losses.empty());

    const auto& validate = migration(report, "10");
    CHECK(validate.down.status == StepStatus::ok);
    // The compensation cannot mark the constraint NOT VALID again: stricter, not broken.
    CHECK(validate.compensation.status == StepStatus::ok);
    CHECK(mentions(validate.compensation.notes, "stricter than before"));
    CHECK_FALSE(report.failed());
}

TEST_CASE("rehearse: --schema-from starts from a live schema, read only; --data loads rows")
{
    TestDatabase source;
    TestDatabase scratch;
    MigrationDir dir;
    dir.copy_fixture("rehearse/shop");
    auto set = model::load_migration_set(dir.path());
    apply_to(source, set, "4");

    MigrationDir data;
    data.write("rows.sql", "INSERT INTO customers (email) SELECT 'c' || i || '@example.org' "
                           "FROM generate_series(1, 30) AS i;\n");
    const auto report = workflow::rehearse(set, {.conninfo = scratch.conninfo(),
                                                 .from = model::Version::parse("5"),
                                                 .schema_from = source.conninfo(),
                                                 .data_file = data.path() / "rows.sql",
                                                 .scratch_confirmed = true,
                                                 .interrupt = false});
    REQUIRE(report.migrations.size() == 3);
    CHECK(report.start.find("the schema of") != std::string::npos);
    CHECK(report.start.find("rows.sql") != std::string::npos);
    // The backfill filled the 30 rows the data file loaded; its down emptied the column.
    const auto& backfill = migration(report, "6");
    CHECK(backfill.up.status == StepStatus::ok);
    CHECK(backfill.down.status == StepStatus::ok);
    CHECK_FALSE(report.failed());
    // The source was only read.
    auto session = source.connect();
    CHECK(session.query_value("SELECT count(*) FROM migsafe.history").value_or("") == "4");
    CHECK(session.query_value("SELECT count(*) FROM customers").value_or("") == "0");

    data.write("bad.sql", "INSERT INTO nowhere VALUES (1);\n");
    try {
        workflow::rehearse(set, {.conninfo = scratch.conninfo(),
                                 .from = model::Version::parse("5"),
                                 .schema_from = source.conninfo(),
                                 .data_file = data.path() / "bad.sql",
                                 .scratch_confirmed = true});
        FAIL("a data file that does not load was accepted");
    } catch (const Error& error) {
        CHECK(error.code() == "rehearse-data-failed");
        CHECK(error.message().find("bad.sql") != std::string::npos);
        CHECK(error.message().find("nowhere") != std::string::npos);
    }
    CHECK(leftovers().empty());
}

TEST_CASE("rehearse: the JUnit XML of a real rehearsal validates, whatever the error says")
{
    TestDatabase db;
    MigrationDir dir;
    dir.copy_fixture("rehearse/shop");
    // PostgreSQL's message carries markup characters and a control byte into the report.
    dir.write("0008_bad_message.up.sql",
              "DO $$ BEGIN RAISE EXCEPTION 'bad <tag> & \"quote\" %', chr(1); END $$;\n");
    dir.write("0008_bad_message.down.sql", "SELECT 1;\n");
    dir.seal();
    const auto report = rehearse_dir(db, dir, {.interrupt = false});
    REQUIRE(report.migrations.size() == 8);
    CHECK(report.migrations.back().up.error.find("<tag>") != std::string::npos);
    const auto xml = report.to_junit();
    CHECK(xml.find("<tag>") == std::string::npos); // escaped
    const auto validation = validate_junit(xml);
    CAPTURE(validation.output);
    CHECK(validation.status == 0);
    CHECK(xml.find("<failure") != std::string::npos);
}

TEST_CASE("rehearse: syntax of a newer server in a later file stops the rehearsal at that file")
{
    TestDatabase db;
    MigrationDir dir;
    dir.copy_fixture("rehearse/shop");
    // PostgreSQL 18's named NOT NULL constraint: PostgreSQL 15 rejects it when it runs.
    dir.write("0008_orders_total_named_not_null.up.sql",
              "ALTER TABLE orders ADD CONSTRAINT orders_total_nn NOT NULL total;\n");
    dir.write("0008_orders_total_named_not_null.down.sql",
              "ALTER TABLE orders DROP CONSTRAINT orders_total_nn;\n");
    dir.seal();
    const auto report = rehearse_dir(db, dir, {.compensation = false, .interrupt = false});
    // The seven before it are rehearsed: a file after `--to` is not judged by their runs.
    REQUIRE(report.migrations.size() == 8);
    CHECK(migration(report, "7").redo.status == StepStatus::ok);
    const auto& newer = migration(report, "8");
    CHECK(newer.up.status == StepStatus::failed);
    CHECK(newer.up.file == "0008_orders_total_named_not_null.up.sql");
    CHECK(newer.up.error_line == 1);
    CHECK(report.stopped.find("0008_orders_total_named_not_null.up.sql:1") != std::string::npos);
}

TEST_CASE("rehearse: a materialized view and CREATE TABLE AS are compensated (no internal error)")
{
    TestDatabase db;
    MigrationDir dir;
    dir.copy_fixture("rehearse/shop");
    dir.write("0008_order_totals.up.sql",
              "CREATE MATERIALIZED VIEW order_totals AS\n"
              "SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id;\n"
              "CREATE UNIQUE INDEX order_totals_customer_key ON order_totals (customer_id);\n");
    dir.write("0008_order_totals.down.sql", "DROP MATERIALIZED VIEW order_totals;\n");
    dir.write("0009_orders_archive.up.sql",
              "CREATE TABLE orders_archive AS SELECT * FROM orders WHERE status = 'shipped';\n");
    dir.write("0009_orders_archive.down.sql", "DROP TABLE orders_archive;\n");
    dir.seal();
    const auto report =
        rehearse_dir(db, dir, {.from = model::Version::parse("8"), .interrupt = false});
    REQUIRE(report.migrations.size() == 2);
    const auto& view = migration(report, "8");
    CAPTURE(view.compensation.error);
    CHECK(view.compensation.status == StepStatus::ok);
    CHECK(view.down.status == StepStatus::ok);
    const auto& copy = migration(report, "9");
    CAPTURE(copy.compensation.error);
    CHECK(copy.compensation.status != StepStatus::failed);
    CHECK(copy.compensation.error.empty());
}

TEST_CASE("rehearse: an index of a partitioned table is compensated without CONCURRENTLY")
{
    TestDatabase db;
    MigrationDir dir;
    dir.write("0001_events.up.sql",
              "CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, actor bigint)\n"
              "    PARTITION BY RANGE (at);\n"
              "CREATE TABLE events_2024 PARTITION OF events\n"
              "    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n");
    dir.write("0001_events.down.sql", "DROP TABLE events;\n");
    dir.write("0002_events_actor.up.sql", "CREATE INDEX events_actor_idx ON events (actor);\n");
    dir.write("0002_events_actor.down.sql", "DROP INDEX events_actor_idx;\n");
    dir.seal();
    const auto report = rehearse_dir(db, dir, {.rows = 0, .interrupt = false});
    REQUIRE(report.migrations.size() == 2);
    const auto& index = migration(report, "2");
    CAPTURE(index.compensation.error);
    CHECK(index.compensation.status == StepStatus::ok);
    CHECK(index.down.status == StepStatus::ok);
    CHECK_FALSE(report.failed());
}
