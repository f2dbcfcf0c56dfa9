// workflow::apply against a real server: history, drift, failures, resumes, lock
// timeouts, CONCURRENTLY clean-up, phases and the snapshot gate.
#include "support/cut_over_flag.hpp"
#include "support/migration_dir.hpp"
#include "support/test_db.hpp"

#include <migsafe/model/migration_set.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/session.hpp>
#include <migsafe/snapshot/store.hpp>
#include <migsafe/workflow/apply.hpp>
#include <migsafe/workflow/history.hpp>
#include <migsafe/workflow/status.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <future>
#include <thread>

using migsafe::Error;
using migsafe::test::MigrationDir;
using migsafe::test::TestDatabase;
using namespace migsafe::workflow;
using namespace std::chrono_literals;

namespace {

ApplyOptions quick()
{
    ApplyOptions options;
    options.snapshot = SnapshotPolicy::skip;
    options.retry_pause = 20ms;
    options.lock_timeout = 2s;
    options.now = migsafe::test::after_a_week(); // podiatry's cut-over flag (turn_on_flag)
    return options;
}

ApplyReport apply_dir(const TestDatabase& db, const MigrationDir& dir,
                      const ApplyOptions& options = quick())
{
    return apply(db.conninfo(), migsafe::model::load_migration_set(dir.path()), options);
}

std::string value(migsafe::platform::Session& session, const std::string& sql)
{
    return session.query_value(sql).value_or("<null>");
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

} // namespace

TEST_CASE("apply: the podiatry fixtures apply once, with a complete history; a second run does "
          "nothing")
{
    TestDatabase db;
    MigrationDir dir;
    dir.copy_fixture("podiatry");
    migsafe::test::turn_on_flag(db); // 0012 requires it
    auto report = apply_dir(db, dir);
    CHECK(report.verdict == migsafe::plan::Verdict::pass);
    CHECK(report.applied == 13);
    CHECK(report.pending_after == 0);

    auto session = db.connect();
    auto history = read_history(session);
    REQUIRE(history.size() == 13);
    for (const auto& entry : history) {
        CAPTURE(entry.version);
        CHECK(entry.status == HistoryStatus::applied);
        CHECK(entry.statements_applied == entry.statements_total);
        CHECK(entry.checksum.size() == 32);
        CHECK(entry.run_id == report.run_id);
        CHECK_FALSE(entry.finished_at.empty());
        CHECK_FALSE(entry.applied_by.empty());
        CHECK_FALSE(entry.migsafe_version.empty());
        CHECK(entry.statement_checksums.size() == static_cast<std::size_t>(entry.statements_total));
    }
    CHECK(history[0].transactional == true);   // read as a boolean, not 'true' == "t"
    CHECK(history[10].transactional == false); // 0011: CREATE INDEX CONCURRENTLY
    CHECK(history[11].phase == "contract");
    // The objects as they were: 0012 saw professionals with its full_name column.
    for (std::size_t i = 0; i < history.size(); ++i) {
        CHECK(history[i].version == i + 1); // numeric order: 2 before 10
    }
    auto before = nlohmann::json::parse(history[11].objects_before);
    bool had_full_name = false;
    for (const auto& column : before["public.professionals"]["columns"]) {
        had_full_name = had_full_name || column["name"] == "full_name";
    }
    CHECK(had_full_name);
    CHECK(value(session, "SELECT indisvalid::text FROM pg_index WHERE indexrelid = "
                         "'appointments_starts_at_idx'::regclass") == "true");

    auto again = apply_dir(db, dir);
    CHECK(again.applied == 0);
    CHECK(again.migrations.empty());
    CHECK(read_history(session).size() == 13);
    auto now = status(db.conninfo(), migsafe::model::load_migration_set(dir.path()));
    CHECK(now.count(MigrationState::applied) == 13);
    CHECK(now.current == 13u);
    CHECK_FALSE(now.needs_attention());
}

TEST_CASE("apply: an edited applied file, a missing file and an out-of-order file are refused")
{
    TestDatabase db;
    MigrationDir dir;
    dir.write("0001_t.sql", "CREATE TABLE t (id int PRIMARY KEY);\n");
    dir.write("0003_u.sql", "CREATE TABLE u (id int PRIMARY KEY);\n");
    dir.seal();
    REQUIRE(apply_dir(db, dir).applied == 2);

    SUBCASE("edited")
    {
        auto session = db.connect();
        auto applied = read_history(session).front().checksum;
        dir.write("0001_t.sql", "CREATE TABLE t (id bigint PRIMARY KEY);\n");
        dir.write("0004_v.sql", "CREATE TABLE v (id int);\n");
        dir.seal();
        auto report = apply_dir(db, dir);
        CHECK(report.verdict == migsafe::plan::Verdict::fail);
        CHECK(report.applied == 0);
        REQUIRE(report.problems.size() == 1);
        CHECK(report.problems[0].find("0001_t.sql") != std::string::npos);
        CHECK(report.problems[0].find(applied) != std::string::npos);
        CHECK(report.problems[0].find(file_checksum("CREATE TABLE t (id bigint PRIMARY KEY);\n")) !=
              std::string::npos);
        CHECK(value(session, "SELECT to_regclass('v') IS NULL") == "t");
    }
    SUBCASE("missing")
    {
        dir.remove("0001_t.sql");
        dir.seal();
        auto report = apply_dir(db, dir);
        CHECK(report.verdict == migsafe::plan::Verdict::fail);
        REQUIRE(report.problems.size() == 1);
        CHECK(report.problems[0].find("has no file") != std::string::npos);
    }
    SUBCASE("out of order")
    {
        dir.write("0002_late.sql", "CREATE TABLE late (id int);\n");
        dir.seal();
        auto refused = apply_dir(db, dir);
        CHECK(refused.verdict == migsafe::plan::Verdict::fail);
        REQUIRE(refused.problems.size() == 1);
        CHECK(refused.problems[0].find("--out-of-order") != std::string::npos);
        auto options = quick();
        options.out_of_order = true;
        CHECK(apply_dir(db, dir, options).applied == 1);
    }
    SUBCASE("sum file disagrees")
    {
        dir.write("0004_v.sql", "CREATE TABLE v (id int);\n"); // not sealed
        auto error = error_of([&] { apply_dir(db, dir); });
        CHECK(error.code() == "sum-mismatch");
        CHECK(migsafe::exit_code_for(error.category()) == 2);
    }
}

TEST_CASE("apply: a failing transactional migration rolls back whole and is retried next run")
{
    TestDatabase db;
    MigrationDir dir;
    dir.write("0001_t.sql", "CREATE TABLE t (id int PRIMARY KEY);\n");
    dir.write("0002_bad.sql", "CREATE TABLE half (id int);\nINSERT INTO missing VALUES (1);\n");
    dir.write("0003_after.sql", "CREATE TABLE after (id int);\n");
    dir.seal();
    auto error = error_of([&] { apply_dir(db, dir); });
    CHECK(error.code() == "apply-migration-failed");
    CHECK(migsafe::exit_code_for(error.category()) == 4);
    CHECK(error.context().file == "0002_bad.sql");
    CHECK(error.context().line == 2);
    CHECK(error.context().sqlstate == "42P01");
    CHECK(error.message().find("rolled back") != std::string::npos);

    auto session = db.connect();
    CHECK(value(session, "SELECT to_regclass('half') IS NULL") == "t");
    CHECK(value(session, "SELECT to_regclass('after') IS NULL") == "t");
    auto history = read_history(session);
    REQUIRE(history.size() == 2);
    CHECK(history[0].status == HistoryStatus::applied);
    CHECK(history[1].status == HistoryStatus::failed);
    CHECK(history[1].statements_applied == 0);
    CHECK(history[1].error.find("missing") != std::string::npos);
    auto now = status(db.conninfo(), migsafe::model::load_migration_set(dir.path()));
    CHECK(now.migrations[1].state == MigrationState::pending);
    CHECK(now.migrations[1].failed_before);

    dir.write("0002_bad.sql", "CREATE TABLE half (id int);\n");
    dir.seal();
    auto report = apply_dir(db, dir);
    CHECK(report.applied == 2);
    CHECK(read_history(session)[1].status == HistoryStatus::applied);
}

TEST_CASE("apply: a no-transaction file resumes at the failed statement, never earlier")
{
    TestDatabase db;
    db.connect().exec("CREATE TABLE runs (statement int)");
    MigrationDir dir;
    dir.write("0001_steps.sql", "-- migsafe:no-transaction\n"
                                "INSERT INTO runs VALUES (1);\n"
                                "CREATE TABLE a (id int);\n"
                                "INSERT INTO missing VALUES (3);\n"
                                "INSERT INTO runs VALUES (4);\n");
    dir.seal();
    auto error = error_of([&] { apply_dir(db, dir); });
    CHECK(error.code() == "apply-partial");
    CHECK(migsafe::exit_code_for(error.category()) == 5);
    CHECK(error.context().line == 4);
    CHECK(error.message().find("2 of 4 statements") != std::string::npos);
    CHECK(error.message().find("resume") != std::string::npos);

    auto session = db.connect();
    auto history = read_history(session);
    REQUIRE(history.size() == 1);
    CHECK(history[0].status == HistoryStatus::partial);
    CHECK(history[0].statements_applied == 2);
    auto now = status(db.conninfo(), migsafe::model::load_migration_set(dir.path()));
    CHECK(now.migrations[0].state == MigrationState::partial);
    CHECK(now.needs_attention());

    SUBCASE("fixing the failed statement resumes from it")
    {
        dir.write("0001_steps.sql", "-- migsafe:no-transaction\n"
                                    "INSERT INTO runs VALUES (1);\n"
                                    "CREATE TABLE a (id int);\n"
                                    "INSERT INTO runs VALUES (3);\n"
                                    "INSERT INTO runs VALUES (4);\n");
        dir.seal();
        auto report = apply_dir(db, dir);
        REQUIRE(report.migrations.size() == 1);
        CHECK(report.migrations[0].outcome == Outcome::resumed);
        CHECK(value(session, "SELECT string_agg(statement::text, ',' ORDER BY statement) FROM "
                             "runs") == "1,3,4");
        auto done = read_history(session);
        CHECK(done[0].status == HistoryStatus::applied);
        CHECK(done[0].statements_applied == 4);
        CHECK(done[0].checksum == file_checksum("-- migsafe:no-transaction\n"
                                                "INSERT INTO runs VALUES (1);\n"
                                                "CREATE TABLE a (id int);\n"
                                                "INSERT INTO runs VALUES (3);\n"
                                                "INSERT INTO runs VALUES (4);\n"));
    }
    SUBCASE("editing a statement that already ran is refused")
    {
        dir.write("0001_steps.sql", "-- migsafe:no-transaction\n"
                                    "INSERT INTO runs VALUES (10);\n"
                                    "CREATE TABLE a (id int);\n"
                                    "INSERT INTO runs VALUES (3);\n");
        dir.seal();
        auto report = apply_dir(db, dir);
        CHECK(report.verdict == migsafe::plan::Verdict::fail);
        REQUIRE(report.problems.size() == 1);
        CHECK(report.problems[0].find("statement 1") != std::string::npos);
        CHECK(value(session, "SELECT count(*) FROM runs") == "1");
    }
}

TEST_CASE("apply: a held lock makes apply retry, then give up with exit 3 naming the holder; "
          "the application waits at most the lock timeout")
{
    TestDatabase db;
    db.connect().exec("CREATE TABLE busy (id int PRIMARY KEY); INSERT INTO busy VALUES (1)");
    MigrationDir dir;
    dir.write("0001_add.sql", "ALTER TABLE busy ADD COLUMN note text;\n");
    dir.seal();

    auto holder = db.connect();
    holder.exec("SET application_name = 'long report'");
    holder.exec("BEGIN");
    holder.exec("SELECT count(*) FROM busy"); // AccessShareLock until the transaction ends

    auto options = quick();
    options.lock_timeout = 300ms;
    options.retries = 2;
    options.retry_pause = 200ms;
    auto running = std::async(std::launch::async,
                              [&] { return error_of([&] { apply_dir(db, dir, options); }); });
    // An application query on the table, while apply's ALTER waits in the lock queue.
    std::this_thread::sleep_for(100ms);
    auto app = db.connect();
    std::chrono::milliseconds longest{0};
    for (int i = 0; i < 10; ++i) {
        auto start = std::chrono::steady_clock::now();
        app.query("SELECT * FROM busy");
        longest = std::max(longest, std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::steady_clock::now() - start));
        std::this_thread::sleep_for(50ms);
    }
    auto error = running.get();
    MESSAGE("longest application wait: " << longest.count() << " ms (lock timeout 300 ms)");
    CHECK(longest < 300ms + 250ms); // the lock timeout, plus scheduling on a busy machine
    CHECK(error.code() == "apply-lock-timeout");
    CHECK(migsafe::exit_code_for(error.category()) == 3);
    CHECK(error.message().find("3 attempts") != std::string::npos);
    CHECK(error.message().find("pid " + std::to_string(holder.backend_pid())) != std::string::npos);
    CHECK(error.message().find("long report") != std::string::npos);
    CHECK(error.message().find("AccessShareLock on public.busy") != std::string::npos);
    holder.exec("ROLLBACK");

