// trace::trace on a real server: what PostgreSQL reports for the reference statements.
#include "db/trace/trace_helpers.hpp"
#include "support/scoped_env.hpp"
#include "support/test_db.hpp"

#include <migsafe/model/migration_set.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/libpq_environment.hpp>
#include <migsafe/trace/trace.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <vector>

namespace fs = std::filesystem;
namespace plan = migsafe::plan;
namespace trace = migsafe::trace;
using migsafe::test::locked;
using migsafe::test::plan_input_of;
using migsafe::test::took;
using plan::LockMode;

namespace {

constexpr const char* k_schema = "CREATE TABLE items (id int PRIMARY KEY, name text, price int)";

// Traces `sql` (one file) on a fresh database holding `items` (empty: rows are generated).
trace::TraceReport trace_sql(migsafe::test::TestDatabase& db, const std::string& sql)
{
    auto session = db.connect();
    session.exec(k_schema);
    const std::vector inputs{plan_input_of(sql, "0001_test.sql")};
    return trace::trace(inputs, {.conninfo = db.conninfo()});
}

} // namespace

TEST_CASE("trace::trace of CREATE INDEX: ShareLock on the table, a scan, no rewrite")
{
    migsafe::test::TestDatabase db;
    const auto report = trace_sql(db, "CREATE INDEX items_name_idx ON items (name);");
    REQUIRE(report.statements.size() == 1);
    const auto& statement = report.statements[0];
    CHECK(statement.traced);
    CHECK(took(statement, "public.items", LockMode::share));
    CHECK(statement.scans == std::vector<std::string>{"public.items"});
    CHECK(statement.rewrites.empty());
    CHECK_FALSE(locked(statement, "public.items_name_idx")); // new: blocks nobody
    CHECK(report.server_version >= 150000);
}

TEST_CASE("trace::trace of ALTER COLUMN TYPE int to bigint: AccessExclusiveLock and a rewrite")
{
    migsafe::test::TestDatabase db;
    const auto report = trace_sql(db, "ALTER TABLE items ALTER COLUMN price TYPE bigint;");
    REQUIRE(report.statements.size() == 1);
    const auto& statement = report.statements[0];
    CHECK(took(statement, "public.items", LockMode::access_exclusive));
    CHECK(statement.rewrites == std::vector<std::string>{"public.items"});
}

TEST_CASE("trace::trace of ADD COLUMN nullable: AccessExclusiveLock, no rewrite, no scan")
{
    migsafe::test::TestDatabase db;
    const auto report = trace_sql(db, "ALTER TABLE items ADD COLUMN note text;");
    const auto& statement = report.statements.at(0);
    CHECK(took(statement, "public.items", LockMode::access_exclusive));
    CHECK(statement.rewrites.empty());
    CHECK(statement.scans.empty());
    CHECK(report.disagreements.empty());
    CHECK(report.agreed == 1);
}

TEST_CASE("trace::trace of SET NOT NULL: a scan, no rewrite")
{
    migsafe::test::TestDatabase db;
    const auto report = trace_sql(db, "ALTER TABLE items ALTER COLUMN name SET NOT NULL;");
    const auto& statement = report.statements.at(0);
    CHECK(statement.traced);
    CHECK(statement.scans == std::vector<std::string>{"public.items"});
    CHECK(statement.rewrites.empty());
}

TEST_CASE("trace::trace reports no locks on a table created in the same migration")
{
    migsafe::test::TestDatabase db;
    const auto report = trace_sql(db, "CREATE TABLE tags (id int PRIMARY KEY, name text);\n"
                                      "CREATE INDEX tags_name_idx ON tags (name);\n"
                                      "ALTER TABLE tags ADD COLUMN note text;");
    REQUIRE(report.statements.size() == 3);
    for (const auto& statement : report.statements) {
        CAPTURE(statement.sql);
        CHECK(statement.traced);
        CHECK(statement.locks.empty());
        CHECK(statement.scans.empty());
    }
}

TEST_CASE("trace::trace does not run CONCURRENTLY statements")
{
    migsafe::test::TestDatabase db;
    const auto report = trace_sql(db, "-- migsafe:no-transaction\n"
                                      "CREATE INDEX CONCURRENTLY items_name_idx ON items (name);");
    const auto& statement = report.statements.at(0);
    CHECK_FALSE(statement.traced);
    CHECK(statement.reason == "CONCURRENTLY cannot run inside a transaction block");
    CHECK(statement.locks.empty());
    CHECK(report.compared == 0);
}

