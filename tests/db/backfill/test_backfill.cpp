// backfill::job_for, start and run on real PostgreSQL.
#include "support/test_db.hpp"

#include <migsafe/backfill/backfill.hpp>
#include <migsafe/model/parser.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/log.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace backfill = migsafe::backfill;
namespace model = migsafe::model;
namespace platform = migsafe::platform;
using migsafe::test::TestDatabase;
using namespace std::chrono_literals;

namespace {

model::MigrationFile migration(const std::string& text,
                               const std::string& path = "0005_backfill.sql")
{
    model::MigrationFile file;
    file.path = path;
    file.relative_path = path;
    file.text = text;
    file.statements = model::parse_sql(text, path);
    return file;
}

std::int64_t number(platform::Session& session, const std::string& sql)
{
    return std::stoll(session.query_value(sql).value_or("-1"));
}

// Counts the warnings the library logs while it lives.
class WarningCounter {
public:
    WarningCounter()
    {
        migsafe::log::set_callback([this](migsafe::log::Level level, std::string_view message) {
            if (level == migsafe::log::Level::warn) {
                m_count += 1;
                m_last = std::string(message);
            }
        });
    }
    ~WarningCounter() { migsafe::log::set_callback({}); }
    WarningCounter(const WarningCounter&) = delete;
    WarningCounter& operator=(const WarningCounter&) = delete;
    int count() const { return m_count; }
    const std::string& last() const { return m_last; }

private:
    int m_count = 0;
    std::string m_last;
};

} // namespace

TEST_CASE("backfill::run of 20k rows in batches equals one big UPDATE")
{
    TestDatabase db;
    auto session = db.connect();
    session.exec("CREATE TABLE items (id int PRIMARY KEY, a int NOT NULL, b text);"
                 "INSERT INTO items SELECT g, g * 7 % 1000, NULL FROM generate_series(1, 20000) g;"
                 "CREATE TABLE expected AS SELECT * FROM items;"
                 "UPDATE expected AS i SET b = 'v' || i.a WHERE i.a % 3 = 0");
    const auto file = migration("-- migsafe:backfill key=id batch=1000\n"
                                "SET work_mem = '8MB';\n"
                                "UPDATE items AS i SET b = 'v' || i.a WHERE i.a % 3 = 0;\n");
    REQUIRE(file.directives.backfill == std::nullopt); // parse_directives is the loader's job
    const model::BackfillSettings settings{.key = "id", .batch_size = 1000, .line = 1};
    const auto job = backfill::job_for(file, &settings, session);
    CHECK(job.table.qualified() == "public.items");
    CHECK(job.alias == "i");
    CHECK(job.key == "id");
    CHECK(job.update_sql == "UPDATE items AS i SET b = 'v' || i.a WHERE i.a % 3 = 0");
    CHECK(job.before_sql == std::vector<std::string>{"SET work_mem = '8MB'"});
    CHECK(job.file == "0005_backfill.sql");
    CHECK(job.line == 3);

    const auto first = backfill::start(session, job);
    CHECK(first.upper_key == "20000");
    CHECK(first.lower_key == "1");
    CHECK_FALSE(first.after_key.has_value());
    CHECK_FALSE(first.finished);

    std::vector<backfill::Progress> progress;
    const auto result =
        backfill::run(session, job, first,
                      {.progress = [&](const backfill::Progress& p) { progress.push_back(p); }});
    const auto changed = number(session, "SELECT count(*) FROM expected WHERE b IS NOT NULL");
    CHECK(result.rows_updated == changed);
    CHECK(result.checkpoint.rows_done == changed);
    CHECK(result.checkpoint.finished);
    CHECK(result.checkpoint.after_key == "20000");
    CHECK(result.batches >= 2);
    CHECK(result.batches == result.checkpoint.batches_done);
    CHECK(result.retries == 0);
    CHECK_FALSE(result.interrupted);
    CHECK(number(session, "SELECT count(*) FROM items i FULL JOIN expected e USING (id) "
                          "WHERE i IS NULL OR e IS NULL OR i.b IS DISTINCT FROM e.b") == 0);
    REQUIRE(progress.size() == static_cast<std::size_t>(result.batches));
    CHECK(progress.back().fraction == 1.0);
    CHECK(progress.back().rows_done == changed);
    CHECK(progress.front().fraction.value_or(0) > 0.0);
    CHECK(progress.front().fraction.value_or(1) < 1.0);
    CHECK(progress.front().rows_per_second > 0);
    CHECK(progress.front().eta.has_value());

    // Running a finished checkpoint again does nothing.
    const auto again = backfill::run(session, job, result.checkpoint);
    CHECK(again.batches == 0);
    CHECK(again.checkpoint == result.checkpoint);
}