    auto session = db.connect();
    auto history = read_history(session);
    REQUIRE(history.size() == 1);
    CHECK(history[0].status == HistoryStatus::failed);
    CHECK(history[0].attempts == 3);
    CHECK(value(session, "SELECT count(*) FROM information_schema.columns WHERE table_name = "
                         "'busy' AND column_name = 'note'") == "0");

    SUBCASE("a lock released during the retries lets it through")
    {
        holder.exec("BEGIN");
        holder.exec("SELECT count(*) FROM busy");
        options.retries = 10;
        auto later = std::async(std::launch::async, [&] { return apply_dir(db, dir, options); });
        std::this_thread::sleep_for(700ms);
        holder.exec("COMMIT");
        auto report = later.get();
        REQUIRE(report.migrations.size() == 1);
        CHECK(report.migrations[0].attempts > 1);
        CHECK(read_history(session)[0].status == HistoryStatus::applied);
    }
}

TEST_CASE("apply: a CONCURRENTLY build that fails leaves no INVALID index, and a rerun builds it")
{
    TestDatabase db;
    db.connect().exec("CREATE TABLE people (id int PRIMARY KEY, email text);"
                      "INSERT INTO people SELECT g, 'p' || g FROM generate_series(1, 500) g;"
                      "CREATE TABLE other (id int); INSERT INTO other VALUES (1);");
    MigrationDir dir;
    dir.write("0001_index.sql", "-- migsafe:no-transaction\n"
                                "CREATE INDEX CONCURRENTLY people_email_idx ON people (email);\n");
    dir.seal();
    const std::string invalid =
        "SELECT count(*) FROM pg_index WHERE indrelid = 'people'::regclass AND NOT indisvalid";

    // An old snapshot: CIC waits for it after creating its (still INVALID) index.
    auto reader = db.connect();
    reader.exec("BEGIN ISOLATION LEVEL REPEATABLE READ");
    reader.exec("SELECT count(*) FROM other");

    auto options = quick();
    options.concurrently_timeout = 400ms;
    options.retries = 1;
    auto error = error_of([&] { apply_dir(db, dir, options); });
    CHECK(error.code() == "apply-lock-timeout");
    auto session = db.connect();
    CHECK(value(session, invalid) == "0");
    CHECK(value(session, "SELECT to_regclass('people_email_idx') IS NULL") == "t");
    CHECK(read_history(session)[0].status == HistoryStatus::failed);

    reader.exec("COMMIT");
    auto report = apply_dir(db, dir, options);
    CHECK(report.applied == 1);
    CHECK(value(session, invalid) == "0");
    CHECK(value(session, "SELECT indisvalid::text FROM pg_index WHERE indexrelid = "
                         "'people_email_idx'::regclass") == "true");
}