TEST_CASE("trace::trace records a failing statement and traces the rest")
{
    migsafe::test::TestDatabase db;
    const auto report = trace_sql(db, "ALTER TABLE items ADD COLUMN code text NOT NULL;\n"
                                      "ALTER TABLE items ADD COLUMN note text;");
    REQUIRE(report.statements.size() == 2);
    CHECK_FALSE(report.statements[0].traced);
    CHECK(report.statements[0].reason.find("failed: ") == 0);
    CHECK(report.statements[0].reason.find("contains null values") != std::string::npos);
    CHECK(report.statements[1].traced);
    CHECK(took(report.statements[1], "public.items", LockMode::access_exclusive));
}

TEST_CASE("trace::trace leaves the traced migration rolled back")
{
    migsafe::test::TestDatabase db;
    const auto report = trace_sql(db, "ALTER TABLE items ADD COLUMN note text;\n"
                                      "UPDATE items SET note = 'x';\n"
                                      "CREATE TABLE tags (id int);");
    CHECK(report.statements.size() == 3);
    auto session = db.connect();
    CHECK(session.query_value("SELECT count(*) FROM information_schema.columns "
                              "WHERE table_name = 'items' AND column_name = 'note'") == "0");
    CHECK(session.query_value("SELECT to_regclass('tags')::text") == std::nullopt);
    // Only the generated rows remain (committed before the trace, for the scan counters).
    CHECK(session.query_value("SELECT count(*) FROM items") == "3");
}

TEST_CASE("trace::trace applies earlier files before tracing the next")
{
    migsafe::test::TestDatabase db;
    const std::vector inputs{
        plan_input_of("CREATE TABLE notes (id int PRIMARY KEY, body text);", "0001_notes.sql"),
        plan_input_of("CREATE INDEX notes_body_idx ON notes (body);", "0002_index.sql")};
    const auto report = trace::trace(inputs, {.conninfo = db.conninfo(), .setup_files = 1});
    REQUIRE(report.statements.size() == 1);
    CHECK(report.statements[0].file == "0002_index.sql");
    CHECK(took(report.statements[0], "public.notes", LockMode::share));
    CHECK(report.statements[0].scans == std::vector<std::string>{"public.notes"});
    CHECK(report.disagreements.empty());
}

TEST_CASE("trace::trace throws trace-apply-failed when an earlier file does not apply")
{
    migsafe::test::TestDatabase db;
    const std::vector inputs{plan_input_of("ALTER TABLE missing ADD COLUMN x int;", "0001_bad.sql"),
                             plan_input_of("SELECT 1;", "0002_next.sql")};
    try {
        trace::trace(inputs, {.conninfo = db.conninfo(), .setup_files = 1});
        FAIL("no error");
    } catch (const migsafe::Error& error) {
        CHECK(error.code() == "trace-apply-failed");
        CHECK(error.message() == "cannot apply to the trace's scratch database: relation "
                                 "\"missing\" does not exist");
        CHECK(error.context().file == "0001_bad.sql");
        CHECK(error.context().line == 1);
        CHECK(error.context().sqlstate == "42P01");
    }
}

TEST_CASE("trace::trace of a migration set traces each migration after the earlier ones")
{
    migsafe::test::TestDatabase db;
    const fs::path dir = fs::temp_directory_path() / ("migsafe-trace-set-" + db.name());
    fs::create_directories(dir);
    auto write = [&](const std::string& name, const std::string& sql) {
        std::ofstream(dir / name) << sql;
    };
    write("0001_create_notes.sql", "CREATE TABLE notes (id bigint PRIMARY KEY, body text);\n");
    write("0002_index_notes.sql", "CREATE INDEX notes_body_idx ON notes (body);\n");
    write("0003_index_concurrently.sql",
          "-- migsafe:no-transaction\nCREATE INDEX CONCURRENTLY notes_id_body_idx ON notes (id, "
          "body);\n");
    const auto set = migsafe::model::load_migration_set(dir);
    const auto report = trace::trace(set, {.conninfo = db.conninfo()});
    fs::remove_all(dir);
    REQUIRE(report.statements.size() == 3);
    CHECK(report.statements[0].file == "0001_create_notes.sql");
    CHECK(report.statements[0].locks.empty()); // the table is new in its migration
    CHECK(took(report.statements[1], "public.notes", LockMode::share)); // 0001 was applied
    CHECK_FALSE(report.statements[2].traced);
    CHECK(report.compared == 2);
    CHECK(report.agreed == 2);
    CHECK(report.disagreements.empty());
}