TEST_CASE("backfill::run adapts the batch size towards target_batch_time")
{
    TestDatabase db;
    auto session = db.connect();
    session.exec("CREATE TABLE items (id bigint PRIMARY KEY, n int NOT NULL DEFAULT 0);"
                 "INSERT INTO items (id) SELECT g FROM generate_series(1, 5000) g");
    auto job = backfill::job_for(migration("UPDATE items SET n = n + 1"), nullptr, session);
    CHECK(job.key == "id");
    job.batch_size = 50;

    SUBCASE("fast batches grow, at most doubling")
    {
        job.target_batch_time = 60s;
        std::vector<int> sizes;
        const auto result =
            backfill::run(session, job, backfill::start(session, job),
                          {.on_batch = [&](platform::Session&, const backfill::Checkpoint& next) {
                              sizes.push_back(next.batch_size);
                          }});
        // 50 + 100 + 200 + 400 + 800 + 1600 keys, then the last 1850.
        CHECK(sizes == std::vector<int>{100, 200, 400, 800, 1600, 3200, 6400});
        CHECK(result.batches == 7);
        CHECK(number(session, "SELECT count(*) FROM items WHERE n <> 1") == 0);
    }
    SUBCASE("slow batches shrink, at most halving")
    {
        struct Enough {};
        job.batch_size = 2000;
        job.target_batch_time = 1ms;
        job.before_sql = {"SELECT pg_sleep(0.02)"}; // every batch takes at least 20 ms
        std::vector<int> sizes;
        CHECK_THROWS_AS(
            backfill::run(session, job, backfill::start(session, job),
                          {.on_batch =
                               [&](platform::Session&, const backfill::Checkpoint& next) {
                                   sizes.push_back(next.batch_size);
                                   if (sizes.size() == 4) {
                                       throw Enough{};
                                   }
                               }}),
            Enough);
        CHECK(sizes == std::vector<int>{1000, 500, 250, 125});
        // The 4th batch rolled back with the exception.
        CHECK(number(session, "SELECT count(*) FROM items WHERE n = 1") == 3500);
    }
    SUBCASE("a target of 0 keeps the size")
    {
        job.target_batch_time = 0ms;
        const auto result = backfill::run(session, job, backfill::start(session, job));
        CHECK(result.batches == 100);
        CHECK(result.checkpoint.batch_size == 50);
    }
}

TEST_CASE("backfill::run with bigint, text and uuid keys")
{
    TestDatabase db;
    auto session = db.connect();
    session.exec("CREATE TABLE by_uuid (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), "
                 "  n int NOT NULL DEFAULT 0);"
                 "INSERT INTO by_uuid (n) SELECT 0 FROM generate_series(1, 1000);"
                 "CREATE TABLE by_text (code text PRIMARY KEY, n int NOT NULL DEFAULT 0);"
                 "INSERT INTO by_text (code) SELECT 'c' || g || ' ''q''' FROM "
                 "  generate_series(1, 1000) g;"
                 "CREATE TABLE by_big (id bigint PRIMARY KEY, n int NOT NULL DEFAULT 0);"
                 "INSERT INTO by_big (id) SELECT g * 10000000000 FROM generate_series(1, 1000) g");
    for (const std::string table : {"by_uuid", "by_text", "by_big"}) {
        CAPTURE(table);
        auto job =
            backfill::job_for(migration("UPDATE " + table + " SET n = n + 1"), nullptr, session);
        job.batch_size = 70;
        job.target_batch_time = 0ms;
        const auto result = backfill::run(session, job, backfill::start(session, job));
        CHECK(result.batches == 15); // ceil(1000 / 70)
        CHECK(result.rows_updated == 1000);
        CHECK(number(session, "SELECT count(*) FROM " + table + " WHERE n <> 1") == 0);
    }
}

