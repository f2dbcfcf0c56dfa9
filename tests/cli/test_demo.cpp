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
    // The static plan of the fixtures: they hold risky changes on purpose.
    CHECK(report["plan_verdict"] == "fail");
    CHECK(report["trace_compared"].get<int>() >= 15);
    CHECK(report["trace_agreed"].get<int>() > 0);
    bool blocking_index = false;
    for (const auto& m : report["migrations"]) {
        for (const auto& s : m["statements"]) {
            for (const auto& f : s["findings"]) {
                blocking_index = blocking_index || f == "MS-IDX-01 error";
            }
        }
    }
    CHECK(blocking_index);
    // apply in four runs, as releases are deployed: every migration applied once, the
    // backfill in batches, the contract steps in runs of their own.
    REQUIRE(report["runs"].size() == 4);
    CHECK(report["runs"][1]["phase"] == "expand");
    CHECK(report["runs"][2]["phase"] == "contract");
    // Before the last run (it reaches 0012), the cut-over gate: refused, the flag turned
    // fully on, passed (judged a week later, which the demo says).
    const auto& gate = report["gate"];
    REQUIRE(gate.size() == 5);
    CHECK(gate[0] ==
          "created flag professionals-display-name (cut-over, owner podiatry team), off");
    CHECK(gate[1].get<std::string>().starts_with(
        "apply refused: 0012_contract_professionals_full_name.sql:4: flag "
        "professionals-display-name is not fully on in production: never turned on there"));
    CHECK(gate[2] == "turned flag professionals-display-name fully on in production (100 %), "
                     "reason: every reader uses display_name since release 5");
    CHECK(gate[3].get<std::string>().starts_with(
        "the contract asks for on-for=7d: the demo judges the gate at "));
    CHECK(gate[4].get<std::string>().starts_with(
        "gate passes: flag professionals-display-name in production: fully on since "));
    CHECK(gate[4].get<std::string>().ends_with("(7d), needs 7d"));
    CHECK(report["pending_after"] == 0);
    int applied = 0;
    for (const auto& run : report["runs"]) {
        applied += run["applied"].get<int>();
    }
    CHECK(applied == static_cast<int>(report["migrations"].size()));
    CHECK(report["migrations"][5]["backfill_rows"] == 2500);
    CHECK(report["migrations"][5]["backfill_batches"].get<int>() >= 2);
    // verify before and after the seed: every table but professionals (2,500 rows before
    // the backfill) went from 0 rows to some; migsafe's own history is not scanned.
    REQUIRE(report["tables"].size() >= 4);
    for (const auto& table : report["tables"]) {
        CAPTURE(table["table"]);
        CHECK(table["rows_before"] == (table["table"] == "public.professionals" ? 2500 : 0));
        CHECK(table["rows_after"].get<int>() > table["rows_before"].get<int>());
    }
    CHECK(report["verify_differences"].size() == report["tables"].size());
    // The backup steps: a snapshot verified at level 2 and a passing drill.
    CHECK_FALSE(report["snapshot_id"].get<std::string>().empty());
    CHECK(report["snapshot_verified_level"] == 2);
    CHECK(report["drill_passed"] == true);
    // The gate the next release meets: everything applied, a fresh snapshot, a passing
    // drill, a healthy database.
    CHECK(report["check_verdict"] == "pass");
    REQUIRE(report["check_items"].size() == 7);
    for (const auto& item : report["check_items"]) {
        CAPTURE(item);
        CHECK(item.get<std::string>().starts_with("pass "));
    }
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
    // Interrupted at two moments: while initdb runs (a child process writing into the
    // directory), and while a migration runs on the started server.
    for (std::string moment : {"initdb", "migration"}) {
        CAPTURE(moment);
        ScratchTmp tmp("sigterm");
        auto fixtures = tmp.dir / "set";
        fs::create_directories(fixtures);
        std::ofstream(fixtures / "0001_sleep.sql") << "SELECT pg_sleep(30);\n";
        REQUIRE(run_cli({"sum", fixtures.string()}).exit_code == 0);
        int pid = migsafe::test::spawn_cli({"demo", "--fixtures", fixtures.string()},
                                           {{"TMPDIR", tmp.dir.string()}});
        auto reached = [&] {
            for (const auto& entry : fs::directory_iterator(tmp.dir)) {
                if (entry.path().filename().string().rfind("migsafe-cluster-", 0) != 0) {
                    continue;
                }
                if (moment == "initdb") {
                    return fs::exists(entry.path() / "data" / "PG_VERSION");
                }
                std::ifstream log(entry.path() / "server.log");
                std::string text((std::istreambuf_iterator<char>(log)), {});
                return text.find("ready to accept connections") != std::string::npos;
            }
            return false;
        };
        bool ready = false;
        for (int i = 0; i < 600 && !ready; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            ready = reached();
        }
        REQUIRE(ready);
        if (moment == "migration") {
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
        }
        ::kill(pid, SIGTERM);
        CHECK(migsafe::test::wait_cli(pid) == 143);
        CHECK(tmp.entries() == 1); // only the fixture set is left
    }
}