TEST_CASE("apply: phases and the contract rule")
{
    TestDatabase db;
    MigrationDir dir;
    dir.write("0001_create.sql", "CREATE TABLE t (id int PRIMARY KEY, old_name text);\n");
    dir.write("0002_expand.sql", "ALTER TABLE t ADD COLUMN new_name text;\n");
    dir.write("0003_backfill.sql", "-- migsafe:phase backfill\n"
                                   "UPDATE t SET new_name = old_name;\n");
    dir.write("0004_contract.sql", "ALTER TABLE t DROP COLUMN old_name;\n");
    dir.write("0005_next.sql", "CREATE TABLE u (id int);\n");
    dir.seal();
    auto options = quick();
    options.to = 1;
    REQUIRE(apply_dir(db, dir, options).applied == 1);

    SUBCASE("all: a contract of a table this run expanded waits for the next run")
    {
        auto first = apply_dir(db, dir);
        CHECK(first.applied == 2);
        REQUIRE(first.migrations.size() == 4);
        CHECK(first.migrations[2].version == 4);
        CHECK(first.migrations[2].outcome == Outcome::held);
        CHECK(first.migrations[2].reason.find("0002") != std::string::npos);
        CHECK(first.migrations[3].outcome == Outcome::held);
        auto second = apply_dir(db, dir);
        CHECK(second.applied == 2);
    }
    SUBCASE("expand stops before the contract; contract stops before the next expand")
    {
        options = quick();
        options.phase = PhaseFilter::expand;
        auto expand = apply_dir(db, dir, options);
        CHECK(expand.applied == 2);
        options.phase = PhaseFilter::contract;
        auto contract = apply_dir(db, dir, options);
        CHECK(contract.applied == 1);
        REQUIRE(contract.migrations.size() == 2);
        CHECK(contract.migrations[1].outcome == Outcome::held);
        options.phase = PhaseFilter::all;
        CHECK(apply_dir(db, dir, options).applied == 1);
    }
    SUBCASE("a dry run says what would run and changes nothing")
    {
        options = quick();
        options.dry_run = true;
        auto dry = apply_dir(db, dir, options);
        REQUIRE(dry.migrations.size() == 4);
        CHECK(dry.migrations[0].outcome == Outcome::would_apply);
        REQUIRE(dry.migrations[0].statements.size() == 1);
        REQUIRE(dry.migrations[0].statements[0].locks.size() == 1);
        CHECK(dry.migrations[0].statements[0].locks[0].relation == "public.t");
        CHECK(dry.migrations[2].outcome == Outcome::held);
        auto session = db.connect();
        CHECK(read_history(session).size() == 1);
    }
}