TEST_CASE("backfill::run of an UPDATE with a schema, FROM, sub-queries, RETURNING and comments")
{
    TestDatabase db;
    auto session = db.connect();
    session.exec("CREATE SCHEMA app;"
                 "CREATE TABLE app.items (id int PRIMARY KEY, kind int NOT NULL, label text);"
                 "CREATE TABLE app.kinds (id int PRIMARY KEY, name text NOT NULL);"
                 "INSERT INTO app.kinds VALUES (1, 'one'), (2, 'two; WHERE'), (3, 'three');"
                 "INSERT INTO app.items SELECT g, g % 4, NULL FROM generate_series(1, 500) g");
    const auto file = migration("/* backfill labels; WHERE here is a comment */\n"
                                "UPDATE app.items\n"
                                "SET label = k.name || (SELECT '!' WHERE true) -- where?\n"
                                "FROM app.kinds k\n"
                                "WHERE k.id = items.kind AND k.name <> $$WHERE$$ -- the join\n"
                                "RETURNING items.id, 'RETURNING'\n");
    auto job = backfill::job_for(file, nullptr, session);
    CHECK(job.table.qualified() == "app.items");
    CHECK(job.alias.empty());
    CHECK(job.line == 2);
    job.batch_size = 60;
    job.target_batch_time = 0ms;
    const auto result = backfill::run(session, job, backfill::start(session, job));
    CHECK(result.batches == 9);
    CHECK(result.rows_updated == 375);
    CHECK(number(session, "SELECT count(*) FROM app.items WHERE kind = 0 AND label IS NOT NULL") ==
          0);
    CHECK(number(session, "SELECT count(*) FROM app.items i JOIN app.kinds k ON k.id = i.kind "
                          "WHERE i.label IS DISTINCT FROM k.name || '!'") == 0);
}

TEST_CASE("backfill::run of an empty table finishes at once")
{
    TestDatabase db;
    auto session = db.connect();
    session.exec("CREATE TABLE items (id int PRIMARY KEY, n int)");
    const auto job = backfill::job_for(migration("UPDATE items SET n = 1"), nullptr, session);
    const auto first = backfill::start(session, job);
    CHECK_FALSE(first.upper_key.has_value());
    CHECK(first.finished);
    int calls = 0;
    const auto result = backfill::run(
        session, job, first, {.on_batch = [&](platform::Session&, const auto&) { ++calls; }});
    CHECK(calls == 0);
    CHECK(result.batches == 0);
    CHECK(result.checkpoint.finished);
}

TEST_CASE("backfill::run terminates under concurrent inserts and updates")
{
    TestDatabase db;
    auto session = db.connect();
    session.exec("CREATE TABLE items (id int PRIMARY KEY, n int NOT NULL DEFAULT 0, "
                 "  touched int NOT NULL DEFAULT 0);"
                 "INSERT INTO items (id) SELECT g FROM generate_series(1, 3000) g");
    auto job = backfill::job_for(migration("UPDATE items SET n = n + 1"), nullptr, session);
    job.batch_size = 100;
    job.target_batch_time = 0ms;
    const auto first = backfill::start(session, job);
    REQUIRE(first.upper_key == "3000");

    std::atomic<bool> stop{false};
    std::atomic<int> inserted{0};
    std::thread writer([&] {
        auto other = db.connect();
        int next = 3001;
        while (!stop.load()) {
            other.exec_params("INSERT INTO items (id) VALUES ($1)", {std::to_string(next++)});
            other.exec_params("UPDATE items SET touched = touched + 1 WHERE id = $1",
                              {std::to_string(next * 37 % 3000 + 1)});
            inserted += 1;
        }
    });
    backfill::Result result;
    try {
        result = backfill::run(session, job, first, {.on_batch = [&](auto&, const auto&) {
                                   std::this_thread::sleep_for(2ms);
                               }});
    } catch (...) {
        stop = true;
        writer.join();
        throw;
    }
    stop = true;
    writer.join();
    CHECK(inserted.load() > 0);
    CHECK(result.checkpoint.finished);
    CHECK(result.batches == 30);
    CHECK(number(session, "SELECT count(*) FROM items WHERE id <= 3000 AND n <> 1") == 0);
    CHECK(number(session, "SELECT count(*) FROM items WHERE id > 3000 AND n <> 0") == 0);
    CHECK(number(session, "SELECT count(*) FROM items WHERE id > 3000") == inserted.load());
    CHECK(number(session, "SELECT sum(touched) FROM items") == inserted.load());
}

