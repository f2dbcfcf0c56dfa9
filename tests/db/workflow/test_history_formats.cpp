// migsafe.history across formats and layouts: a table an earlier migsafe created is
// upgraded in place, and Flyway dotted versions, repeatable migrations, dbmate sections and
// Prisma folders apply as their tools would run them.
#include "support/migration_dir.hpp"
#include "support/test_db.hpp"

#include <migsafe/model/migration_set.hpp>
#include <migsafe/platform/session.hpp>
#include <migsafe/workflow/apply.hpp>
#include <migsafe/workflow/history.hpp>
#include <migsafe/workflow/status.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <fstream>

using migsafe::test::MigrationDir;
using migsafe::test::TestDatabase;
using namespace migsafe::workflow;
using namespace std::chrono_literals;

namespace {

ApplyReport apply_dir(const TestDatabase& db, const MigrationDir& dir)
{
    ApplyOptions options;
    options.snapshot = SnapshotPolicy::skip;
    options.retry_pause = 20ms;
    options.lock_timeout = 2s;
    return apply(db.conninfo(), migsafe::model::load_migration_set(dir.path()), options);
}

std::string value(migsafe::platform::Session& session, const std::string& sql)
{
    return session.query_value(sql).value_or("<null>");
}

std::vector<std::string> history_versions(migsafe::platform::Session& session)
{
    std::vector<std::string> out;
    for (const auto& entry : read_history(session)) {
        out.push_back(entry.version.text());
    }
    return out;
}

// The DDL migsafe 0.1 created (numeric versions, three statuses, no provenance).
constexpr const char* k_history_0_1 = R"(
CREATE SCHEMA migsafe;
CREATE TABLE migsafe.history (
    version numeric(20, 0) PRIMARY KEY, name text NOT NULL, file text NOT NULL,
    checksum text NOT NULL, phase text NOT NULL, transactional boolean NOT NULL,
    status text NOT NULL CHECK (status IN ('applied', 'failed', 'partial')),
    statements_total integer NOT NULL, statements_applied integer NOT NULL,
    statement_checksums jsonb NOT NULL DEFAULT '[]', started_at timestamptz NOT NULL,
    finished_at timestamptz, duration_ms bigint NOT NULL DEFAULT 0,
    applied_by text NOT NULL DEFAULT current_user, client_host text NOT NULL DEFAULT '',
    client_user text NOT NULL DEFAULT '', migsafe_version text NOT NULL, run_id text NOT NULL,
    attempts integer NOT NULL DEFAULT 1, snapshot_id text, integrity_before jsonb,
    integrity_after jsonb, objects_before jsonb, backfill jsonb, error text))";

} // namespace

TEST_CASE("history: a table migsafe 0.1 created is upgraded in place and keeps its rows")
{
    TestDatabase db;
    MigrationDir dir;
    dir.copy_fixture("layouts/migsafe");
    dir.seal();
    auto session = db.connect();
    // 0001 and 0002 were applied by migsafe 0.1.
    REQUIRE(apply_dir(db, dir).applied == 3);
    session.exec("DROP SCHEMA migsafe CASCADE");
    session.exec(k_history_0_1);
    session.exec("DROP INDEX patients_phone_idx");
    auto applied = read_history(session);
    REQUIRE(applied.empty());
    // The rows 0.1 wrote for 1 and 2, with the checksums of today's files.
    const auto set = migsafe::model::load_migration_set(dir.path());
    for (int i = 0; i < 2; ++i) {
        session.exec_params(
            "INSERT INTO migsafe.history (version, name, file, checksum, phase, transactional, "
            "status, statements_total, statements_applied, started_at, finished_at, "
            "migsafe_version, run_id) VALUES ($1, $2, $3, $4, 'expand', true, 'applied', 1, 1, "
            "now(), now(), '0.1.0', 'old')",
            {set.migrations[static_cast<std::size_t>(i)].version.text(),
             set.migrations[static_cast<std::size_t>(i)].name,
             set.migrations[static_cast<std::size_t>(i)].up.relative_path,
             file_checksum(set.migrations[static_cast<std::size_t>(i)].up.text)});
    }

    auto report = apply_dir(db, dir);
    CHECK(report.applied == 1); // only 0010: the 0.1 rows still count
    CHECK(value(session,
                "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE "
                "attrelid = 'migsafe.history'::regclass AND attname = 'version'") == "text");
    CHECK(value(session, "SELECT count(*) FROM pg_attribute WHERE attrelid = "
                         "'migsafe.history'::regclass AND attname = 'provenance'") == "1");
    CHECK(value(session, "SELECT pg_get_constraintdef(oid) LIKE '%adopted%' FROM pg_constraint "
                         "WHERE conname = 'history_status_check'") == "t");
    CHECK(history_versions(session) == std::vector<std::string>{"1", "2", "10"});
    CHECK(value(session, "SELECT run_id FROM migsafe.history WHERE version = '2'") == "old");
    // A second upgrade is a no-op, and a new table is created in the new form.
    CHECK(apply_dir(db, dir).applied == 0);
    CHECK(history_versions(session) == std::vector<std::string>{"1", "2", "10"});
}

