// The basebackup engine: pg_basebackup into the store, pg_verifybackup as level 1, a
// restore that starts as level 2, and the physical drill (restore, recover, checks).
#include "db/snapshot/snapshot_fixtures.hpp"

#include <migsafe/platform/error.hpp>
#include <migsafe/platform/session.hpp>
#include <migsafe/snapshot/create.hpp>
#include <migsafe/snapshot/store.hpp>
#include <migsafe/snapshot/verify.hpp>
#include <migsafe/workflow/drill.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>

using namespace migsafe::snapshot;
using migsafe::test::TestDatabase;
using migsafe::test::snapshot::fill_source;
using migsafe::test::snapshot::TempDir;

namespace {

/// The first regular file of at least 8 kB under `dir` (a relation's data file).
std::filesystem::path some_data_file(const std::filesystem::path& dir)
{
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        if (entry.is_regular_file() && entry.file_size() >= 8192) {
            return entry.path();
        }
    }
    return {};
}

} // namespace

TEST_CASE("basebackup: a snapshot records the engine, its WAL range and the catalog, verifies "
          "at levels 1 and 2, is listed, and drills")
{
    migsafe::test::require_local_postgres();
    TestDatabase source;
    auto session = source.connect();
    fill_source(session, 500);
    TempDir dir;
    auto created = create(source.conninfo(), dir.path(), {.engine = Engine::basebackup});
    const auto& m = created.manifest;
    CHECK(m.engine == "basebackup");
    CHECK(m.schema_version == 2);
    CHECK(m.engine_version.starts_with("pg_basebackup (PostgreSQL) "));
    REQUIRE(m.physical);
    CHECK(m.physical->backup_type == "full");
    CHECK(m.physical->timeline == 1);
    CHECK(!m.physical->start_lsn.empty());
    CHECK(m.physical->wal_start.size() == 24);
    CHECK(!m.physical->report_lsn.empty());
    CHECK(m.physical->report_xmin > 0);
    CHECK(m.physical->catalog.find("\"public.items\"") != std::string::npos);
    CHECK(m.source.system_identifier ==
          session.query_value("SELECT system_identifier::text FROM pg_control_system()"));
    CHECK(m.integrity.find_table("public.items") != nullptr);
    CHECK(std::filesystem::exists(created.path / "data" / "backup_manifest"));
    // The manifest reads back to the same value.
    CHECK(read_manifest(dir.path(), m.id) == m);

    auto listed = list(dir.path());
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].engine == "basebackup");
    CHECK(listed[0].size == m.physical->size);

    CHECK(verify(dir.path(), "latest", {.level = 1}).passed());
    auto level2 = verify(dir.path(), "latest", {.level = 2});
    CHECK(level2.passed());
    CHECK(level2.level_reached == 2);

    // A write after the snapshot is not in a basebackup's restore (it ends at the backup).
    session.exec("INSERT INTO notes (body) VALUES ('after the backup')");
    auto record = migsafe::workflow::drill(
        dir.path(), "latest",
        {.cluster = migsafe::test::cluster_options(), .heap_all_indexed = true});
    CHECK_MESSAGE(record.passed, record.to_json_line());
    CHECK(record.engine == "basebackup");
    CHECK(record.catalog == "match");
    CHECK(record.tables_compared == static_cast<std::int64_t>(m.integrity.tables.size()));
    CHECK(record.tables_written_after.empty());
    CHECK(record.amcheck_problems.empty());
    CHECK(record.rto_ms == record.restore_ms + record.recovery_ms + record.verify_ms);
    CHECK(record.recovery_ms > 0);
    auto line = nlohmann::json::parse(record.to_json_line());
    CHECK(line["engine"] == "basebackup");
    CHECK(line["catalog"] == "match");
    CHECK(list(dir.path())[0].last_drill->passed);
}

TEST_CASE("basebackup: a flipped byte in a backed-up file fails level 1 through pg_verifybackup, "
          "naming the file")
{
    migsafe::test::require_local_postgres();
    TestDatabase source;
    auto session = source.connect();
    fill_source(session, 300);
    TempDir dir;
    auto created = create(source.conninfo(), dir.path(), {.engine = Engine::basebackup});
    auto file = some_data_file(created.path / "data" / "base");
    REQUIRE(!file.empty());
    {
        std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
        f.seekg(100);
        char byte = 0;
        f.read(&byte, 1);
        byte = static_cast<char>(byte ^ 0x5a);
        f.seekp(100);
        f.write(&byte, 1);
    }
    auto report = verify(dir.path(), "latest", {.level = 1});
    CHECK_FALSE(report.passed());
    CHECK(report.level_reached == 0);
    REQUIRE(report.mismatches.size() >= 1);
    CHECK(report.mismatches[0].kind == "backup-invalid");
    auto relative = std::filesystem::relative(file, created.path).generic_string();
    CHECK_MESSAGE(report.mismatches[0].file == relative, report.mismatches[0].describe());
    CHECK(report.mismatches[0].actual.find("checksum") != std::string::npos);

    // The recorded hash of backup_manifest guards the manifest pg_verifybackup trusts.
    std::ofstream(created.path / "data" / "backup_manifest", std::ios::app) << " ";
    auto again = verify(dir.path(), "latest", {.level = 1});
    REQUIRE(again.mismatches.size() == 1);
    CHECK(again.mismatches[0].kind == "hash");
    CHECK(again.mismatches[0].file == "data/backup_manifest");
}

TEST_CASE("basebackup: a drill whose restored server does not start is a failed drill with the "
          "server log's last lines; a point in time is refused")
{
    migsafe::test::require_local_postgres();
    TestDatabase source;
    auto session = source.connect();
    fill_source(session, 100);
    TempDir dir;
    create(source.conninfo(), dir.path(), {.engine = Engine::basebackup, .integrity = false});

    auto record = migsafe::workflow::drill(
        dir.path(), "latest",
        {.cluster = migsafe::test::cluster_options(),
         .before_start = [](const std::filesystem::path& data) {
             // As if the source preloaded a library the drill's machine lacks.
             std::ofstream(data / "postgresql.conf", std::ios::app)
                 << "\nshared_preload_libraries = 'migsafe_missing_library'\n";
         }});
    CHECK_FALSE(record.passed);
    CHECK(record.error.starts_with("cluster-start-failed: "));
    CHECK_MESSAGE(record.server_log_tail.find("migsafe_missing_library") != std::string::npos,
                  record.server_log_tail);
    auto listed = list(dir.path());
    REQUIRE(listed[0].last_drill);
    CHECK_FALSE(listed[0].last_drill->passed);

    try {
        migsafe::workflow::drill(dir.path(), "latest",
                                 {.cluster = migsafe::test::cluster_options(),
                                  .recovery = {.time = "2026-12-06 10:00:00+00"}});
        FAIL("a basebackup drill to a point in time must be refused");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "usage-invalid-option");
        CHECK(e.context().object == "--target-time");
        CHECK(std::string(e.message()).find("basebackup") != std::string::npos);
    }
}
