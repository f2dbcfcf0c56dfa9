// migsafe apply and migsafe status as processes: concurrent runners, kill -9 and resume,
// exit codes, JSON, and no password in what is printed.
#include "cli_runner.hpp"
#include "support/migration_dir.hpp"
#include "support/test_db.hpp"

#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <signal.h>

#include <atomic>
#include <chrono>
#include <thread>

using migsafe::test::MigrationDir;
using migsafe::test::run_cli;
using migsafe::test::spawn_cli;
using migsafe::test::TestDatabase;
using migsafe::test::wait_cli;
using namespace std::chrono_literals;

namespace {

std::string value(const TestDatabase& db, const std::string& sql)
{
    return db.connect().query_value(sql).value_or("<null>");
}

/// Waits until a backend of `migsafe apply` runs a query containing `fragment`.
bool wait_for_query(const TestDatabase& db, const std::string& fragment)
{
    auto session = db.connect();
    for (int i = 0; i < 200; ++i) {
        auto found = session.query_value(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'migsafe apply' "
            "AND state = 'active' AND position($1 in query) > 0",
            {fragment});
        if (found.value_or("0") != "0") {
            return true;
        }
        std::this_thread::sleep_for(50ms);
    }
    return false;
}

/// Waits until no backend of a killed `migsafe apply` is left (they end once they notice
/// that their client is gone).
void wait_for_backends_gone(const TestDatabase& db)
{
    auto session = db.connect();
    for (int i = 0; i < 200; ++i) {
        if (session
                .query_value("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE "
                             "'migsafe apply%'")
                .value_or("1") == "0") {
            return;
        }
        std::this_thread::sleep_for(50ms);
    }
}

} // namespace

TEST_CASE("migsafe apply: four concurrent processes apply every migration exactly once")
{
    TestDatabase db;
    MigrationDir dir;
    dir.copy_fixture("podiatry"); // 0011 is a CREATE INDEX CONCURRENTLY
    // 0012 waits for its cut-over flag to be fully on for a week (tests/cli/test_gate.cpp).
    std::vector<int> pids;
    for (int i = 0; i < 4; ++i) {
        pids.push_back(spawn_cli(
            {"apply", "--db", db.conninfo(), "--dir", dir.str(), "--no-snapshot", "--to", "11"}));
    }
    for (int pid : pids) {
        CHECK(wait_cli(pid) == 0);
    }
    CHECK(value(db, "SELECT count(*) FROM migsafe.history WHERE status = 'applied'") == "11");
    CHECK(value(db, "SELECT count(DISTINCT run_id) FROM migsafe.history") == "1");
    CHECK(value(db, "SELECT count(*) FROM pg_index WHERE NOT indisvalid") == "0");

    auto status = run_cli({"status", "--db", db.conninfo(), "--dir", dir.str(), "--json"});
    CAPTURE(status.err);
    CHECK(status.exit_code == 0);
    auto report = nlohmann::json::parse(status.out)["report"];
    CHECK(report["counts"]["applied"] == 11);
    CHECK(report["current"] == 11);
}

TEST_CASE("migsafe apply: kill -9 inside a transactional migration leaves nothing of it; a rerun "
          "applies it")
{
    TestDatabase db;
    MigrationDir dir;
    dir.write("0001_t.sql", "CREATE TABLE t (id int);\n");
    dir.write("0002_slow.sql", "INSERT INTO t VALUES (1);\nSELECT pg_sleep(2);\n"
                               "INSERT INTO t VALUES (2);\n");
    dir.seal();
    int pid = spawn_cli({"apply", "--db", db.conninfo(), "--dir", dir.str(), "--no-snapshot"});
    REQUIRE(wait_for_query(db, "pg_sleep"));
    ::kill(pid, SIGKILL);
    CHECK(wait_cli(pid) == 128 + SIGKILL);
    wait_for_backends_gone(db);
    CHECK(value(db, "SELECT count(*) FROM t") == "0");
    CHECK(value(db, "SELECT string_agg(version::text || ':' || status, ',') FROM "
                    "migsafe.history") == "1:applied");

    auto rerun = run_cli({"apply", "--db", db.conninfo(), "--dir", dir.str(), "--no-snapshot"});
    CAPTURE(rerun.err);
    CHECK(rerun.exit_code == 0);
    CHECK(value(db, "SELECT string_agg(id::text, ',' ORDER BY id) FROM t") == "1,2");
}

