// Kill-anywhere: a migration set with transactional, no-transaction (CREATE INDEX
// CONCURRENTLY) and batched backfill migrations is applied by the real `migsafe` binary,
// stopped by SIGKILL (or SIGTERM) at each statement boundary and inside each statement,
// rerun to completion, and compared with an uninterrupted run: the catalog with index
// validity, every table's rows (migsafe verify --against), the history, and a clean status.
//
// The short form runs in the suite. The long form (tests/kill-anywhere.sh sets
// MIGSAFE_KILL_ANYWHERE_SECONDS) kills at random moments, reruns are killed too, for as long
// as asked; MIGSAFE_TEST_SEED replays a sequence.
#include "apply_kill.hpp"
#include "cli_runner.hpp"
#include "support/migration_dir.hpp"
#include "support/test_db.hpp"

#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <thread>

using migsafe::test::Doing;
using migsafe::test::MigrationDir;
using migsafe::test::run_cli;
using migsafe::test::SnapshotHolder;
using migsafe::test::spawn_cli;
using migsafe::test::TestDatabase;
using migsafe::test::wait_cli;
using namespace std::chrono_literals;

namespace {

void write_set(MigrationDir& dir)
{
    dir.write("0001_accounts.sql",
              "CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, balance int NOT "
              "NULL DEFAULT 0, legacy text);\n"
              "INSERT INTO accounts SELECT g, 'user' || g || '@example.com', g % 100, 'x' FROM "
              "generate_series(1, 4000) g;\n"
              "SELECT pg_sleep(0.31);\n"
              "CREATE VIEW rich_accounts AS SELECT id, email FROM accounts WHERE balance > 90;\n");
    dir.write("0002_indexes.sql",
              "-- migsafe:no-transaction\n"
              "CREATE INDEX CONCURRENTLY accounts_email_idx ON accounts (email);\n"
              "SELECT pg_sleep(0.32);\n"
              "CREATE INDEX CONCURRENTLY accounts_balance_idx ON accounts (balance);\n");
    dir.write("0003_tier.sql", "ALTER TABLE accounts ADD COLUMN tier text;\n");
    dir.write("0004_fill_tier.sql",
              "-- migsafe:phase backfill\n"
              "-- migsafe:backfill key=id batch=200 pause=20ms\n"
              "UPDATE accounts SET tier = CASE WHEN balance >= 50 THEN 'gold' ELSE 'basic' END;\n");
    dir.write("0005_contract.sql", "ALTER TABLE accounts DROP COLUMN legacy;\n"
                                   "SELECT pg_sleep(0.33);\n"
                                   "DROP VIEW rich_accounts;\n");
    dir.seal();
}

std::vector<std::string> apply_args(const TestDatabase& db, const MigrationDir& dir)
{
    return {"apply",   "--db",          db.conninfo(),  "--dir",
            dir.str(), "--no-snapshot", "--batch-time", "20ms"};
}

/// Runs apply until status is clean (a contract held by the same-run rule needs a second
/// run once its table existed before the run). Returns the runs it took, 0 on failure.
int finish(const TestDatabase& db, const MigrationDir& dir, std::string& log)
{
    for (int run = 1; run <= 4; ++run) {
        auto result = run_cli(apply_args(db, dir));
        log += fmt::format("rerun {}: exit {}\n{}", run, result.exit_code, result.err);
        if (result.exit_code != 0) {
            continue; // e.g. a lock of the killed run still held: try again
        }
        auto status = run_cli({"status", "--db", db.conninfo(), "--dir", dir.str(), "--json"});
        if (status.exit_code == 0 &&
            nlohmann::json::parse(status.out)["report"]["counts"]["pending"] == 0) {
            return run;
        }
    }
    return 0;
}

/// Compares `db` with `reference`; returns the differences ("" when equal).
std::string differences(const TestDatabase& reference, const TestDatabase& db,
                        const MigrationDir& dir)
{
    std::string out;
    auto catalog = migsafe::test::catalog_fingerprint(db);
    auto expected_catalog = migsafe::test::catalog_fingerprint(reference);
    if (catalog != expected_catalog) {
        out += "catalog:\n" + catalog + "\nexpected:\n" + expected_catalog + "\n";
    }
    auto history = migsafe::test::history_fingerprint(db);
    auto expected_history = migsafe::test::history_fingerprint(reference);
    if (history != expected_history) {
        out += "history:\n" + history + "\nexpected:\n" + expected_history + "\n";
    }
    auto data = run_cli({"verify", "--db", reference.conninfo(), "--against", db.conninfo(),
                         "--exclude", "migsafe.*"});
    if (data.exit_code != 0) {
        out += fmt::format("verify --against: exit {}\n{}{}", data.exit_code, data.out, data.err);
    }
    auto status = run_cli({"status", "--db", db.conninfo(), "--dir", dir.str()});
    if (status.exit_code != 0) {
        out += "status:\n" + status.out;
    }
    return out;
}

/// Where to stop the first run, and how.
struct KillPoint {
    std::string name;
    int signal = SIGKILL;
    /// Applied first, uninterrupted (`--to`), when the hold needs what they create.
    std::string first_to{};
    /// Set up what makes the statement wait (a held snapshot or lock); may be empty.
    std::function<std::shared_ptr<void>(const TestDatabase&)> hold{};
    /// Waits until the run is at the point; false when it never got there. May take a hold
    /// on the way (into `hold`), for a statement later than the first to wait for.
    std::function<bool(const TestDatabase&, std::shared_ptr<void>& hold)> reached{};
};

bool backfill_batches(const TestDatabase& db, int at_least)
{
    auto session = db.connect();
    for (int i = 0; i < 2000; ++i) {
        try {
            auto done = session.query_value(
                "SELECT (backfill->>'batches_done')::int >= $1::int FROM migsafe.history WHERE "
                "version = '4'",
                {std::to_string(at_least)});
            if (done.value_or("f") == "t") {
                return true;
            }
        } catch (const migsafe::Error&) {
            // migsafe.history does not exist yet
        }
        std::this_thread::sleep_for(5ms);
    }
    return false;
}

std::vector<KillPoint> kill_points()
{
    auto statement = [](std::string fragment, Doing doing) {
        return [fragment, doing](const TestDatabase& db, std::shared_ptr<void>&) {
            return migsafe::test::wait_for_apply_statement(db, fragment, doing);
        };
    };
    auto snapshot = [](const TestDatabase& db) -> std::shared_ptr<void> {
        return std::make_shared<SnapshotHolder>(db);
    };
    // A reader of accounts: ALTER TABLE waits for it, before it changed anything.
    auto table_lock = [](const TestDatabase& db) -> std::shared_ptr<void> {
        auto session = std::make_shared<migsafe::platform::Session>(db.connect());
        session->exec("BEGIN; LOCK TABLE accounts IN ACCESS SHARE MODE");
        return session;
    };
    std::vector<KillPoint> points;
    points.push_back({"0001 inside its transaction",
                      SIGKILL,
                      "",
                      {},
                      statement("pg_sleep(0.31)", Doing::running)});
    for (int signal : {SIGKILL, SIGTERM}) {
        points.push_back({"0002 statement 1 (CREATE INDEX CONCURRENTLY building)", signal, "",
                          snapshot, statement("accounts_email_idx", Doing::waiting_lock)});
    }
    points.push_back({"0002 between the two builds",
                      SIGKILL,
                      "",
                      {},
                      statement("pg_sleep(0.32)", Doing::running)});
    // The snapshot is taken once the first build is done, or that one would wait for it.
    points.push_back(
        {"0002 statement 3 (second build)",
         SIGKILL,
         "",
         {},
         [](const TestDatabase& db, std::shared_ptr<void>& hold) {
             if (!migsafe::test::wait_for_apply_statement(db, "pg_sleep(0.32)", Doing::running)) {
                 return false;
             }
             hold = std::make_shared<SnapshotHolder>(db);
             return migsafe::test::wait_for_apply_statement(db, "accounts_balance_idx",
                                                            Doing::waiting_lock);
         }});
    points.push_back({"0003 waiting for its lock (after 0002, before 0003 did anything)", SIGKILL,
                      "2", table_lock, statement("ADD COLUMN tier", Doing::waiting_lock)});
    for (int signal : {SIGKILL, SIGTERM}) {
        points.push_back({"0004 after some backfill batches",
                          signal,
                          "",
                          {},
                          [](const TestDatabase& db, std::shared_ptr<void>&) {
                              return backfill_batches(db, 3);
                          }});
    }
    for (int signal : {SIGKILL, SIGTERM}) {
        points.push_back({"0005 inside the contract",
                          signal,
                          "",
                          {},
                          statement("pg_sleep(0.33)", Doing::running)});
    }
    return points;
}

} // namespace