TEST_CASE("backfill::run resumes from the last committed checkpoint without redoing a batch")
{
    TestDatabase db;
    auto session = db.connect();
    session.exec("CREATE TABLE items (id int PRIMARY KEY, n int NOT NULL DEFAULT 0);"
                 "INSERT INTO items (id) SELECT g FROM generate_series(1, 1000) g;"
                 "CREATE TABLE checkpoints (batch bigint PRIMARY KEY, state text NOT NULL)");
    auto job = backfill::job_for(migration("UPDATE items SET n = n + 1 WHERE id % 2 = 0"), nullptr,
                                 session);
    job.batch_size = 100;
    job.target_batch_time = 0ms;
    const auto save = [](platform::Session& s, const backfill::Checkpoint& checkpoint) {
        s.exec_params("INSERT INTO checkpoints VALUES ($1, $2)",
                      {std::to_string(checkpoint.batches_done), checkpoint.to_json()});
    };
    auto first = backfill::start(session, job);
    CHECK_THROWS_WITH_AS(
        backfill::run(session, job, first,
                      {.on_batch =
                           [&](platform::Session& s, const backfill::Checkpoint& next) {
                               save(s, next);
                               if (next.batches_done == 4) {
                                   throw migsafe::Error("io-write-failed", "simulated crash");
                               }
                           }}),
        "simulated crash [io-write-failed]", migsafe::Error);
    // Batches 1-3 committed with their checkpoints; the 4th rolled back with its own.
    CHECK(number(session, "SELECT max(batch) FROM checkpoints") == 3);
    CHECK(number(session, "SELECT count(*) FROM items WHERE n = 1") == 150);
    CHECK(number(session, "SELECT count(*) FROM items WHERE n = 1 AND id > 300") == 0);

    const auto saved = backfill::Checkpoint::from_json(
        *session.query_value("SELECT state FROM checkpoints ORDER BY batch DESC LIMIT 1"));
    CHECK(saved.after_key == "300");
    CHECK(saved.rows_done == 150);
    const auto result = backfill::run(session, job, saved, {.on_batch = save});
    CHECK(result.batches == 7);
    CHECK(result.rows_updated == 350);
    CHECK(result.checkpoint.rows_done == 500);
    CHECK(result.checkpoint.batches_done == 10);
    CHECK(result.checkpoint.finished);
    CHECK(number(session, "SELECT count(*) FROM items WHERE id % 2 = 0 AND n <> 1") == 0);
    CHECK(number(session, "SELECT count(*) FROM items WHERE id % 2 = 1 AND n <> 0") == 0);
    CHECK(number(session, "SELECT count(*) FROM checkpoints") == 10);
}

