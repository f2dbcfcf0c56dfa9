// workflow::health on a real server: each check finds what it names, with a fix, and
// nothing on a fresh database.
#include "support/migration_dir.hpp"
#include "support/test_db.hpp"

#include <migsafe/model/migration_set.hpp>
#include <migsafe/platform/cluster.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/session.hpp>
#include <migsafe/workflow/apply.hpp>
#include <migsafe/workflow/health.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <thread>

using migsafe::test::MigrationDir;
using migsafe::test::TestDatabase;
using namespace migsafe::workflow;
using namespace std::chrono_literals;

namespace {

std::vector<HealthFinding> of_check(const HealthReport& report, const std::string& check)
{
    std::vector<HealthFinding> out;
    std::copy_if(report.findings.begin(), report.findings.end(), std::back_inserter(out),
                 [&](const HealthFinding& f) { return f.check == check; });
    return out;
}

/// Polls until `sql` returns "t" (a session reached the state a test needs); false after 5 s.
bool wait_until(migsafe::platform::Session& session, const std::string& sql)
{
    for (int i = 0; i < 200; ++i) {
        if (session.query_value(sql) == "t") {
            return true;
        }
        std::this_thread::sleep_for(25ms);
    }
    return false;
}

} // namespace

TEST_CASE("health: a fresh database passes; leftovers of migrations are found with their fix")
{
    TestDatabase db;
    auto fresh = health(db.conninfo());
    CHECK(fresh.healthy());
    CHECK(fresh.checks.size() == 10);
    CHECK(of_check(fresh, "invalid-index").empty());
    CHECK(of_check(fresh, "sequence-exhaustion").empty());
    CHECK(fresh.database == db.name());

    auto session = db.connect();
    session.exec("CREATE TABLE orders (id serial PRIMARY KEY, email text);"
                 "INSERT INTO orders (email) SELECT 'same' FROM generate_series(1, 5);"
                 "CREATE TABLE tags (id smallserial PRIMARY KEY);"
                 "ALTER TABLE orders ADD CONSTRAINT email_set CHECK (email <> '') NOT VALID");
    // A unique index built CONCURRENTLY on duplicates fails and stays, INVALID.
    CHECK_THROWS(session.exec("CREATE UNIQUE INDEX CONCURRENTLY orders_email_key ON orders "
                              "(email)"));
    session.query("SELECT setval('orders_id_seq', 2000000000)");
    session.query("SELECT setval('tags_id_seq', 25000)");

    auto report = health(db.conninfo());
    CHECK_FALSE(report.healthy());
    auto invalid = of_check(report, "invalid-index");
    REQUIRE(invalid.size() == 1);
    CHECK(invalid[0].object == "public.orders_email_key");
    CHECK(invalid[0].severity == HealthSeverity::warning);
    CHECK(invalid[0].fix.starts_with("DROP INDEX CONCURRENTLY public.orders_email_key;"));

    auto constraint = of_check(report, "unvalidated-constraint");
    REQUIRE(constraint.size() == 1);
    CHECK(
        constraint[0].fix.starts_with("ALTER TABLE public.orders VALIDATE CONSTRAINT email_set;"));

    // 2,000,000,000 of an integer column's 2,147,483,647: an error; 25,000 of smallint's
    // 32,767: a warning.
    auto sequences = of_check(report, "sequence-exhaustion");
    REQUIRE(sequences.size() == 2);
    CHECK(sequences[0].object == "public.orders_id_seq");
    CHECK(sequences[0].severity == HealthSeverity::error);
    CHECK(sequences[0].message.find("93% used") != std::string::npos);
    CHECK(sequences[0].message.find("public.orders.id (integer)") != std::string::npos);
    CHECK(sequences[1].object == "public.tags_id_seq");
    CHECK(sequences[1].severity == HealthSeverity::warning);
    CHECK(report.count(HealthSeverity::error) == 1);

    const auto json = nlohmann::json::parse(report.to_json());
    CHECK(json["verdict"] == "fail");
    CHECK(json["counts"]["errors"] == 1);
    CHECK(json["findings"].size() == report.findings.size());
    CHECK(report.to_text().find("verdict: fail") != std::string::npos);

    // Fixed as told, the database passes again.
    session.exec("DROP INDEX CONCURRENTLY \"public\".\"orders_email_key\"");
    session.exec("ALTER TABLE \"public\".\"orders\" VALIDATE CONSTRAINT \"email_set\"");
    session.exec("ALTER SEQUENCE orders_id_seq RESTART WITH 10");
    auto fixed = health(db.conninfo());
    CHECK(of_check(fixed, "invalid-index").empty());
    CHECK(of_check(fixed, "unvalidated-constraint").empty());
    CHECK(fixed.healthy());
}

TEST_CASE("health: an index being built CONCURRENTLY right now is not a leftover")
{
    TestDatabase db;
    auto holder = db.connect();
    holder.exec("CREATE TABLE t (id int); INSERT INTO t VALUES (1)");
    // An open transaction holding a snapshot makes CREATE INDEX CONCURRENTLY wait, INVALID.
    holder.exec("BEGIN ISOLATION LEVEL REPEATABLE READ");
    holder.query("SELECT count(*) FROM t");
    std::thread builder([&db] {
        auto session = db.connect();
        session.exec("CREATE INDEX CONCURRENTLY t_id_idx ON t (id)");
    });
    auto watcher = db.connect();
    CHECK(wait_until(watcher, "SELECT EXISTS (SELECT 1 FROM pg_index WHERE NOT indisvalid) AND "
                              "EXISTS (SELECT 1 FROM pg_stat_progress_create_index)"));
    auto report = health(db.conninfo(), {.idle_in_transaction = 1h});
    CHECK(of_check(report, "invalid-index").empty());
    holder.exec("COMMIT");
    builder.join();
}

