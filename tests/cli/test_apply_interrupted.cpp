// migsafe apply stopped by a signal at a chosen statement (SIGKILL while a CREATE INDEX
// CONCURRENTLY waits for an old snapshot; SIGTERM/SIGINT), then status, health and a rerun;
// and the timeouts that must stay bounded.
#include "apply_kill.hpp"
#include "cli_runner.hpp"
#include "support/migration_dir.hpp"
#include "support/test_db.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <signal.h>

#include <filesystem>

using migsafe::test::Doing;
using migsafe::test::MigrationDir;
using migsafe::test::run_cli;
using migsafe::test::SnapshotHolder;
using migsafe::test::spawn_cli;
using migsafe::test::TestDatabase;
using migsafe::test::wait_cli;

namespace {

std::string value(const TestDatabase& db, const std::string& sql)
{
    return db.connect().query_value(sql).value_or("<null>");
}

void make_people(const TestDatabase& db)
{
    db.connect().exec("CREATE TABLE people (id int PRIMARY KEY, email text);"
                      "INSERT INTO people SELECT g, 'p' || g FROM generate_series(1, 2000) g;");
}

const std::string k_index_state =
    "SELECT coalesce((SELECT indisvalid::text FROM pg_index WHERE indexrelid = "
    "to_regclass('people_email_idx')), 'missing')";
const std::string k_invalid_count = "SELECT count(*) FROM pg_index WHERE NOT indisvalid";
const std::string k_history = "SELECT status || ' ' || statements_applied FROM migsafe.history";

/// A temporary folder for the output of a spawned migsafe.
struct Logs {
    std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                ("migsafe-kill-logs-" + std::to_string(::getpid()));
    Logs() { std::filesystem::create_directories(dir); }
    ~Logs()
    {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    std::filesystem::path out() const { return dir / "out"; }
    std::filesystem::path err() const { return dir / "err"; }
};

} // namespace

TEST_CASE("migsafe apply: kill -9 during the first statement of a no-transaction file (a CREATE "
          "INDEX CONCURRENTLY) leaves it partial; status, health and the rerun say so and finish "
          "it")
{
    TestDatabase db;
    make_people(db);
    MigrationDir dir;
    dir.write("0001_index.sql", "-- migsafe:no-transaction\n"
                                "CREATE INDEX CONCURRENTLY people_email_idx ON people (email);\n"
                                "CREATE INDEX CONCURRENTLY people_id_email_idx ON people (id, "
                                "email);\n");
    dir.seal();
    const std::vector<std::string> args = {"-v",    "apply",   "--db",         db.conninfo(),
                                           "--dir", dir.str(), "--no-snapshot"};
    {
        SnapshotHolder reader(db); // the build waits for it after making its INVALID index
        int pid = spawn_cli(args);
        REQUIRE(
            migsafe::test::wait_for_apply_statement(db, "people_email_idx", Doing::waiting_lock));
        ::kill(pid, SIGKILL);
        CHECK(wait_cli(pid) == 128 + SIGKILL);
        // The server notices that its client is gone and stops the build (PostgreSQL 14+,
        // client_connection_check_interval), leaving the INVALID index.
        migsafe::test::wait_for_apply_backends_gone(db);
    }
    CHECK(value(db, k_history) == "partial 0");
    CHECK(value(db, k_index_state) == "false");

    auto status = run_cli({"status", "--db", db.conninfo(), "--dir", dir.str(), "--json"});
    CHECK(status.exit_code == 1);
    auto line = nlohmann::json::parse(status.out)["report"]["migrations"][0];
    CHECK(line["state"] == "partial");
    CHECK(line["statements_applied"] == 0);

    auto health = run_cli({"health", "--db", db.conninfo(), "--json"});
    CAPTURE(health.out);
    CHECK(health.out.find("stopped after 0 of 2 statements") != std::string::npos);
    CHECK(health.out.find("failed and was rolled back") == std::string::npos);

    SUBCASE("the INVALID index it left is dropped and built again")
    {
        auto rerun = run_cli(args);
        CAPTURE(rerun.err);
        CHECK(rerun.exit_code == 0);
        CHECK(rerun.err.find("dropping the INVALID index public.people_email_idx left by the "
                             "interrupted run") != std::string::npos);
        CHECK(value(db, k_index_state) == "true");
        CHECK(value(db, k_invalid_count) == "0");
        CHECK(value(db, k_history) == "applied 2");
    }
    SUBCASE("a valid index it left (its build finished after the kill) is kept, not built again")
    {
        // What a build that outlived its client leaves (PostgreSQL 13, or a build that
        // finished before the server noticed).
        db.connect().exec("DROP INDEX people_email_idx;"
                          "CREATE INDEX people_email_idx ON people (email)");
        const auto oid = value(db, "SELECT 'people_email_idx'::regclass::oid::text");
        auto rerun = run_cli(args);
        CAPTURE(rerun.err);
        CHECK(rerun.exit_code == 0);
        CHECK(rerun.err.find("public.people_email_idx was built by the interrupted run; not "
                             "building it again") != std::string::npos);
        CHECK(value(db, "SELECT 'people_email_idx'::regclass::oid::text") == oid);
        CHECK(value(db, k_history) == "applied 2");
    }
    auto after = run_cli({"status", "--db", db.conninfo(), "--dir", dir.str()});
    CHECK(after.exit_code == 0);
}

TEST_CASE("migsafe apply: a valid index built by a run killed later in the file is recognised "
          "and kept")
{
    TestDatabase db;
    make_people(db);
    MigrationDir dir;
    dir.write("0001_index.sql", "-- migsafe:no-transaction\n"
                                "CREATE TABLE marks (id int);\n"
                                "CREATE INDEX CONCURRENTLY people_email_idx ON people (email);\n");
    dir.seal();
    const std::vector<std::string> args = {"-v",    "apply",   "--db",         db.conninfo(),
                                           "--dir", dir.str(), "--no-snapshot"};
    {
        SnapshotHolder reader(db);
        int pid = spawn_cli(args);
        REQUIRE(
            migsafe::test::wait_for_apply_statement(db, "people_email_idx", Doing::waiting_lock));
        ::kill(pid, SIGKILL);
        CHECK(wait_cli(pid) == 128 + SIGKILL);
        migsafe::test::wait_for_apply_backends_gone(db);
    }
    CHECK(value(db, k_history) == "partial 1");
    // The build finished after the kill, before its progress could be recorded.
    db.connect().exec("DROP INDEX IF EXISTS people_email_idx;"
                      "CREATE INDEX people_email_idx ON people (email)");
    const auto oid = value(db, "SELECT 'people_email_idx'::regclass::oid::text");
    auto rerun = run_cli(args);
    CAPTURE(rerun.err);
    CHECK(rerun.exit_code == 0);
    CHECK(rerun.err.find("public.people_email_idx was built by the interrupted run") !=
          std::string::npos);
    CHECK(value(db, "SELECT 'people_email_idx'::regclass::oid::text") == oid);
    CHECK(value(db, k_history) == "applied 2");
}

TEST_CASE("migsafe apply: SIGTERM during a CONCURRENTLY build records the failure, drops the "
          "INVALID index, says what is unfinished and how to resume, then exits 143")
{
    TestDatabase db;
    make_people(db);
    MigrationDir dir;
    dir.write("0001_index.sql", "-- migsafe:no-transaction\n"
                                "CREATE TABLE marks (id int);\n"
                                "CREATE INDEX CONCURRENTLY people_email_idx ON people (email);\n"
                                "INSERT INTO marks VALUES (3);\n");
    dir.seal();
    Logs logs;
    const std::vector<std::string> args = {"apply", "--db",    db.conninfo(),
                                           "--dir", dir.str(), "--no-snapshot"};
    SnapshotHolder reader(db);
    int pid = migsafe::test::spawn_cli_logged(args, logs.out(), logs.err());
    REQUIRE(migsafe::test::wait_for_apply_statement(db, "people_email_idx", Doing::waiting_lock));
    ::kill(pid, SIGTERM);
    CHECK(wait_cli(pid) == 143);
    const auto err = migsafe::test::file_text(logs.err());
    CAPTURE(err);
    CHECK(err.find("migsafe: error: 0001_index.sql:3:1: statement 2 of 3 failed: interrupted by "
                   "SIGTERM (canceling statement due to user request); 1 of 3 statements of "
                   "0001_index.sql are applied") != std::string::npos);
    CHECK(err.find("run `migsafe apply --db") != std::string::npos);
    CHECK(err.find("[apply-partial]") != std::string::npos);
    // Its own INVALID index is gone: dropped by the run, not by a process left behind.
    CHECK(value(db, k_invalid_count) == "0");
    CHECK(value(db, k_index_state) == "missing");
    CHECK(value(db, "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE "
                    "'migsafe apply%'") == "0");
    CHECK(value(db, k_history) == "partial 1");
    CHECK(value(db, "SELECT position('interrupted by SIGTERM' in error) > 0 FROM "
                    "migsafe.history") == "t");
    auto status = run_cli({"status", "--db", db.conninfo(), "--dir", dir.str()});
    CHECK(status.exit_code == 1);

    reader.release();
    auto rerun = run_cli(args);
    CAPTURE(rerun.err);
    CHECK(rerun.exit_code == 0);
    CHECK(value(db, k_index_state) == "true");
    CHECK(value(db, "SELECT string_agg(id::text, ',') FROM marks") == "3");
    CHECK(value(db, k_history) == "applied 3");
}

TEST_CASE("migsafe apply: SIGTERM or SIGINT in a transactional migration rolls it back, records "
          "the failure and says so, then exits 143 or 130")
{
    TestDatabase db;
    MigrationDir dir;
    dir.write("0001_t.sql", "CREATE TABLE t (id int);\n");
    dir.write("0002_slow.sql", "CREATE TABLE u (id int);\nSELECT pg_sleep(60);\n");
    dir.seal();
    int signal = SIGTERM;
    SUBCASE("SIGTERM")
    {
        signal = SIGTERM;
    }
    SUBCASE("SIGINT")
    {
        signal = SIGINT;
    }
    CAPTURE(signal);
    Logs logs;
    int pid = migsafe::test::spawn_cli_logged(
        {"apply", "--db", db.conninfo(), "--dir", dir.str(), "--no-snapshot"}, logs.out(),
        logs.err());
    REQUIRE(migsafe::test::wait_for_apply_statement(db, "pg_sleep", Doing::running));
    ::kill(pid, signal);
    CHECK(wait_cli(pid) == 128 + signal);
    const auto err = migsafe::test::file_text(logs.err());
    CAPTURE(err);
    const std::string name = signal == SIGTERM ? "SIGTERM" : "SIGINT";
    CHECK(err.find("0002_slow.sql:2:1: interrupted by " + name +
                   " (canceling statement due to user request); the migration was rolled back "
                   "(the database is as before it) [apply-migration-failed]") != std::string::npos);
    CHECK(err.find("statement-timeout") == std::string::npos); // not the cancel's hint
    CHECK(value(db, "SELECT to_regclass('u') IS NULL") == "t");
    CHECK(value(db, "SELECT string_agg(version || ' ' || status, ',' ORDER BY version) FROM "
                    "migsafe.history") == "1 applied,2 failed");
}

TEST_CASE("migsafe apply: an empty or zero timeout where a bound is the point is a usage error")
{
    TestDatabase db;
    MigrationDir dir;
    dir.write("0001_t.sql", "CREATE TABLE t (id int);\n");
    dir.seal();
    struct Case {
        std::string command;
        std::string option;
        std::string value;
    };
    for (const auto& c : std::vector<Case>{{"apply", "--lock-timeout", ""},
                                           {"apply", "--lock-timeout", "0"},
                                           {"apply", "--lock-timeout", "0ms"},
                                           {"apply", "--wait", ""},
                                           {"apply", "--wait", "0s"},
                                           {"apply", "--concurrently-timeout", ""},
                                           {"apply", "--concurrently-timeout", "0m"},
                                           {"compensate", "--lock-timeout", ""},
                                           {"compensate", "--concurrently-timeout", "0"}}) {
        CAPTURE(c.command);
        CAPTURE(c.option);
        CAPTURE(c.value);
        std::vector<std::string> args = {c.command, "--db",   db.conninfo(), "--dir",
                                         dir.str(), c.option, c.value};
        if (c.command == "compensate") {
            args.push_back("1");
        }
        auto result = run_cli(args);
        CHECK(result.exit_code == 2);
        CHECK(result.err.rfind("migsafe: error: " + c.option + ": ", 0) == 0);
        CHECK(result.err.find("would mean no bound at all") != std::string::npos);
        CHECK(result.err.find("[usage-invalid-option]") != std::string::npos);
    }
    CHECK(value(db, "SELECT to_regclass('migsafe.history') IS NULL") == "t");
    // A positive one is taken; a statement timeout of 0 still means none.
    auto fine = run_cli({"apply", "--db", db.conninfo(), "--dir", dir.str(), "--lock-timeout", "1s",
                         "--statement-timeout", "0"});
    CAPTURE(fine.err);
    CHECK(fine.exit_code == 0);
}
