// `migsafe snapshot create --engine ...` and `migsafe drill` on physical snapshots from the
// command line: the text a DBA reads, the exit codes of bad engine options and of a missing
// pgbackrest, and `drill --if-older-than`.
#include "cli_runner.hpp"
#include "support/test_db.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <filesystem>

using migsafe::test::run_cli;
using migsafe::test::TestDatabase;
namespace fs = std::filesystem;

namespace {

/// A store folder of its own, removed at the end of the scope.
struct Store {
    fs::path path =
        fs::temp_directory_path() / ("migsafe-cli-engines-" + std::to_string(::getpid()));
    Store() { fs::remove_all(path); }
    ~Store()
    {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

} // namespace

TEST_CASE("migsafe snapshot create --engine basebackup, list, drill, then drill --if-older-than "
          "skips while that drill is recent")
{
    TestDatabase db;
    db.connect().exec("CREATE TABLE visits (id bigint PRIMARY KEY, note text);"
                      "INSERT INTO visits SELECT g, 'visit ' || g FROM generate_series(1, 2000) g");
    Store store;
    auto created = run_cli({"snapshot", "create", "--db", db.conninfo(), "--store",
                            store.path.string(), "--engine", "basebackup"});
    CAPTURE(created.err);
    REQUIRE(created.exit_code == 0);
    CHECK(created.out.find("with basebackup: full backup") != std::string::npos);
    CHECK(created.out.find("the catalog and") != std::string::npos);

    auto listed = run_cli({"snapshot", "list", "--store", store.path.string()});
    CHECK(listed.exit_code == 0);
    CHECK(listed.out.find(" basebackup ") != std::string::npos);

    auto skipped_none =
        run_cli({"drill", "--store", store.path.string(), "--if-older-than", "90d"});
    CAPTURE(skipped_none.err);
    CHECK(skipped_none.exit_code == 0);
    CHECK(skipped_none.out.find("drill of basebackup snapshot") != std::string::npos);
    CHECK(skipped_none.out.find("passed") != std::string::npos);
    CHECK(skipped_none.out.find("recovery") != std::string::npos);

    auto skipped =
        run_cli({"drill", "--store", store.path.string(), "--if-older-than", "90d", "--json"});
    CHECK(skipped.exit_code == 0);
    auto report = nlohmann::json::parse(skipped.out)["report"];
    CHECK(report["skipped"] == true);
    CHECK(report["last_drill"]["rto_ms"].get<long>() > 0);

    // `check` counts a physical snapshot and its drill like any other.
    auto migrations = store.path.string() + "-migrations";
    fs::create_directories(migrations);
    auto checked =
        run_cli({"check", "--db", db.conninfo(), "--store", store.path.string(), "--dir",
                 migrations, "--max-snapshot-age", "1h", "--max-drill-age", "1h", "--json"});
    CAPTURE(checked.out);
    int counted = 0;
    auto check_report = nlohmann::json::parse(checked.out);
    for (const auto& item : check_report["report"]["items"]) {
        if (item["name"] == "snapshot" || item["name"] == "drill") {
            CHECK_MESSAGE(item["status"] == "pass", item.dump());
            ++counted;
        }
    }
    CHECK(counted == 2);
    fs::remove_all(migrations);

    auto refused = run_cli(
        {"drill", "--store", store.path.string(), "--target-time", "2026-12-06 10:00:00+00"});
    CHECK(refused.exit_code == 2);
    CHECK(refused.err.find("basebackup") != std::string::npos);
}

TEST_CASE("migsafe snapshot create --engine pgbackrest: no stanza is exit 2, a missing pgbackrest "
          "exit 3 with the apt-get hint, and nothing is stored")
{
    TestDatabase db;
    Store store;
    auto no_stanza = run_cli({"snapshot", "create", "--db", db.conninfo(), "--store",
                              store.path.string(), "--engine", "pgbackrest"});
    CHECK(no_stanza.exit_code == 2);
    CHECK(no_stanza.err.find("--pgbackrest-stanza") != std::string::npos);

    auto bad_engine = run_cli({"snapshot", "create", "--db", db.conninfo(), "--store",
                               store.path.string(), "--engine", "pg_basebackup"});
    CHECK(bad_engine.exit_code == 2);

    // A PATH without pgbackrest (the PostgreSQL programs are found by their own search).
    auto missing =
        run_cli({"snapshot", "create", "--db", db.conninfo(), "--store", store.path.string(),
                 "--engine", "pgbackrest", "--pgbackrest-stanza", "main"},
                {{"PATH", "/nonexistent-bin"}});
    CAPTURE(missing.err);
    CHECK(missing.exit_code == 3);
    CHECK(missing.err.find("apt-get install pgbackrest") != std::string::npos);
    auto listed = run_cli({"snapshot", "list", "--store", store.path.string(), "--json"});
    CHECK(nlohmann::json::parse(listed.out)["report"].empty());
}