TEST_CASE("health: sessions that would block a migration are named, never by their query")
{
    TestDatabase db;
    auto holder = db.connect();
    holder.exec("CREATE TABLE t (id int)");
    holder.exec("BEGIN");
    holder.exec("LOCK TABLE t IN ACCESS EXCLUSIVE MODE");
    std::thread waiter([&db] {
        auto session = db.connect();
        session.query("SELECT count(*) FROM t /* secret-token-123 */");
    });
    std::thread sleeper([&db] {
        auto session = db.connect();
        session.exec("BEGIN");
        session.query("SELECT pg_sleep(1.5)");
        session.exec("COMMIT");
    });
    auto watcher = db.connect();
    CHECK(wait_until(watcher, "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE "
                              "wait_event_type = 'Lock' AND datname = current_database())"));
    std::this_thread::sleep_for(600ms);

    auto report =
        health(db.conninfo(),
               {.long_transaction = 300ms, .idle_in_transaction = 300ms, .lock_wait = 300ms});
    const auto holder_pid = std::to_string(holder.backend_pid());
    auto idle = of_check(report, "idle-in-transaction");
    REQUIRE(idle.size() == 1);
    CHECK(idle[0].object == "pid " + holder_pid);
    auto waits = of_check(report, "lock-wait");
    REQUIRE(waits.size() == 1);
    CHECK(waits[0].message.find("blocked by pid " + holder_pid) != std::string::npos);
    // The waiter is a lock wait, the holder idle: only the sleeper is a long transaction.
    auto long_ones = of_check(report, "long-transaction");
    REQUIRE(long_ones.size() == 1);
    CHECK(long_ones[0].object != "pid " + holder_pid);
    CHECK(long_ones[0].object != waits[0].object);
    CHECK(long_ones[0].severity == HealthSeverity::warning);
    CHECK(report.to_json().find("secret-token-123") == std::string::npos);
    CHECK(report.to_text().find("secret-token-123") == std::string::npos);

    holder.exec("COMMIT");
    waiter.join();
    sleeper.join();
}

TEST_CASE("health: an unfinished migsafe migration fails the check")
{
    TestDatabase db;
    MigrationDir dir;
    dir.write("0001_steps.sql", "-- migsafe:no-transaction\n"
                                "CREATE TABLE a (id int);\n"
                                "INSERT INTO missing VALUES (1);\n");
    dir.seal();
    ApplyOptions options;
    options.snapshot = SnapshotPolicy::skip;
    CHECK_THROWS_AS(apply(db.conninfo(), migsafe::model::load_migration_set(dir.path()), options),
                    migsafe::Error);
    auto report = health(db.conninfo());
    auto unfinished = of_check(report, "migration-unfinished");
    REQUIRE(unfinished.size() == 1);
    CHECK(unfinished[0].severity == HealthSeverity::error);
    CHECK(unfinished[0].message.find("stopped after 1 of 2 statements") != std::string::npos);
    CHECK_FALSE(report.healthy());
}

TEST_CASE("health: an inactive replication slot that keeps WAL is reported")
{
    TestDatabase db;
    auto session = db.connect();
    try {
        session.query("SELECT pg_create_physical_replication_slot('migsafe_test_slot', true)");
    } catch (const migsafe::Error& e) {
        MESSAGE("this server cannot create a replication slot: " << e.what());
        return;
    }
    auto report = health(db.conninfo());
    session.query("SELECT pg_drop_replication_slot('migsafe_test_slot')");
    auto slots = of_check(report, "inactive-replication-slot");
    REQUIRE(slots.size() == 1);
    CHECK(slots[0].object == "slot migsafe_test_slot");
    CHECK(slots[0].fix == "reconnect its consumer, or drop it: SELECT "
                          "pg_drop_replication_slot('migsafe_test_slot');");
}

TEST_CASE("health: a forgotten prepared transaction is an error, its gid quoted in the fix")
{
    // The shared test server runs with max_prepared_transactions = 0: a cluster of its own.
    migsafe::test::require_local_postgres();
    auto options = migsafe::test::cluster_options();
    options.settings.push_back("max_prepared_transactions = 2");
    auto cluster = migsafe::platform::EphemeralCluster::start(options);
    auto session = migsafe::platform::Session::connect(cluster.conninfo());
    session.exec("CREATE TABLE t (id int)");
    session.exec("BEGIN; INSERT INTO t VALUES (1); PREPARE TRANSACTION 'pay''ment-7'");
    std::this_thread::sleep_for(300ms);

    auto report = health(cluster.conninfo(), {.long_transaction = 100ms});
    auto prepared = of_check(report, "prepared-transaction");
    REQUIRE(prepared.size() == 1);
    CHECK(prepared[0].severity == HealthSeverity::error);
    CHECK(prepared[0].object == "transaction pay'ment-7");
    CHECK(prepared[0].fix.starts_with("COMMIT PREPARED 'pay''ment-7'; or ROLLBACK PREPARED "
                                      "'pay''ment-7';"));
    CHECK_FALSE(report.healthy());
    session.exec("ROLLBACK PREPARED 'pay''ment-7'");
    CHECK(of_check(health(cluster.conninfo(), {.long_transaction = 100ms}), "prepared-transaction")
              .empty());
}