TEST_CASE("migsafe apply: kill -9 inside a no-transaction file resumes at the right statement")
{
    TestDatabase db;
    db.connect().exec("CREATE TABLE runs (statement int)");
    MigrationDir dir;
    dir.write("0001_steps.sql", "-- migsafe:no-transaction\n"
                                "INSERT INTO runs VALUES (1);\n"
                                "SELECT pg_sleep(2);\n"
                                "INSERT INTO runs VALUES (3);\n");
    dir.seal();
    int pid = spawn_cli({"apply", "--db", db.conninfo(), "--dir", dir.str(), "--no-snapshot"});
    REQUIRE(wait_for_query(db, "pg_sleep"));
    ::kill(pid, SIGKILL);
    CHECK(wait_cli(pid) == 128 + SIGKILL);
    wait_for_backends_gone(db);
    CHECK(value(db, "SELECT status || ' ' || statements_applied FROM migsafe.history") ==
          "partial 1");

    auto status = run_cli({"status", "--db", db.conninfo(), "--dir", dir.str()});
    CHECK(status.exit_code == 1);
    CHECK(status.out.find("partial") != std::string::npos);

    auto rerun =
        run_cli({"apply", "--db", db.conninfo(), "--dir", dir.str(), "--no-snapshot", "--json"});
    CAPTURE(rerun.err);
    CHECK(rerun.exit_code == 0);
    auto report = nlohmann::json::parse(rerun.out)["report"];
    CHECK(report["migrations"][0]["outcome"] == "resumed");
    CHECK(value(db, "SELECT string_agg(statement::text, ',' ORDER BY statement) FROM runs") ==
          "1,3");
    CHECK(value(db, "SELECT status || ' ' || statements_applied FROM migsafe.history") ==
          "applied 3");
}

TEST_CASE("migsafe apply: exit codes say what state the database is in; no password is printed")
{
    TestDatabase db;
    const std::string conninfo = db.conninfo() + " password=hunter2-secret";
    MigrationDir dir;
    dir.write("0001_t.sql", "CREATE TABLE t (id int);\n");
    dir.seal();

    SUBCASE("4: a failed migration was rolled back")
    {
        dir.write("0002_bad.sql", "CREATE TABLE u (id int);\nSELECT * FROM nowhere;\n");
        dir.seal();
        auto result = run_cli({"apply", "--db", conninfo, "--dir", dir.str(), "--no-snapshot"});
        CHECK(result.exit_code == 4);
        CHECK(result.err.find("0002_bad.sql:2") != std::string::npos);
        CHECK(result.err.find("nowhere") != std::string::npos);
        CHECK(result.err.find("hunter2") == std::string::npos);
        CHECK(value(db, "SELECT to_regclass('u') IS NULL") == "t");
    }
    SUBCASE("5: a no-transaction file stopped part-way, with the command that resumes")
    {
        dir.write("0002_steps.sql", "-- migsafe:no-transaction\nCREATE TABLE u (id int);\n"
                                    "SELECT * FROM nowhere;\n");
        dir.seal();
        auto result =
            run_cli({"apply", "--db", conninfo, "--dir", dir.str(), "--no-snapshot", "--json"});
        CHECK(result.exit_code == 5);
        auto document = nlohmann::json::parse(result.out);
        CHECK(document["error"]["code"] == "apply-partial");
        std::string message = document["error"]["message"];
        CHECK(message.find("migsafe apply --db") != std::string::npos);
        CHECK(message.find("--dir " + dir.str()) != std::string::npos);
        CHECK(result.out.find("hunter2") == std::string::npos);
        CHECK(result.err.find("hunter2") == std::string::npos);
    }
    SUBCASE("3: another runner holds the lock")
    {
        auto other = db.connect();
        other.query_value("SELECT pg_advisory_lock(7883946367941764353)");
        auto result = run_cli({"apply", "--db", conninfo, "--dir", dir.str(), "--wait", "200ms"});
        CHECK(result.exit_code == 3);
        CHECK(result.err.find("pid " + std::to_string(other.backend_pid())) != std::string::npos);
    }
    SUBCASE("1: an applied file changed")
    {
        REQUIRE(run_cli({"apply", "--db", conninfo, "--dir", dir.str()}).exit_code == 0);
        dir.write("0001_t.sql", "CREATE TABLE t (id bigint);\n");
        dir.seal();
        auto result = run_cli({"apply", "--db", conninfo, "--dir", dir.str(), "--json"});
        CHECK(result.exit_code == 1);
        auto report = nlohmann::json::parse(result.out)["report"];
        CHECK(report["verdict"] == "fail");
        CHECK(report["problems"][0].get<std::string>().find("0001_t.sql") != std::string::npos);
        auto status = run_cli({"status", "--db", conninfo, "--dir", dir.str(), "--json"});
        CHECK(status.exit_code == 1);
        CHECK(nlohmann::json::parse(status.out)["report"]["counts"]["drifted"] == 1);
    }
    SUBCASE("2: a bad option")
    {
        auto result = run_cli({"apply", "--db", conninfo, "--dir", dir.str(), "--phase", "both"});
        CHECK(result.exit_code == 2);
        CHECK(result.err.find("--phase") != std::string::npos);
    }
    SUBCASE("0: a dry run changes nothing and shows the locks")
    {
        dir.write("0002_add.sql", "ALTER TABLE t ADD COLUMN note text;\n");
        dir.seal();
        REQUIRE(run_cli({"apply", "--db", conninfo, "--dir", dir.str(), "--to", "1"}).exit_code ==
                0);
        auto result = run_cli({"apply", "--db", conninfo, "--dir", dir.str(), "--dry-run"});
        CHECK(result.exit_code == 0);
        CHECK(result.out.find("AccessExclusiveLock on public.t") != std::string::npos);
        CHECK(result.out.find("would-apply") != std::string::npos);
        CHECK(value(db, "SELECT count(*) FROM migsafe.history") == "1");
    }
}