TEST_CASE("history: Flyway dotted versions apply in Flyway's order; a changed repeatable runs "
          "again, a changed versioned file is drift")
{
    TestDatabase db;
    MigrationDir dir;
    dir.copy_fixture("layouts/flyway-dotted");
    dir.seal();
    auto report = apply_dir(db, dir);
    CHECK(report.applied == 7);
    auto session = db.connect();
    CHECK(history_versions(session) == std::vector<std::string>{"1", "1.2", "1.9", "1.10", "2",
                                                                "R__a_patient_count",
                                                                "R__patient_names"});
    CHECK(value(session, "SELECT count(*) FROM information_schema.columns WHERE table_name = "
                         "'patients'") == "5");

    // The repeatable view changes: it is pending again and only it runs.
    dir.write("R__patient_names.sql",
              "CREATE OR REPLACE VIEW patient_names AS SELECT id, name, phone FROM patients;\n");
    dir.seal();
    auto now = status(db.conninfo(), migsafe::model::load_migration_set(dir.path()));
    const auto* line = now.find(*migsafe::model::Version::parse("R__patient_names"));
    REQUIRE(line != nullptr);
    CHECK(line->state == MigrationState::pending);
    CHECK(line->detail == "R__patient_names.sql changed since it last ran: it runs again");
    CHECK_FALSE(now.needs_attention());
    auto again = apply_dir(db, dir);
    CHECK(again.applied == 1);
    CHECK(value(session, "SELECT count(*) FROM information_schema.columns WHERE table_name = "
                         "'patient_names'") == "3");
    CHECK(apply_dir(db, dir).applied == 0);

    // A versioned file edited after it ran is drift, as before.
    dir.write("V1.10__add_patients_city.sql", "ALTER TABLE patients ADD COLUMN town text;\n");
    dir.seal();
    auto drifted = apply_dir(db, dir);
    CHECK(drifted.verdict == migsafe::plan::Verdict::fail);
    CHECK(drifted.applied == 0);
}

TEST_CASE("history: a dbmate file applies its up section only; Prisma folders apply")
{
    TestDatabase db;
    MigrationDir dir;
    dir.copy_fixture("layouts/dbmate");
    dir.seal();
    auto report = apply_dir(db, dir);
    CHECK(report.applied == 3);
    auto session = db.connect();
    // Run whole, the file would have dropped the table again.
    CHECK(value(session, "SELECT to_regclass('public.patients') IS NOT NULL") == "t");
    CHECK(value(session, "SELECT count(*) FROM information_schema.columns WHERE table_name = "
                         "'patients' AND column_name = 'phone'") == "1");
    CHECK(value(session, "SELECT indisvalid FROM pg_index WHERE indexrelid = "
                         "'patients_phone_idx'::regclass") == "t");
    auto history = read_history(session);
    REQUIRE(history.size() == 3);
    CHECK(history[2].transactional == false); // `transaction:false`
    CHECK(history[0].file == "20240101120000_create_patients.sql");

    TestDatabase prisma_db;
    MigrationDir prisma;
    prisma.copy_fixture("layouts/prisma");
    prisma.seal();
    CHECK(apply_dir(prisma_db, prisma).applied == 3);
    auto prisma_session = prisma_db.connect();
    CHECK(history_versions(prisma_session) ==
          std::vector<std::string>{"20240101120000", "20240102090000", "20240110080000"});
}
