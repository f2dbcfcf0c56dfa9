// Readers never wait forever behind a lock: the integrity scan and pg_dump give up after
// their lock timeout with db-lock-timeout naming the table, and leave nothing behind.
#include "db/snapshot/snapshot_fixtures.hpp"

#include <migsafe/integrity/verify.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/snapshot/create.hpp>
#include <migsafe/snapshot/store.hpp>

#include <doctest/doctest.h>

#include <chrono>

using migsafe::Error;
using migsafe::test::TestDatabase;
using migsafe::test::snapshot::entries;
using migsafe::test::snapshot::fill_source;
using migsafe::test::snapshot::TempDir;
using namespace std::chrono_literals;

namespace {

using Clock = std::chrono::steady_clock;

/// A second session holding ACCESS EXCLUSIVE on `table` (as a migration would) until it
/// goes out of scope.
struct HeldLock {
    migsafe::platform::Session session;
    HeldLock(const TestDatabase& db, const std::string& table)
        : session(db.connect())
    {
        session.exec("BEGIN; LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
    }
};

long ms_since(Clock::time_point start)
{
    return static_cast<long>(
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count());
}

} // namespace

TEST_CASE("integrity::scan behind a held lock fails with db-lock-timeout naming the table")
{
    TestDatabase db;
    auto session = db.connect();
    fill_source(session, 500);
    session.exec("CREATE SCHEMA \"x.y\"; CREATE TABLE \"x.y\".z (id int PRIMARY KEY)");
    HeldLock held(db, "\"x.y\".z");
    auto started = Clock::now();
    try {
        migsafe::integrity::scan(db.conninfo(), {.lock_timeout = 300ms});
        FAIL("expected db-lock-timeout");
    } catch (const Error& e) {
        CHECK(e.code() == "db-lock-timeout");
        CHECK(e.message() == "table \"x.y\".z stayed locked by another session for longer than "
                             "the scan's lock timeout (300 ms)");
        CHECK(e.context().object == "\"x.y\".z");
        CHECK(e.hint().find("migsafe health") != std::string::npos);
    }
    CHECK(ms_since(started) < 5000);
}

TEST_CASE("integrity::scan refuses a lock timeout of zero, which would wait forever")
{
    TestDatabase db;
    try {
        migsafe::integrity::scan(db.conninfo(), {.lock_timeout = 0ms});
        FAIL("expected usage-invalid-option");
    } catch (const Error& e) {
        CHECK(e.code() == "usage-invalid-option");
        CHECK(e.context().object == "--lock-timeout");
    }
}

TEST_CASE("snapshot::create behind a held lock fails with db-lock-timeout and stores nothing")
{
    TestDatabase db;
    auto session = db.connect();
    fill_source(session, 500);
    TempDir dir;
    HeldLock held(db, "public.notes");
    auto started = Clock::now();
    try {
        migsafe::snapshot::create(db.conninfo(), dir.path(), {.lock_wait_timeout = 400ms});
        FAIL("expected db-lock-timeout");
    } catch (const Error& e) {
        CHECK(e.code() == "db-lock-timeout");
        INFO(e.message());
        CHECK(e.message().find("public.notes") != std::string::npos);
        CHECK(e.context().object.find("public.notes") != std::string::npos);
    }
    CHECK(ms_since(started) < 10000);
    CHECK(migsafe::snapshot::list(dir.path()).empty());
    CHECK(entries(dir.path()).empty()); // the partial folder is gone

    // Once the lock is released, the same call succeeds.
    held.session.exec("ROLLBACK");
    auto created =
        migsafe::snapshot::create(db.conninfo(), dir.path(), {.lock_wait_timeout = 400ms});
    CHECK(migsafe::snapshot::list(dir.path()).size() == 1);
    CHECK(created.manifest.pg_dump_args.at(4) == "--lock-wait-timeout=400");
}

TEST_CASE("snapshot::create refuses a lock wait timeout of zero")
{
    TestDatabase db;
    TempDir dir;
    try {
        migsafe::snapshot::create(db.conninfo(), dir.path(), {.lock_wait_timeout = 0ms});
        FAIL("expected usage-invalid-option");
    } catch (const Error& e) {
        CHECK(e.code() == "usage-invalid-option");
        CHECK(e.context().object == "--lock-wait-timeout");
    }
    CHECK(entries(dir.path()).empty());
}
