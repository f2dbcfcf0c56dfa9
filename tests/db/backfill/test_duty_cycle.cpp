// The backfill's duty cycle on real PostgreSQL: the load sample sees other sessions, and a
// backfill that yields to them still finishes and resumes.
#include "support/test_db.hpp"

#include <migsafe/backfill/backfill.hpp>
#include <migsafe/backfill/duty_cycle.hpp>
#include <migsafe/model/parser.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace backfill = migsafe::backfill;
namespace model = migsafe::model;
namespace platform = migsafe::platform;
using migsafe::test::TestDatabase;
using namespace std::chrono_literals;

namespace {

model::MigrationFile migration(const std::string& text)
{
    model::MigrationFile file;
    file.path = "0007_backfill.sql";
    file.relative_path = file.path.string();
    file.text = text;
    file.statements = model::parse_sql(text, file.path);
    return file;
}

std::int64_t number(platform::Session& session, const std::string& sql)
{
    return std::stoll(session.query_value(sql).value_or("-1"));
}

// A session of its own running `sql` on a thread until the destructor cancels it.
class Busy {
public:
    Busy(const TestDatabase& db, std::string sql)
        : m_session(db.connect())
    {
        m_cancel = m_session.canceller();
        m_thread = std::thread([this, sql = std::move(sql)] {
            try {
                m_session.exec(sql);
            } catch (const migsafe::Error&) {
                // cancelled: the point of the destructor
            }
        });
    }
    ~Busy()
    {
        m_cancel();
        m_thread.join();
    }
    Busy(const Busy&) = delete;
    Busy& operator=(const Busy&) = delete;

private:
    platform::Session m_session;
    std::function<void()> m_cancel;
    std::thread m_thread;
};

// Samples until `ready` holds (other sessions take a moment to start), at most 5 s.
backfill::LoadSample sample_until(platform::Session& session,
                                  const std::function<bool(const backfill::LoadSample&)>& ready)
{
    auto sample = backfill::sample_load(session);
    for (int i = 0; i < 250 && !ready(sample); ++i) {
        std::this_thread::sleep_for(20ms);
        sample = backfill::sample_load(session);
    }
    return sample;
}

} // namespace

TEST_CASE("backfill::sample_load sees an active session and one waiting for a lock")
{
    TestDatabase db;
    auto session = db.connect();
    session.exec("CREATE TABLE items (id int PRIMARY KEY)");
    const auto before = backfill::sample_load(session);
    CHECK(before.hidden == 0); // the tests' role is a superuser
    {
        Busy sleeper(db, "SELECT pg_sleep(30)");
        const auto busy =
            sample_until(session, [&](const auto& s) { return s.active > before.active; });
        CHECK(busy.active == before.active + 1);
        CHECK(busy.waiting == before.waiting);

        auto holder = db.connect();
        holder.exec("BEGIN; LOCK TABLE items");
        {
            Busy waiter(db, "BEGIN; LOCK TABLE items");
            const auto queued =
                sample_until(session, [&](const auto& s) { return s.waiting > before.waiting; });
            CHECK(queued.waiting == before.waiting + 1);
            CHECK(queued.active == before.active + 2); // the sleeper and the waiter
        }
        holder.exec("ROLLBACK");
    }
    const auto after =
        sample_until(session, [&](const auto& s) { return s.active <= before.active; });
    CHECK(after.active == before.active);
}

TEST_CASE("backfill::run yields to busy sessions, still finishes and resumes as before")
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
    // Every batch takes at least 20 ms, so the pause it buys is measurable.
    job.before_sql = {"SELECT pg_catalog.pg_sleep(0.02)"};
    const auto save = [](platform::Session& s, const backfill::Checkpoint& checkpoint) {
        s.exec_params("INSERT INTO checkpoints VALUES ($1, $2)",
                      {std::to_string(checkpoint.batches_done), checkpoint.to_json()});
    };
    std::vector<backfill::Progress> progress;
    const auto record = [&](const backfill::Progress& p) { progress.push_back(p); };

    Busy first_sleeper(db, "SELECT pg_sleep(60)");
    Busy second_sleeper(db, "SELECT pg_sleep(60)");
    REQUIRE(sample_until(session, [](const auto& s) { return s.active >= 2; }).active >= 2);

    SUBCASE("adaptive: the pause grows with the load, a crash resumes without redoing a batch")
    {
        const auto started = std::chrono::steady_clock::now();
        CHECK_THROWS_WITH_AS(
            backfill::run(session, job, backfill::start(session, job),
                          {.on_batch =
                               [&](platform::Session& s, const backfill::Checkpoint& next) {
                                   save(s, next);
                                   if (next.batches_done == 4) {
                                       throw migsafe::Error("io-write-failed", "simulated crash");
                                   }
                               },
                           .progress = record}),
            "simulated crash [io-write-failed]", migsafe::Error);
        REQUIRE(progress.size() == 3);
        for (const auto& p : progress) {
            CHECK(p.load >= 2.0);
            CHECK(p.pause >= 40ms); // >= 2 x the batch's 20 ms
            CHECK(p.pause <= 10s);
            CHECK(p.pause_reason == backfill::PauseReason::load);
        }
        CHECK(number(session, "SELECT max(batch) FROM checkpoints") == 3);
        CHECK(number(session, "SELECT count(*) FROM items WHERE n = 1") == 150);

        const auto saved = backfill::Checkpoint::from_json(
            *session.query_value("SELECT state FROM checkpoints ORDER BY batch DESC LIMIT 1"));
        CHECK(saved.after_key == "300");
        CHECK(saved.batch_size == 100);
        progress.clear();
        const auto result =
            backfill::run(session, job, saved, {.on_batch = save, .progress = record});
        const auto took = std::chrono::steady_clock::now() - started;
        CHECK(result.batches == 7);
        CHECK(result.checkpoint.rows_done == 500);
        CHECK(result.checkpoint.batches_done == 10);
        CHECK(result.checkpoint.finished);
        CHECK(number(session, "SELECT count(*) FROM items WHERE id % 2 = 0 AND n <> 1") == 0);
        CHECK(number(session, "SELECT count(*) FROM items WHERE id % 2 = 1 AND n <> 0") == 0);
        CHECK(number(session, "SELECT count(*) FROM checkpoints") == 10);
        REQUIRE(progress.size() == 7);
        CHECK(progress.back().pause == 0ms); // nothing to wait for after the last batch
        // 10 batches of >= 20 ms, 8 pauses of >= 40 ms.
        CHECK(took >= 520ms);
    }
    SUBCASE("yield=off: exactly the floor, whatever the load")
    {
        CHECK(job.duty_cycle.adaptive == backfill::Adaptive::on); // the default
        const model::BackfillSettings settings{
            .key = "id", .batch_size = 100, .pause = 5ms, .yield = model::BackfillYield::off};
        const auto fixed = backfill::job_for(
            migration("UPDATE items SET n = n + 1 WHERE id % 2 = 0"), &settings, session);
        CHECK(fixed.duty_cycle.adaptive == backfill::Adaptive::off);
        CHECK(fixed.pause == 5ms);
        job.pause = fixed.pause;
        job.duty_cycle = fixed.duty_cycle;
        const auto result =
            backfill::run(session, job, backfill::start(session, job), {.progress = record});
        CHECK(result.checkpoint.finished);
        CHECK(result.checkpoint.rows_done == 500);
        REQUIRE(progress.size() == 10);
        CHECK(progress.front().pause == 5ms);
        CHECK(progress.front().load == 0.0);
        CHECK(progress.front().pause_reason == backfill::PauseReason::floor);
    }
}