TEST_CASE("migsafe apply: kill-anywhere: killed at each statement boundary and inside each "
          "statement, a rerun ends where an uninterrupted run does")
{
    MigrationDir dir;
    write_set(dir);
    TestDatabase reference;
    {
        auto uninterrupted = run_cli(apply_args(reference, dir));
        CAPTURE(uninterrupted.err);
        REQUIRE(uninterrupted.exit_code == 0);
        REQUIRE(run_cli({"status", "--db", reference.conninfo(), "--dir", dir.str()}).exit_code ==
                0);
        REQUIRE(migsafe::test::catalog_fingerprint(reference).find("valid=true") !=
                std::string::npos);
    }
    int compared = 0;
    int mismatches = 0;
    for (const auto& point : kill_points()) {
        CAPTURE(point.name);
        CAPTURE(point.signal);
        TestDatabase db;
        std::string log;
        {
            if (!point.first_to.empty()) {
                auto args = apply_args(db, dir);
                args.insert(args.end(), {"--to", point.first_to});
                REQUIRE(run_cli(args).exit_code == 0);
            }
            std::shared_ptr<void> hold = point.hold ? point.hold(db) : nullptr;
            int pid = spawn_cli(apply_args(db, dir));
            const bool there = point.reached(db, hold);
            ::kill(pid, point.signal);
            const int exit = wait_cli(pid);
            CHECK(there);
            CHECK(exit == 128 + point.signal);
            migsafe::test::wait_for_apply_backends_gone(db);
        }
        const int runs = finish(db, dir, log);
        CAPTURE(log);
        CHECK(runs > 0);
        auto diff = differences(reference, db, dir);
        CAPTURE(diff);
        CHECK(diff == "");
        ++compared;
        mismatches += diff.empty() ? 0 : 1;
    }
    MESSAGE(fmt::format("kill-anywhere: {} kill points compared with the uninterrupted run, {} "
                        "mismatches",
                        compared, mismatches));
}