TEST_CASE("backfill::run retries a locked batch, then fails with db-lock-timeout")
{
    TestDatabase db;
    auto session = db.connect();
    auto holder = db.connect();
    session.exec("CREATE TABLE items (id int PRIMARY KEY, n int NOT NULL DEFAULT 0);"
                 "INSERT INTO items (id) SELECT g FROM generate_series(1, 300) g");
    auto job = backfill::job_for(migration("UPDATE items SET n = n + 1"), nullptr, session);
    job.batch_size = 100;
    job.target_batch_time = 0ms;
    job.lock_timeout = 100ms;
    job.retries = 2;
    job.retry_backoff = 10ms;
    holder.exec("BEGIN; SELECT * FROM items WHERE id = 150 FOR UPDATE");

    SUBCASE("the lock is held throughout")
    {
        WarningCounter warnings;
        std::vector<backfill::Checkpoint> committed;
        try {
            (void)backfill::run(session, job, backfill::start(session, job),
                                {.on_batch = [&](auto&, const backfill::Checkpoint& next) {
                                    committed.push_back(next);
                                }});
            FAIL("no throw");
        } catch (const migsafe::Error& e) {
            CHECK(e.code() == "db-lock-timeout");
            CHECK(e.message() == "backfill of public.items: batch 2 after 100 (key id) failed "
                                 "after 2 retries: canceling statement due to lock timeout");
            CHECK(e.context().sqlstate == "55P03");
            CHECK(migsafe::exit_code_for(e.category()) == 3);
        }
        CHECK(warnings.count() == 2);
        CHECK(warnings.last().starts_with("backfill of public.items: batch 2 failed "
                                          "(db-lock-timeout), retry 2 of 2 in "));
        // on_batch also ran for the rolled-back attempts? No: the UPDATE failed before it.
        REQUIRE(committed.size() == 1);
        CHECK(number(session, "SELECT count(*) FROM items WHERE n = 1") == 100);
        holder.exec("ROLLBACK");
        const auto resumed = backfill::run(session, job, committed.back());
        CHECK(resumed.checkpoint.finished);
        CHECK(number(session, "SELECT count(*) FROM items WHERE n <> 1") == 0);
    }
    SUBCASE("the lock is released during the retries")
    {
        job.retries = 20;
        std::thread release([&] {
            std::this_thread::sleep_for(400ms);
            holder.exec("ROLLBACK");
        });
        backfill::Result result;
        try {
            result = backfill::run(session, job, backfill::start(session, job));
        } catch (...) {
            release.join();
            throw;
        }
        release.join();
        CHECK(result.retries >= 1);
        CHECK(result.checkpoint.finished);
        CHECK(number(session, "SELECT count(*) FROM items WHERE n <> 1") == 0);
    }
}

