// workflow::drill: restore into an ephemeral cluster or a given database, compare, record.
#include "db/snapshot/snapshot_fixtures.hpp"

#include <migsafe/platform/error.hpp>
#include <migsafe/platform/session.hpp>
#include <migsafe/snapshot/create.hpp>
#include <migsafe/snapshot/store.hpp>
#include <migsafe/workflow/drill.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>

using namespace migsafe::snapshot;
using migsafe::test::TestDatabase;
using migsafe::test::snapshot::EmptyDatabase;
using migsafe::test::snapshot::fill_source;
using migsafe::test::snapshot::TempDir;
using migsafe::workflow::drill;

namespace {

std::vector<nlohmann::json> drill_lines(const std::filesystem::path& store)
{
    std::ifstream in(store / "drills.jsonl");
    std::vector<nlohmann::json> lines;
    for (std::string line; std::getline(in, line);) {
        lines.push_back(nlohmann::json::parse(line));
    }
    return lines;
}

} // namespace

TEST_CASE("workflow::drill of a good snapshot into an ephemeral cluster passes and is recorded")
{
    migsafe::test::require_local_postgres();
    TestDatabase source;
    auto session = source.connect();
    fill_source(session, 1000);
    TempDir dir;
    auto created = create(source.conninfo(), dir.path());
    auto record = drill(dir.path(), "latest", {.cluster = migsafe::test::cluster_options()});
    CHECK(record.passed);
    CHECK(record.differences.empty());
    CHECK(record.snapshot_id == created.manifest.id);
    CHECK(record.target == "ephemeral");
    CHECK(record.rto_ms == record.restore_ms + record.verify_ms);
    CHECK(record.restore_ms > 0);
    CHECK(record.rpo_s >= 0);
    CHECK(record.rpo_s < 600);
    CHECK(record.size == created.manifest.total_size());
    auto lines = drill_lines(dir.path());
    REQUIRE(lines.size() == 1);
    CHECK(lines[0]["passed"] == true);
    CHECK(lines[0]["snapshot_id"] == created.manifest.id);
    CHECK(lines[0]["rto_ms"] == record.rto_ms);
    auto listed = list(dir.path());
    REQUIRE(listed.size() == 1);
    REQUIRE(listed[0].last_drill);
    CHECK(listed[0].last_drill->passed);
    CHECK(listed[0].verified_level == 3);
}

TEST_CASE("workflow::drill whose restored data was altered fails naming the tables")
{
    TestDatabase source;
    auto session = source.connect();
    fill_source(session, 1000);
    TempDir dir;
    create(source.conninfo(), dir.path());
    EmptyDatabase target;
    auto record =
        drill(dir.path(), "latest",
              {.target = target.conninfo(), .before_compare = [](const std::string& conn) {
                   auto restored = migsafe::platform::Session::connect(conn);
                   restored.exec("UPDATE items SET note = 'tampered' WHERE id = 7;"
                                 "DELETE FROM notes WHERE id = 3");
               }});
    CHECK_FALSE(record.passed);
    CHECK(record.tables_differing == std::vector<std::string>{"public.items", "public.notes"});
    REQUIRE(record.differences.size() == 2);
    CHECK(record.differences[0].describe().starts_with("public.items: "));
    auto lines = drill_lines(dir.path());
    REQUIRE(lines.size() == 1);
    CHECK(lines[0]["passed"] == false);
    CHECK(lines[0]["tables_differing"].size() == 2);
    CHECK(list(dir.path())[0].last_drill->passed == false);
}

TEST_CASE("workflow::drill of a damaged snapshot records a failed drill and throws")
{
    TestDatabase source;
    auto session = source.connect();
    fill_source(session, 100);
    TempDir dir;
    auto created = create(source.conninfo(), dir.path());
    std::filesystem::remove(created.path / created.manifest.files.front().stored_name);
    EmptyDatabase target;
    try {
        drill(dir.path(), created.manifest.id, {.target = target.conninfo()});
        FAIL("expected snapshot-corrupt");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "snapshot-corrupt");
        CHECK(e.message() == "snapshot " + created.manifest.id + ": " +
                                 created.manifest.files.front().stored_name + " is missing");
    }
    auto lines = drill_lines(dir.path());
    REQUIRE(lines.size() == 1);
    CHECK(lines[0]["passed"] == false);
    CHECK(lines[0]["error"].get<std::string>().starts_with("snapshot-corrupt: snapshot "));
}
