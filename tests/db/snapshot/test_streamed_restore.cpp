// The streamed restore: data files fed to pg_restore through named pipes as it reads them,
// tables announced once loaded, and the drill's reads of loaded tables.
#include "db/snapshot/snapshot_fixtures.hpp"
#include "workflow/drill_loaded_scans.hpp"

#include <migsafe/integrity/verify.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/session.hpp>
#include <migsafe/snapshot/create.hpp>
#include <migsafe/snapshot/restore.hpp>
#include <migsafe/workflow/drill.hpp>

#include <doctest/doctest.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <mutex>
#include <set>
#include <thread>

using namespace migsafe::snapshot;
using migsafe::test::TestDatabase;
using migsafe::test::snapshot::EmptyDatabase;
using migsafe::test::snapshot::fill_source;
using migsafe::test::snapshot::TempDir;

namespace {

/// The largest stored file of a snapshot: a table's data.
const ManifestFile& largest_data_file(const Manifest& manifest)
{
    const ManifestFile* largest = nullptr;
    for (const auto& file : manifest.files) {
        if (file.name != "toc.dat" && (largest == nullptr || file.size > largest->size)) {
            largest = &file;
        }
    }
    REQUIRE(largest != nullptr);
    return *largest;
}

} // namespace

TEST_CASE("snapshot::restore streams the data into pg_restore, names each table once loaded, "
          "and gives an equal database")
{
    TestDatabase source;
    auto session = source.connect();
    fill_source(session, 2000);
    TempDir dir;
    auto created = create(source.conninfo(), dir.path());
    EmptyDatabase target;
    std::mutex mutex;
    std::set<std::string> loaded;
    auto result = restore(dir.path(), created.manifest.id, target.conninfo(),
                          {.ownership = Ownership::skip,
                           .check_first = false,
                           .table_loaded = [&](const std::string& schema, const std::string& name) {
                               std::lock_guard lock(mutex);
                               CHECK(loaded.insert(schema + "." + name).second); // once each
                           }});
    CAPTURE(fmt::format("{}", fmt::join(loaded, ",")));
    CHECK(loaded == std::set<std::string>{"public.empty_table", "public.events_2024",
                                          "public.events_2025", "public.fixture", "public.items",
                                          "public.notes"});
    CHECK(result.unpack.count() == 0); // nothing checked up front, nothing unpacked to disk
    CHECK(result.restore >= result.data);
    CHECK(result.restore.count() >= result.pre_data.count() + result.post_data.count());
    auto restored = migsafe::integrity::scan(target.conninfo());
    CHECK(migsafe::integrity::diff(created.manifest.integrity, restored).empty());
}

TEST_CASE("snapshot::restore without the check first finds a corrupt data file while pg_restore "
          "reads it: snapshot-corrupt naming the file, not pg_restore's error")
{
    TestDatabase source;
    auto session = source.connect();
    fill_source(session, 2000);
    TempDir dir;
    auto created = create(source.conninfo(), dir.path());
    const auto& victim = largest_data_file(created.manifest);
    auto path = created.path / victim.stored_name;
    {
        std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(static_cast<std::streamoff>(victim.stored_size / 2));
        file.put('\x5a');
        file.seekp(static_cast<std::streamoff>(victim.stored_size / 2 + 1));
        file.put('\x7e');
    }
    for (bool check_first : {false, true}) {
        CAPTURE(check_first);
        EmptyDatabase target;
        try {
            restore(dir.path(), created.manifest.id, target.conninfo(),
                    {.ownership = Ownership::skip, .check_first = check_first});
            FAIL("expected snapshot-corrupt");
        } catch (const migsafe::Error& e) {
            CHECK(e.code() == "snapshot-corrupt");
            CHECK(e.message().find(victim.stored_name) != std::string::npos);
        }
        if (check_first) { // checked before pg_restore started: the target stays empty
            auto conn = migsafe::platform::Session::connect(target.conninfo());
            CHECK(conn.query("SELECT count(*) FROM pg_class WHERE relname = 'items'")
                      .rows.at(0)
                      .at(0) == "0");
        }
    }
}

TEST_CASE("the drill's read of a loaded table waits for the loader's commit, and a read that "
          "cannot happen leaves the table to the final scan")
{
    TestDatabase db;
    auto session = db.connect();
    session.exec("CREATE TABLE loading (id int PRIMARY KEY, v text);"
                 "CREATE TABLE \"odd*name\" (id int)");
    migsafe::integrity::IntegrityReport expected;
    expected.tables = {{.schema = "public", .name = "loading"},
                       {.schema = "public", .name = "odd*name"},
                       {.schema = "public", .name = "missing"}};
    migsafe::workflow::detail::LoadedTableScans scans(db.conninfo(), expected,
                                                      std::chrono::seconds(30));
    // A loader like pg_restore's COPY: rows sent, not yet committed.
    auto loader = db.connect();
    loader.exec("BEGIN; INSERT INTO loading SELECT g, 'v' FROM generate_series(1, 500) g");
    scans.loaded("public", "loading");
    scans.loaded("public", "odd*name"); // a glob character: not read early
    scans.loaded("public", "missing");  // not in the database: the read fails, no error
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    loader.exec("COMMIT");
    auto read = scans.finish();
    REQUIRE(read.size() == 1);
    CHECK(read[0].name == "loading");
    CHECK(read[0].checksum.rows == 500); // read after the commit, not an empty table
}

TEST_CASE("workflow::drill records the restore's split: data, post-data, unpack and the reads "
          "overlapped with the restore")
{
    TestDatabase source;
    auto session = source.connect();
    fill_source(session, 2000);
    TempDir dir;
    auto created = create(source.conninfo(), dir.path());
    EmptyDatabase target;
    auto record =
        migsafe::workflow::drill(dir.path(), created.manifest.id, {.target = target.conninfo()});
    CHECK(record.passed);
    CHECK(record.data_ms > 0);
    CHECK(record.rto_ms == record.restore_ms + record.verify_ms);
    CHECK(record.restore_ms >= record.data_ms + record.post_data_ms);
    std::ifstream in(dir.path() / "drills.jsonl");
    std::string line;
    std::getline(in, line);
    auto json = nlohmann::json::parse(line);
    for (const char* key : {"data_ms", "post_data_ms", "unpack_ms", "overlapped_verify_ms"}) {
        CAPTURE(key);
        CHECK(json.contains(key));
    }
}
