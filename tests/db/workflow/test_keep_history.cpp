// workflow::apply beside another runner: `keep_history` writes the tool's own rows with
// migsafe's and holds the tool's lock; without it, a history migsafe does not cover makes
// apply refuse (a migration run twice is the failure this prevents).
#include "support/migration_dir.hpp"
#include "support/test_db.hpp"

#include <migsafe/model/migration_set.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/session.hpp>
#include <migsafe/workflow/apply.hpp>
#include <migsafe/workflow/history.hpp>
#include <migsafe/workflow/status.hpp>

#include <doctest/doctest.h>

#include <chrono>

using migsafe::test::MigrationDir;
using migsafe::test::TestDatabase;
using namespace migsafe::workflow;
using namespace std::chrono_literals;

namespace {

ApplyOptions quick(std::optional<ConfiguredRunner> keep = std::nullopt)
{
    ApplyOptions options;
    options.snapshot = SnapshotPolicy::skip;
    options.retry_pause = 20ms;
    options.lock_timeout = 2s;
    options.wait = 1s;
    options.keep_history = std::move(keep);
    return options;
}

ApplyReport apply_dir(const TestDatabase& db, const MigrationDir& dir, const ApplyOptions& options)
{
    return apply(db.conninfo(), migsafe::model::load_migration_set(dir.path()), options);
}

std::string value(migsafe::platform::Session& session, const std::string& sql)
{
    return session.query_value(sql).value_or("<null>");
}

const ConfiguredRunner k_prisma{.tool = migsafe::adopt::Tool::prisma, .schema = {}, .table = {}};

} // namespace

TEST_CASE("apply --keep-history prisma: Prisma's rows are written with migsafe's, and a "
          "migration Prisma applied but migsafe.history lacks makes apply refuse")
{
    TestDatabase db;
    MigrationDir dir;
    dir.copy_fixture("layouts/prisma");
    dir.seal();
    auto report = apply_dir(db, dir, quick(k_prisma));
    REQUIRE(report.verdict == migsafe::plan::Verdict::pass);
    CHECK(report.applied == 3);
    auto session = db.connect();
    // One finished row per folder, with the SHA-256 of its migration.sql, as
    // `prisma migrate deploy` writes them (tests/db/adopt cites Prisma's source).
    CHECK(value(session, "SELECT string_agg(migration_name, ',' ORDER BY migration_name) FROM "
                         "public._prisma_migrations WHERE finished_at IS NOT NULL AND "
                         "rolled_back_at IS NULL AND applied_steps_count = 1") ==
          "20240101120000_create_patients,20240102090000_add_patients_phone,"
          "20240110080000_index_patients_phone");
    const auto set = migsafe::model::load_migration_set(dir.path());
    for (const auto& migration : set.migrations) {
        CAPTURE(migration.entry_name);
        CHECK(session
                  .query_value("SELECT checksum = encode(sha256(convert_to($1, 'UTF8')), 'hex') "
                               "FROM public._prisma_migrations WHERE migration_name = $2",
                               {migration.up.text, migration.entry_name})
                  .value_or("") == "t");
    }
    CHECK(apply_dir(db, dir, quick(k_prisma)).applied == 0);
    CHECK(value(session, "SELECT count(*) FROM public._prisma_migrations") == "3");

    // Prisma applies a fourth migration on its own; migsafe.history does not know it.
    std::filesystem::create_directories(dir.path() / "20240201000000_add_patients_email");
    dir.write("20240201000000_add_patients_email/migration.sql",
              "ALTER TABLE \"patients\" ADD COLUMN \"email\" TEXT;\n");
    dir.seal();
    session.exec("ALTER TABLE patients ADD COLUMN email text");
    session.exec("INSERT INTO public._prisma_migrations (id, checksum, finished_at, "
                 "migration_name, started_at, applied_steps_count) SELECT "
                 "gen_random_uuid()::text, 'x', now(), '20240201000000_add_patients_email', now(), "
                 "1");
    auto refused = apply_dir(db, dir, quick());
    CHECK(refused.verdict == migsafe::plan::Verdict::fail);
    CHECK(refused.applied == 0);
    REQUIRE(refused.problems.size() == 1);
    CHECK(refused.problems[0].find("migsafe adopt --from prisma") != std::string::npos);
    auto now = status(db.conninfo(), migsafe::model::load_migration_set(dir.path()));
    REQUIRE(now.uncovered.size() == 1);
    CHECK(now.uncovered[0].uncovered == 1);
    CHECK(now.needs_attention());
}

TEST_CASE("apply --keep-history prisma: Prisma's advisory lock held elsewhere stops apply "
          "(exit 3), and apply's blocks Prisma")
{
    TestDatabase db;
    MigrationDir dir;
    dir.copy_fixture("layouts/prisma");
    dir.seal();
    auto prisma = db.connect();
    // The key prisma-engines takes around migrate deploy (tests/db/adopt/test_tool_lock.cpp).
    prisma.exec("SELECT pg_advisory_lock(72707369)");
    try {
        apply_dir(db, dir, quick(k_prisma));
        FAIL("apply ran while Prisma held its lock");
    } catch (const migsafe::Error& error) {
        CHECK(error.code() == "adopt-tool-lock-busy");
        CHECK(migsafe::exit_code_for(error.category()) == 3);
    }
    auto session = db.connect();
    CHECK(value(session, "SELECT to_regclass('public.patients') IS NULL") == "t");
    prisma.exec("SELECT pg_advisory_unlock(72707369)");
    CHECK(apply_dir(db, dir, quick(k_prisma)).applied == 3);
}

TEST_CASE("apply --keep-history dbmate: dbmate's versions as the file names write them")
{
    TestDatabase db;
    MigrationDir dir;
    dir.copy_fixture("layouts/dbmate");
    dir.seal();
    const ConfiguredRunner dbmate{.tool = migsafe::adopt::Tool::dbmate, .schema = {}, .table = {}};
    CHECK(apply_dir(db, dir, quick(dbmate)).applied == 3);
    auto session = db.connect();
    CHECK(value(session,
                "SELECT string_agg(version, ',' ORDER BY version) FROM "
                "public.schema_migrations") == "20240101120000,20240102090000,20240110080000");
    // The no-transaction file's row is there too, written with migsafe's in one transaction.
    CHECK(value(session, "SELECT count(*) FROM migsafe.history h JOIN public.schema_migrations s "
                         "ON s.version = h.version") == "3");
}
