#include "cli_runner.hpp"
#include "support/test_db.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

using migsafe::test::run_cli;
namespace fs = std::filesystem;

namespace {

/// A private TMPDIR, so a test sees exactly the cluster directories its command made.
struct ScratchTmp {
    fs::path dir;
    explicit ScratchTmp(const std::string& tag)
    {
        dir = fs::temp_directory_path() / ("migsafe-cli-" + tag + "-" + std::to_string(::getpid()));
        fs::remove_all(dir);
        fs::create_directories(dir);
        fs::permissions(dir, fs::perms::all); // the server's unprivileged user writes here
    }
    ~ScratchTmp() { fs::remove_all(dir); }
    ScratchTmp(const ScratchTmp&) = delete;
    ScratchTmp& operator=(const ScratchTmp&) = delete;

    int entries() const { return static_cast<int>(std::distance(fs::directory_iterator(dir), {})); }
};

} // namespace

TEST_CASE("migsafe demo applies the podiatry set on an ephemeral cluster and removes it")
{
    migsafe::test::require_local_postgres();
    ScratchTmp tmp("demo");
    auto result = run_cli({"demo", "--json"}, {{"TMPDIR", tmp.dir.string()}});
    CAPTURE(result.err);
    REQUIRE(result.exit_code == 0);
    auto doc = nlohmann::json::parse(result.out);
    const auto& report = doc["report"];
    CHECK(doc["status"] == "pass");
    CHECK(report["server_version"].get<int>() >= 150000);
    CHECK(report["sum_file_matches"] == true);
    REQUIRE(report["migrations"].size() >= 10);
    CHECK(report["migrations"][0]["version"] == 1);
    CHECK(report["migrations"][0]["statements"][0]["kind"] == "create_table");
    CHECK(report["migrations"][0]["statements"][0]["line"].get<int>() >= 1);
    CHECK(report["cluster_dir"].is_null());
    CHECK(tmp.entries() == 0);
}

TEST_CASE("migsafe demo without PostgreSQL binaries exits 3 with a hint naming the package")
{
    ScratchTmp tmp("nobin");
    auto result =
        run_cli({"demo"}, {{"MIGSAFE_PG_BINDIR", tmp.dir.string()}, {"TMPDIR", tmp.dir.string()}});
    CHECK(result.exit_code == 3);
    CHECK(result.err.find("[binary-not-found]") != std::string::npos);
    CHECK(result.err.find("postgresql-15") != std::string::npos);
    CHECK(tmp.entries() == 0);
}

TEST_CASE("migsafe demo --keep keeps the cluster directory and says where")
{
    migsafe::test::require_local_postgres();
    ScratchTmp tmp("keep");
    auto result = run_cli({"demo", "--keep"}, {{"TMPDIR", tmp.dir.string()}});
    REQUIRE(result.exit_code == 0);
    REQUIRE(tmp.entries() == 1);
    auto kept = *fs::directory_iterator(tmp.dir);
    CHECK(result.out.find(kept.path().string()) != std::string::npos);
    CHECK(fs::exists(kept.path() / "server.log"));
}

TEST_CASE("migsafe demo interrupted by SIGTERM stops the server, removes it and exits 143")
{
    migsafe::test::require_local_postgres();
    ScratchTmp tmp("sigterm");
    // A slow seed keeps the demo busy after the server is up.
    auto fixtures = tmp.dir / "set";
    fs::create_directories(fixtures);
    {
        std::ofstream(fixtures / "0001_sleep.sql") << "SELECT pg_sleep(30);\n";
    }
    REQUIRE(run_cli({"sum", fixtures.string()}).exit_code == 0);
    int pid = migsafe::test::spawn_cli({"demo", "--fixtures", fixtures.string()},
                                       {{"TMPDIR", tmp.dir.string()}});
    // Wait until the server runs (its pid file exists), then interrupt.
    bool running = false;
    for (int i = 0; i < 300 && !running; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        for (const auto& entry : fs::directory_iterator(tmp.dir)) {
            running = running || fs::exists(entry.path() / "data" / "postmaster.pid");
        }
    }
    REQUIRE(running);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ::kill(pid, SIGTERM);
    CHECK(migsafe::test::wait_cli(pid) == 143);
    CHECK(tmp.entries() == 1); // only the fixture set is left
}