TEST_CASE("apply: a risky migration needs a recent snapshot, or takes one with --snapshot")
{
    TestDatabase db;
    db.connect().exec("CREATE TABLE keep (id int PRIMARY KEY, gone text);"
                      "INSERT INTO keep SELECT g, 'x' FROM generate_series(1, 100) g;");
    MigrationDir dir;
    dir.write("0001_drop.sql", "ALTER TABLE keep DROP COLUMN gone;\n");
    dir.seal();
    MigrationDir store; // any empty folder will do as a store
    auto options = quick();
    options.snapshot = SnapshotPolicy::require;
    options.store = store.path();
    auto refused = apply_dir(db, dir, options);
    CHECK(refused.verdict == migsafe::plan::Verdict::fail);
    CHECK(refused.applied == 0);
    REQUIRE(refused.problems.size() == 1);
    CHECK(refused.problems[0].find("0001_drop.sql:1") != std::string::npos);
    CHECK(refused.problems[0].find("--snapshot") != std::string::npos);

    options.snapshot = SnapshotPolicy::take;
    auto taken = apply_dir(db, dir, options);
    CHECK(taken.applied == 1);
    REQUIRE_FALSE(taken.snapshot_id.empty());
    CHECK(migsafe::snapshot::list(store.path()).size() == 1);
    auto session = db.connect();
    auto history = read_history(session);
    CHECK(history[0].snapshot_id == taken.snapshot_id);
    auto before = nlohmann::json::parse(history[0].integrity_before);
    auto after = nlohmann::json::parse(history[0].integrity_after);
    CHECK(before["public.keep"]["rows"] == 100);
    CHECK(after["public.keep"]["rows"] == 100);
    CHECK(before["public.keep"]["checksum"] != after["public.keep"]["checksum"]);
    CHECK(taken.migrations[0].untouched_changed.empty());
}