TEST_CASE("migsafe apply: kill-anywhere (long): random kills for MIGSAFE_KILL_ANYWHERE_SECONDS")
{
    const char* seconds_text = std::getenv("MIGSAFE_KILL_ANYWHERE_SECONDS");
    const int seconds = seconds_text == nullptr ? 0 : std::atoi(seconds_text);
    if (seconds <= 0) {
        return; // the short form above runs in the suite; tests/kill-anywhere.sh runs this
    }
    const char* seed_text = std::getenv("MIGSAFE_TEST_SEED");
    const auto seed = seed_text != nullptr
                          ? std::strtoull(seed_text, nullptr, 10)
                          : static_cast<unsigned long long>(std::random_device{}());
    std::mt19937_64 random(seed);
    MESSAGE("kill-anywhere seed " << seed << " (MIGSAFE_TEST_SEED replays it)");
    MigrationDir dir;
    write_set(dir);
    TestDatabase reference;
    const auto started = std::chrono::steady_clock::now();
    REQUIRE(run_cli(apply_args(reference, dir)).exit_code == 0);
    const auto reference_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::steady_clock::now() - started)
                                  .count();
    int rounds = 0;
    int kills = 0;
    int mismatches = 0;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < until) {
        ++rounds;
        TestDatabase db;
        std::string log;
        // Up to three runs in a row are killed, each after a random delay; a held snapshot
        // sometimes stretches the CONCURRENTLY builds so that kills land inside them.
        const int killed_runs = 1 + static_cast<int>(random() % 3);
        for (int k = 0; k < killed_runs; ++k) {
            std::unique_ptr<SnapshotHolder> reader;
            if (random() % 3 == 0) {
                reader = std::make_unique<SnapshotHolder>(db);
            }
            const int signal = random() % 4 == 0 ? SIGTERM : SIGKILL;
            const auto delay = std::chrono::milliseconds(
                random() % static_cast<unsigned long long>(reference_ms + 200));
            int pid = spawn_cli(apply_args(db, dir));
            std::this_thread::sleep_for(delay);
            ::kill(pid, signal);
            const int exit = wait_cli(pid);
            log += fmt::format("run {}: {} after {} ms: exit {}\n", k + 1,
                               signal == SIGKILL ? "SIGKILL" : "SIGTERM", delay.count(), exit);
            ++kills;
            reader.reset();
            migsafe::test::wait_for_apply_backends_gone(db);
        }
        const int runs = finish(db, dir, log);
        auto diff = runs > 0 ? differences(reference, db, dir) : std::string("did not finish");
        if (!diff.empty()) {
            ++mismatches;
            MESSAGE("round " << rounds << " differs:\n" << log << diff);
        }
        CHECK(diff == "");
    }
    const std::string summary =
        fmt::format("kill-anywhere (long): {} rounds, {} kills, {} mismatches, seed {}", rounds,
                    kills, mismatches, seed);
    MESSAGE(summary);
    std::fprintf(stderr, "%s\n", summary.c_str());
}
