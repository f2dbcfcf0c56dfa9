// `migsafe rehearse` as a CI runs it: the podiatry fixtures on the embedded ephemeral
// cluster (one line per migration, exit 0, a JUnit file that validates), a set with a wrong
// down file (exit 1, named), a deployed --db (exit 2), and SIGINT (exit 130, the cluster
// removed).
#include "cli_runner.hpp"
#include "support/migration_dir.hpp"
#include "support/shell.hpp"
#include "support/test_db.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;
using migsafe::test::MigrationDir;
using migsafe::test::run_cli;
using migsafe::test::TestDatabase;

namespace {

const fs::path k_fixtures = MIGSAFE_FIXTURES_DIR;

/// A directory of its own under the temp folder, removed afterwards.
struct TempDir {
    fs::path path;
    TempDir()
    {
        std::string pattern = (fs::temp_directory_path() / "migsafe-cli-rehearse-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path = pattern;
    }
    ~TempDir()
    {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

} // namespace

TEST_CASE("migsafe rehearse: the podiatry fixtures rehearse on the embedded cluster")
{
    TempDir tmp;
    const auto junit = tmp.path / "rehearse.xml";
    auto result = run_cli({"rehearse", "--dir", (k_fixtures / "podiatry").string(), "--rows", "20",
                           "--junit", junit.string()});
    CAPTURE(result.err);
    CHECK(result.exit_code == 0);
    // One line per migration, then the verdict.
    for (const auto* name : {"0001  create_professionals", "0006  backfill_display_name",
                             "0013  clinic_opening_hours"}) {
        CHECK(result.out.find(name) != std::string::npos);
    }
    CHECK(result.out.find("rehearsed 13 migrations") != std::string::npos);
    CHECK(result.out.find("verdict pass") != std::string::npos);
    // The migsafe layout has no down files: said, not failed.
    CHECK(result.out.find("the migsafe layout has no down files") != std::string::npos);

    REQUIRE(fs::exists(junit));
    const auto validation =
        migsafe::test::run_shell("xmllint --noout --schema '" + std::string(MIGSAFE_SOURCE_DIR) +
                                 "/tests/schemas/junit-10.xsd' '" + junit.string() + "' 2>&1");
    CAPTURE(validation.output);
    CHECK(validation.status == 0);
}

TEST_CASE("migsafe rehearse: a wrong down file fails the run and is named; --format json")
{
    MigrationDir dir;
    dir.copy_fixture("rehearse/shop");
    dir.write("0005_orders_status_check.down.sql",
              "ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_status_chk;\n");
    dir.seal();
    auto text = run_cli({"rehearse", "--dir", dir.str(), "--rows", "20", "--no-interrupt"});
    CAPTURE(text.err);
    CHECK(text.exit_code == 1);
    CHECK(text.out.find("0005_orders_status_check.down.sql") != std::string::npos);
    CHECK(text.out.find("orders_status_check") != std::string::npos);
    CHECK(text.out.find("verdict fail") != std::string::npos);

    auto json = run_cli({"rehearse", "--dir", dir.str(), "--rows", "20", "--no-interrupt",
                         "--no-compensation", "--format", "json"});
    CHECK(json.exit_code == 1);
    const auto doc = nlohmann::json::parse(json.out);
    CHECK(doc["command"] == "rehearse");
    const auto& migrations = doc["report"]["migrations"];
    REQUIRE(migrations.size() == 7);
    CHECK(migrations[4]["down"]["status"] == "failed");
    CHECK(migrations[4]["compensation"]["status"] == "skipped");
}

TEST_CASE("migsafe rehearse: --db holding migrations is refused with exit 2")
{
    TestDatabase db;
    MigrationDir dir;
    dir.copy_fixture("rehearse/shop");
    auto applied =
        run_cli({"apply", "--db", db.conninfo(), "--dir", dir.str(), "--to", "2", "--no-snapshot"});
    REQUIRE(applied.exit_code == 0);
    auto result = run_cli({"rehearse", "--db", db.conninfo(), "--dir", dir.str()});
    CHECK(result.exit_code == 2);
    CHECK(result.err.find("rehearse-not-scratch") != std::string::npos);
    CHECK(result.err.find("--i-know-this-is-a-scratch-database") != std::string::npos);
}

TEST_CASE("migsafe rehearse: SIGINT removes the cluster it started and exits 130")
{
    TempDir tmp;
    // The server runs as an unprivileged user when the tests run as root: it must reach
    // its directory inside this one.
    fs::permissions(tmp.path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                  fs::perms::others_read | fs::perms::others_exec);
    MigrationDir dir;
    dir.copy_fixture("rehearse/shop");
    // 500 rows: the backfill's 20 batches are 20 interruptions, a rehearsal of many seconds.
    TempDir logs;
    const int pid =
        migsafe::test::spawn_cli_to({"rehearse", "--dir", dir.str(), "--rows", "500"}, "/dev/null",
                                    logs.path / "err", {{"TMPDIR", tmp.path.string()}});
    // Wait until the cluster directory is there (its content belongs to the server's
    // user), then let the rehearsal get under way.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    bool started = false;
    while (!started && std::chrono::steady_clock::now() < deadline) {
        for (const auto& entry : fs::directory_iterator(tmp.path)) {
            started = started || entry.path().filename().string().rfind("migsafe-cluster-", 0) == 0;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE(started);
    std::this_thread::sleep_for(std::chrono::seconds(3));
    ::kill(pid, SIGINT);
    const int status = migsafe::test::wait_cli(pid);
    std::ifstream err_file(logs.path / "err");
    std::stringstream err;
    err << err_file.rdbuf();
    CAPTURE(err.str());
    CHECK(status == 130);
    CHECK(err.str().find("rehearse-interrupted") != std::string::npos);
    std::vector<std::string> left;
    for (const auto& entry : fs::directory_iterator(tmp.path)) {
        left.push_back(entry.path().filename().string());
    }
    CAPTURE(left.size());
    CHECK(left.empty());
}