TEST_CASE("apply: four runners at once apply every migration exactly once")
{
    TestDatabase db;
    MigrationDir dir;
    dir.copy_fixture("podiatry");
    migsafe::test::turn_on_flag(db); // 0012 requires it
    std::vector<std::future<ApplyReport>> runners;
    for (int i = 0; i < 4; ++i) {
        runners.push_back(std::async(std::launch::async, [&] { return apply_dir(db, dir); }));
    }
    int applied = 0;
    for (auto& runner : runners) {
        applied += runner.get().applied;
    }
    CHECK(applied == 13);
    auto session = db.connect();
    CHECK(read_history(session).size() == 13);
    CHECK(value(session, "SELECT count(DISTINCT run_id) FROM migsafe.history") == "1");
}

TEST_CASE("apply: a second runner gives up after --wait with exit 3 naming the holder")
{
    TestDatabase db;
    MigrationDir dir;
    dir.write("0001_t.sql", "CREATE TABLE t (id int);\n");
    dir.seal();
    auto other = db.connect();
    other.exec("SET application_name = 'other runner'");
    other.query_value("SELECT pg_advisory_lock(7883946367941764353)");
    auto options = quick();
    options.wait = 300ms;
    auto start = std::chrono::steady_clock::now();
    auto error = error_of([&] { apply_dir(db, dir, options); });
    auto waited = std::chrono::steady_clock::now() - start;
    CHECK(error.code() == "apply-lock-busy");
    CHECK(migsafe::exit_code_for(error.category()) == 3);
    CHECK(error.message().find("other runner") != std::string::npos);
    CHECK(waited >= 300ms);
    CHECK(waited < 3s);
    auto session = db.connect();
    CHECK(value(session, "SELECT to_regclass('t') IS NULL") == "t");
}