TEST_CASE("trace::trace without a conninfo runs on an ephemeral cluster")
{
    migsafe::test::require_local_postgres();
    const std::vector inputs{
        plan_input_of("CREATE TABLE notes (id int);", "0001_notes.sql"),
        plan_input_of("ALTER TABLE notes ALTER COLUMN id TYPE bigint;", "0002_bigint.sql")};
    const auto report =
        trace::trace(inputs, {.cluster = migsafe::test::cluster_options(), .setup_files = 1});
    REQUIRE(report.statements.size() == 1);
    CHECK(took(report.statements[0], "public.notes", LockMode::access_exclusive));
    CHECK(report.statements[0].rewrites == std::vector<std::string>{"public.notes"});
    CHECK(report.disagreements.empty());
}

TEST_CASE("trace::trace with schema_from starts from the live schema, without its rows, and "
          "never writes to it")
{
    migsafe::test::require_local_postgres();
    migsafe::test::TestDatabase live;
    auto session = live.connect();
    session.exec(k_schema);
    session.exec("CREATE INDEX items_name_idx ON items (name);"
                 "INSERT INTO items SELECT g, 'item ' || g, g FROM generate_series(1, 500) g");
    const std::vector inputs{
        plan_input_of("ALTER TABLE items ALTER COLUMN price TYPE bigint;", "0002_widen.sql")};
    trace::TraceOptions options;
    options.schema_from = live.conninfo();
    options.cluster = migsafe::test::cluster_options();
    const auto report = trace::trace(inputs, options);
    REQUIRE(report.statements.size() == 1);
    const auto& statement = report.statements[0];
    CHECK(statement.traced);
    CHECK(took(statement, "public.items", LockMode::access_exclusive));
    CHECK(statement.rewrites == std::vector<std::string>{"public.items"});
    CHECK(report.disagreements.empty());
    // The live database is as it was: its rows, its column type.
    CHECK(session.query_value("SELECT count(*) FROM items") == "500");
    CHECK(session.query_value("SELECT data_type FROM information_schema.columns WHERE "
                              "table_name = 'items' AND column_name = 'price'") == "integer");
}

TEST_CASE("trace::trace with schema_from of an unreachable database fails before tracing")
{
    migsafe::test::require_local_postgres();
    const std::vector inputs{plan_input_of("SELECT 1;", "0001.sql")};
    trace::TraceOptions options;
    options.schema_from = "host=/nonexistent-socket-dir dbname=nothing user=nobody";
    options.cluster = migsafe::test::cluster_options();
    try {
        trace::trace(inputs, options);
        FAIL("expected process-failed");
    } catch (const migsafe::Error& error) {
        CHECK(error.code() == "process-failed");
        CHECK(error.message().find("pg_dump") != std::string::npos);
    }
}

TEST_CASE("trace::trace with an empty schema_from copies the schema of the database the PG* "
          "variables name (`plan --db \"\" --trace`)")
{
    migsafe::test::require_local_postgres();
    migsafe::test::TestDatabase live;
    live.connect().exec(k_schema);
    // Only the PG* variables say where the database is: no DATABASE_URL, no conninfo.
    std::vector<std::unique_ptr<migsafe::test::ScopedEnv>> env;
    env.push_back(std::make_unique<migsafe::test::ScopedEnv>("DATABASE_URL", std::nullopt));
    for (const auto& [name, value] : migsafe::platform::libpq_environment(live.conninfo())) {
        env.push_back(std::make_unique<migsafe::test::ScopedEnv>(name, value));
    }
    const std::vector inputs{
        plan_input_of("ALTER TABLE items ALTER COLUMN price TYPE bigint;", "0002_widen.sql")};
    trace::TraceOptions options;
    options.schema_from = "";
    options.cluster = migsafe::test::cluster_options();
    const auto report = trace::trace(inputs, options);
    REQUIRE(report.statements.size() == 1);
    CHECK(report.statements[0].traced);
    CHECK(took(report.statements[0], "public.items", LockMode::access_exclusive));
    CHECK(report.disagreements.empty());
}