TEST_CASE("backfill::job_for errors name file:line")
{
    TestDatabase db;
    auto session = db.connect();
    session.exec("CREATE TABLE items (id int PRIMARY KEY, n int, note text);"
                 "CREATE TABLE nokey (id int NOT NULL, n int);"
                 "CREATE TABLE pair (a int, b int, n int, PRIMARY KEY (a, b))");
    const auto error_of = [&](const std::string& text, const model::BackfillSettings* settings) {
        try {
            (void)backfill::job_for(migration(text), settings, session);
        } catch (const migsafe::Error& e) {
            CHECK(e.code() == "backfill-invalid");
            CHECK(migsafe::exit_code_for(e.category()) == 2);
            return e.located_message() + " | " + e.hint();
        }
        FAIL("no throw for " << text);
        return std::string();
    };
    const std::string generic_hint =
        "a backfill migration holds exactly one UPDATE (and SET or RESET statements); name a "
        "NOT NULL, indexed key column with `-- migsafe:backfill key=COLUMN` when the table has "
        "no single-column primary key (docs/backfill.md)";
    const std::string key_hint =
        "name a NOT NULL, indexed column with `-- migsafe:backfill key=COLUMN`";
    CHECK(error_of("UPDATE items SET n = 1;\n\nUPDATE items SET n = 2;\n", nullptr) ==
          "0005_backfill.sql:3: a backfill migration holds one UPDATE, but this is a second one "
          "(the first is on line 1) | split the backfill into one migration per UPDATE");
    CHECK(error_of("-- c\nDELETE FROM items WHERE n = 1;\n", nullptr) ==
          "0005_backfill.sql:2: a backfill migration holds one UPDATE, but this statement is a "
          "delete | " +
              generic_hint);
    CHECK(error_of("SET lock_timeout = '1s';\n", nullptr) ==
          "0005_backfill.sql:1: a backfill migration holds one UPDATE, but this one has none | " +
              generic_hint);
    CHECK(error_of("UPDATE nokey SET n = 1;", nullptr) ==
          "0005_backfill.sql:1: table public.nokey has no primary key to cut backfill batches "
          "on | " +
              key_hint);
    CHECK(error_of("UPDATE pair SET n = 1;", nullptr) ==
          "0005_backfill.sql:1: table public.pair has a composite primary key (a, b); backfill "
          "batches need one key column | " +
              key_hint);
    const model::BackfillSettings typo{.key = "idd", .line = 1};
    CHECK(error_of("-- migsafe:backfill key=idd\nUPDATE items SET n = 1;", &typo) ==
          "0005_backfill.sql:1: backfill key column `idd` does not exist in table public.items | "
          "did you mean `id`? name a NOT NULL, indexed column of the table with "
          "`-- migsafe:backfill key=COLUMN`");
    const model::BackfillSettings nullable{.key = "note", .line = 1};
    CHECK(error_of("-- migsafe:backfill key=note\nUPDATE items SET n = 1;", &nullable) ==
          "0005_backfill.sql:1: backfill key column `note` of table public.items may be NULL, "
          "and rows with a NULL key would never be updated | cut batches on a NOT NULL column, "
          "such as the primary key");
    CHECK(error_of("UPDATE missing SET n = 1;", nullptr) ==
          "0005_backfill.sql:1: table public.missing of the backfill does not exist | run the "
          "backfill after the migration that creates the table (or name the schema in the "
          "UPDATE)");

    CHECK(error_of("UPDATE items SET n = 1, id = id + 1000", nullptr) ==
          "0005_backfill.sql:1: the backfill UPDATE sets its key column `id`: rows would move "
          "between batches | cut batches on a column the UPDATE does not change, such as the "
          "primary key");
    const model::BackfillSettings zero{.key = "id", .batch_size = 0, .line = 1};
    CHECK(error_of("-- migsafe:backfill key=id\nUPDATE items SET n = 1;", &zero) ==
          "0005_backfill.sql:1: backfill batch size 0 is not positive | " + generic_hint);

    // A file loaded without its statements is parsed here; a syntax error is sql-syntax.
    auto unparsed = migration("UPDATE items SET n = 1");
    unparsed.statements.clear();
    CHECK(backfill::job_for(unparsed, nullptr, session).update_sql == "UPDATE items SET n = 1");
    unparsed.text = "UPDATE items SET n = = 1";
    try {
        (void)backfill::job_for(unparsed, nullptr, session);
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "sql-syntax");
        CHECK(e.located_message() == "0005_backfill.sql:1:22: syntax error at or near \"=\"");
    }

    // A key= on a table without a primary key works (with a warning when not indexed).
    WarningCounter warnings;
    const model::BackfillSettings on_id{.key = "id", .batch_size = 10, .line = 1};
    const auto job =
        backfill::job_for(migration("UPDATE nokey SET n = 1 RETURNING id"), &on_id, session);
    CHECK(job.key == "id");
    CHECK(job.batch_size == 10);
    CHECK(warnings.count() == 1);
    CHECK(warnings.last() == "0005_backfill.sql:1: no index starts with backfill key column id "
                             "of table public.nokey: every batch will scan the table");
}

TEST_CASE("backfill::run does not retry a statement timeout")
{
    TestDatabase db;
    auto session = db.connect();
    session.exec("CREATE TABLE items (id int PRIMARY KEY, n int NOT NULL DEFAULT 0);"
                 "INSERT INTO items (id) SELECT g FROM generate_series(1, 20) g");
    auto job = backfill::job_for(
        migration("UPDATE items SET n = n + 1 WHERE pg_sleep(0.05) IS NOT NULL"), nullptr, session);
    job.statement_timeout = 100ms;
    WarningCounter warnings;
    try {
        (void)backfill::run(session, job, backfill::start(session, job));
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "db-statement-timeout");
        CHECK(e.message() == "canceling statement due to statement timeout");
        CHECK(e.context().sqlstate == "57014");
    }
    CHECK(warnings.count() == 0);
    CHECK(number(session, "SELECT count(*) FROM items WHERE n <> 0") == 0);
    // The timeout was SET LOCAL: the session's own setting is untouched.
    CHECK(session.query_value("SHOW statement_timeout") == "0");
}
