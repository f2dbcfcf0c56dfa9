// The pgbackrest engine end to end through migsafe's own API: snapshot create into a
// stanza with archiving, the merged listing, verify catching a corrupted repository file,
// and physical drills to the latest point and to a time before a DROP TABLE.
#include "db/snapshot/snapshot_fixtures.hpp"
#include "support/pgbackrest_stanza.hpp"
#include "support/test_db.hpp"

#include <migsafe/platform/session.hpp>
#include <migsafe/snapshot/create.hpp>
#include <migsafe/snapshot/store.hpp>
#include <migsafe/snapshot/verify.hpp>
#include <migsafe/workflow/drill.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <thread>

using namespace migsafe::snapshot;
using migsafe::test::PgBackRestStanza;
using migsafe::test::snapshot::TempDir;
namespace platform = migsafe::platform;

namespace {

bool contains(const std::vector<std::string>& list, const std::string& item)
{
    return std::find(list.begin(), list.end(), item) != list.end();
}

/// Switches to a new WAL segment and waits until the archiver has pushed the old one, so
/// that everything committed so far is in the repository.
void archive_now(platform::Session& session)
{
    auto segment = session.query_value("SELECT pg_walfile_name(pg_switch_wal())").value_or("");
    for (int i = 0; i < 300; ++i) {
        auto archived =
            session.query_value("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver")
                .value_or("");
        if (archived >= segment) {
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL("WAL segment " << segment << " was not archived within 30 s");
}

} // namespace

TEST_CASE("pgbackrest drill: full and incremental snapshots, listed with the stanza's own "
          "backups; a drill to the latest point and one to a time before a DROP TABLE, which "
          "brings the table back; the scratch cluster never archives")
{
    migsafe::test::require_local_postgres();
    if (!PgBackRestStanza::available()) {
        return;
    }
    PgBackRestStanza stanza;
    auto settings = stanza.settings();
    auto conninfo = stanza.cluster().conninfo("postgres");
    auto session = platform::Session::connect(conninfo);
    session.exec("CREATE TABLE orders (id int PRIMARY KEY, total numeric NOT NULL);"
                 "INSERT INTO orders SELECT g, g * 1.5 FROM generate_series(1, 2000) g;"
                 "CREATE TABLE audit (id int, note text);"
                 "INSERT INTO audit SELECT g, 'n' || g FROM generate_series(1, 300) g");
    TempDir store;
    settings.backup_type = "full";
    auto full =
        create(conninfo, store.path(), {.engine = Engine::pgbackrest, .pgbackrest = settings});
    REQUIRE(full.manifest.physical);
    CHECK(full.manifest.engine == "pgbackrest");
    CHECK(full.manifest.physical->backup_type == "full");
    CHECK(full.manifest.physical->stanza == "main");
    CHECK(full.manifest.engine_version == "2.45");
    CHECK(full.manifest.physical->size > 0);

    session.exec("INSERT INTO orders SELECT g, g FROM generate_series(2001, 2100) g");
    settings.backup_type = "incr";
    auto incr =
        create(conninfo, store.path(), {.engine = Engine::pgbackrest, .pgbackrest = settings});
    CHECK(incr.manifest.physical->backup_type == "incr");
    CHECK(incr.manifest.physical->prior == full.manifest.physical->label);

    // A backup taken by pgBackRest itself (a cron job) is listed too, as not migsafe's.
    stanza.run_as_owner("pgbackrest", {"--config=" + stanza.config_file().string(), "--stanza=main",
                                       "--type=incr", "backup"});
    auto listed = list(store.path(), {.pgbackrest = settings});
    REQUIRE(listed.size() == 3);
    CHECK(listed[0].managed);
    CHECK(listed[1].managed);
    CHECK_FALSE(listed[2].managed);
    CHECK(listed[2].engine == "pgbackrest");
    CHECK(listed[2].system_identifier == full.manifest.source.system_identifier);
    CHECK(list(store.path()).size() == 2); // without the stanza: the store alone

    CHECK(verify(store.path(), incr.manifest.id, {.level = 1, .pgbackrest = settings}).passed());

    // After the snapshot: rows added to orders, a point in time, then audit dropped.
    session.exec("INSERT INTO orders VALUES (5000, 1)");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto before_drop = session
                           .query_value("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', "
                                        "'YYYY-MM-DD HH24:MI:SS.US') || '+00'")
                           .value_or("");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    session.exec("DROP TABLE audit");
    archive_now(session);

    std::string archive_mode;
    auto latest = migsafe::workflow::drill(
        store.path(), incr.manifest.id,
        {.cluster = migsafe::test::cluster_options(),
         .before_compare =
             [&archive_mode](const std::string& restored) {
                 auto scratch = platform::Session::connect(restored);
                 archive_mode = scratch.query_value("SHOW archive_mode").value_or("");
             },
         .pgbackrest = settings,
         .before_start =
             [](const std::filesystem::path& data) {
                 // As if the restore had kept the source's archiving: the
                 // scratch server must still not archive (its own settings
                 // come after and win).
                 std::ofstream(data / "postgresql.auto.conf", std::ios::app)
                     << "archive_mode = on\n";
             }});
    CHECK_MESSAGE(latest.passed, latest.to_json_line());
    CHECK(latest.engine == "pgbackrest");
    CHECK(latest.catalog == "changed-after-report");
    CHECK(contains(latest.tables_dropped, "public.audit"));
    CHECK(contains(latest.tables_written_after, "public.orders"));
    CHECK(latest.differences.empty());
    CHECK_FALSE(latest.last_commit_at.empty());
    CHECK(latest.recovery_ms > 0);
    CHECK(archive_mode == "off");
    // Promoted onto timeline 2, but nothing of it reached the repository.
    auto archive_dir = stanza.repository() / "archive" / "main";
    bool timeline_2 = false;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(archive_dir)) {
        timeline_2 = timeline_2 || entry.path().filename().string().starts_with("00000002");
    }
    CHECK_FALSE(timeline_2);

    auto point = migsafe::workflow::drill(store.path(), incr.manifest.id,
                                          {.cluster = migsafe::test::cluster_options(),
                                           .recovery = {.time = before_drop},
                                           .pgbackrest = settings});
    CHECK_MESSAGE(point.passed, point.to_json_line());
    CHECK(point.target_time == before_drop);
    CHECK(point.catalog == "match"); // audit is back
    CHECK(point.tables_dropped.empty());
    CHECK(contains(point.tables_written_after, "public.orders"));
    CHECK(point.tables_compared == 1); // audit, equal to the report
    CHECK(point.last_commit_at < latest.last_commit_at);
}

TEST_CASE("pgbackrest drill: a corrupted repository file fails verify level 1 through migsafe")
{
    migsafe::test::require_local_postgres();
    if (!PgBackRestStanza::available()) {
        return;
    }
    PgBackRestStanza stanza;
    auto settings = stanza.settings();
    auto conninfo = stanza.cluster().conninfo("postgres");
    auto session = platform::Session::connect(conninfo);
    session.exec(
        "CREATE TABLE t AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 20000) g");
    TempDir store;
    settings.backup_type = "full";
    auto created =
        create(conninfo, store.path(), {.engine = Engine::pgbackrest, .pgbackrest = settings});
    auto backup_dir = stanza.repository() / "backup" / "main" / created.manifest.physical->label;
    std::filesystem::path victim;
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(backup_dir / "pg_data" / "base")) {
        if (entry.is_regular_file() && entry.file_size() > 4096) {
            victim = entry.path();
            break;
        }
    }
    REQUIRE(!victim.empty());
    stanza.run_as_owner("dd", {"if=/dev/zero", "of=" + victim.string(), "bs=1", "seek=200",
                               "count=16", "conv=notrunc"});
    auto report = verify(store.path(), created.manifest.id, {.level = 1, .pgbackrest = settings});
    CHECK_FALSE(report.passed());
    REQUIRE_FALSE(report.mismatches.empty());
    CHECK(report.mismatches[0].kind == "backup-invalid");
    CHECK_MESSAGE(report.mismatches[0].file.find(victim.filename().string()) != std::string::npos,
                  report.mismatches[0].describe());
}