TEST_CASE("migsafe apply: a backfill killed with -9 under concurrent writes resumes without "
          "redoing finished batches")
{
    TestDatabase db;
    db.connect().exec("CREATE TABLE items (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
                      "n int NOT NULL DEFAULT 0, touched int NOT NULL DEFAULT 0);"
                      "INSERT INTO items (id) SELECT g FROM generate_series(1, 20000) g;"
                      "SELECT setval('items_id_seq', 20000);");
    MigrationDir dir;
    dir.write("0001_fill.sql", "-- migsafe:phase backfill\n"
                               "-- migsafe:backfill key=id batch=200 pause=20ms\n"
                               "UPDATE items SET n = n + 1;\n");
    dir.seal();
    // The application keeps inserting rows and updating other columns meanwhile.
    std::atomic<bool> stop{false};
    std::thread writer([&] {
        auto app = db.connect();
        while (!stop) {
            app.exec("INSERT INTO items DEFAULT VALUES");
            app.exec(
                "UPDATE items SET touched = touched + 1 WHERE id = 1 + (random() * 19999)::int");
            std::this_thread::sleep_for(5ms);
        }
    });
    struct StopWriter {
        std::atomic<bool>& stop;
        std::thread& writer;
        ~StopWriter()
        {
            stop = true;
            writer.join();
        }
    } stop_writer{stop, writer};
    const std::vector<std::string> args = {"apply",   "--db",          db.conninfo(),  "--dir",
                                           dir.str(), "--no-snapshot", "--batch-time", "0ms"};
    int pid = spawn_cli(args);
    auto session = db.connect();
    bool some_batches = false;
    for (int i = 0; i < 400 && !some_batches; ++i) {
        try {
            auto done = session.query_value("SELECT (backfill->>'batches_done')::int >= 5 FROM "
                                            "migsafe.history WHERE version = '1'");
            some_batches = done.value_or("f") == "t";
        } catch (const migsafe::Error&) {
            // migsafe.history does not exist yet
        }
        std::this_thread::sleep_for(10ms);
    }
    REQUIRE(some_batches);
    ::kill(pid, SIGKILL);
    CHECK(wait_cli(pid) == 128 + SIGKILL);
    wait_for_backends_gone(db);
    auto killed_at = session.query_value("SELECT backfill->>'rows_done' FROM migsafe.history");
    CHECK(session.query_value("SELECT status FROM migsafe.history") == "partial");
    CHECK(session.query_value("SELECT count(*) FROM items WHERE n = 1") == killed_at);

    auto rerun = run_cli(args);
    CAPTURE(rerun.err);
    CHECK(rerun.exit_code == 0);
    stop = true;
    // Every row that existed when the backfill started was updated exactly once; rows
    // inserted after it (above the fixed upper key) were left to the application.
    auto upper = session.query_value("SELECT backfill->>'upper_key' FROM migsafe.history");
    REQUIRE(upper);
    CHECK(session.query_value("SELECT count(*) FROM items WHERE id <= $1::bigint AND n <> 1",
                              {upper}) == "0");
    CHECK(session.query_value("SELECT count(*) FROM items WHERE id > $1::bigint AND n <> 0",
                              {upper}) == "0");
    CHECK(session.query_value("SELECT count(*) > 0 FROM items WHERE id > $1::bigint", {upper}) ==
          "t");
    CHECK(session.query_value("SELECT status FROM migsafe.history") == "applied");
}

TEST_CASE("migsafe apply: SIGTERM cancels the running statement at once and exits 143")
{
    TestDatabase db;
    MigrationDir dir;
    dir.write("0001_t.sql", "CREATE TABLE t (id int);\nSELECT pg_sleep(60);\n");
    dir.seal();
    int pid = spawn_cli({"apply", "--db", db.conninfo(), "--dir", dir.str(), "--no-snapshot"});
    REQUIRE(wait_for_query(db, "pg_sleep"));
    auto start = std::chrono::steady_clock::now();
    ::kill(pid, SIGTERM);
    CHECK(wait_cli(pid) == 143);
    wait_for_backends_gone(db);
    auto gone_after = std::chrono::steady_clock::now() - start;
    CHECK(gone_after < 5s); // not the 60 s the statement would have run
    CHECK(value(db, "SELECT to_regclass('t') IS NULL") == "t");
    CHECK(value(db, "SELECT count(*) FROM migsafe.history WHERE status = 'applied'") == "0");
}