TEST_CASE("apply: BEGIN/COMMIT in a transactional file is refused before anything runs")
{
    TestDatabase db;
    MigrationDir dir;
    dir.write("0001_t.sql", "BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;\n");
    dir.seal();
    auto error = error_of([&] { apply_dir(db, dir); });
    CHECK(error.code() == "apply-transaction-control");
    CHECK(error.context().line == 1);
    auto session = db.connect();
    CHECK(value(session, "SELECT to_regclass('t') IS NULL") == "t");
}

TEST_CASE("apply: a backfill migration runs in batches and keeps its checkpoint in the history")
{
    TestDatabase db;
    db.connect().exec("CREATE TABLE items (id bigint PRIMARY KEY, n int NOT NULL DEFAULT 0);"
                      "INSERT INTO items (id) SELECT g FROM generate_series(1, 5000) g;");
    MigrationDir dir;
    dir.write("0001_fill.sql", "-- migsafe:phase backfill\n"
                               "-- migsafe:backfill key=id batch=400\n"
                               "UPDATE items SET n = n + 1;\n");
    dir.seal();
    auto options = quick();
    options.backfill_batch_time = std::chrono::milliseconds(0); // keep 400 rows per batch
    auto report = apply_dir(db, dir, options);
    REQUIRE(report.migrations.size() == 1);
    CHECK(report.migrations[0].backfill);
    CHECK(report.migrations[0].backfill_rows == 5000);
    CHECK(report.migrations[0].backfill_batches == 13);
    auto session = db.connect();
    CHECK(value(session, "SELECT count(*) FROM items WHERE n <> 1") == "0");
    auto history = read_history(session);
    REQUIRE(history.size() == 1);
    CHECK(history[0].status == HistoryStatus::applied);
    auto checkpoint = nlohmann::json::parse(history[0].backfill);
    CHECK(checkpoint["finished"] == true);
    CHECK(checkpoint["upper_key"] == "5000");
    CHECK(checkpoint["rows_done"] == 5000);
}
