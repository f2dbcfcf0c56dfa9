// `migsafe snapshot create` killed with SIGKILL: nothing incomplete is ever listed, no
// pg_dump is left running on the database, and the next create works.
#include "cli_runner.hpp"
#include "support/test_db.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

using migsafe::test::run_cli;
using migsafe::test::spawn_cli;
using migsafe::test::TestDatabase;
using migsafe::test::wait_cli;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

/// A store folder removed at the end of the scope.
struct Store {
    fs::path path;
    explicit Store(const std::string& tag)
        : path(fs::temp_directory_path() /
               ("migsafe-cli-kill-" + tag + "-" + std::to_string(::getpid())))
    {
        fs::remove_all(path);
        fs::create_directories(path);
        fs::permissions(path, fs::perms::owner_all);
    }
    ~Store()
    {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;
};

long pg_dump_backends(const TestDatabase& db, const std::string& extra = "")
{
    return std::stol(db.connect()
                         .query_value("SELECT count(*) FROM pg_stat_activity WHERE "
                                      "datname = current_database() AND application_name = "
                                      "'pg_dump'" +
                                      extra)
                         .value_or("0"));
}

/// How many processes of this machine have `fragment` in their command line (pg_dump's
/// names the store folder it writes into).
int processes_mentioning(const std::string& fragment)
{
    int count = 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/proc", ec)) {
        std::ifstream in(entry.path() / "cmdline", std::ios::binary);
        std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (cmdline.find("pg_dump") != std::string::npos &&
            cmdline.find(fragment) != std::string::npos) {
            ++count;
        }
    }
    return count;
}

/// Waits up to `limit` for `pred`; returns whether it came true.
template <typename Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit)
{
    auto deadline = Clock::now() + limit;
    while (Clock::now() < deadline) {
        if (pred()) {
            return true;
        }
        std::this_thread::sleep_for(20ms);
    }
    return pred();
}

/// The names in the store folder, for failure messages.
std::string store_entries(const Store& store)
{
    std::string names;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(store.path, ec)) {
        names += entry.path().filename().string() + " ";
    }
    return names;
}

nlohmann::json listed(const Store& store)
{
    auto result = run_cli({"snapshot", "list", "--store", store.path.string(), "--json"});
    REQUIRE(result.exit_code == 0);
    return nlohmann::json::parse(result.out)["report"];
}

} // namespace

TEST_CASE("migsafe snapshot create killed at any moment lists nothing and the next one works")
{
    TestDatabase db;
    db.connect().exec("CREATE TABLE visits (id bigint PRIMARY KEY, note text NOT NULL);"
                      "INSERT INTO visits SELECT g, md5(g::text) || repeat('v', g % 90) "
                      "FROM generate_series(1, 150000) g;");
    Store measured("measure");
    auto started = Clock::now();
    auto first =
        run_cli({"snapshot", "create", "--db", db.conninfo(), "--store", measured.path.string()});
    REQUIRE(first.exit_code == 0);
    auto full = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    MESSAGE("an uninterrupted create takes " << full.count() << " ms");

    Store store("points");
    int completed = 0;
    for (int percent : {3, 20, 40, 60, 80, 97}) {
        CAPTURE(percent);
        int pid = spawn_cli(
            {"snapshot", "create", "--db", db.conninfo(), "--store", store.path.string()});
        std::this_thread::sleep_for(full * percent / 100);
        ::kill(pid, SIGKILL);
        int status = wait_cli(pid);
        CAPTURE(status);
        CHECK((status == 128 + SIGKILL || status == 0));
        completed += status == 0 ? 1 : 0;
        // The pg_dump of a killed run dies with it (it would otherwise go on reading). Its
        // -j workers, which have no parent-death signal, leave once they see the leader's
        // pipe close, after the table they are dumping: on a loaded machine that takes a
        // while, hence the generous limit (the loop ends as soon as they are gone).
        CHECK(eventually([&] { return processes_mentioning(store.path.string()) == 0; }, 30s));
        CHECK(eventually([&] { return pg_dump_backends(db) == 0; }, 30s));
        auto snapshots = listed(store);
        CAPTURE(snapshots.dump());
        CAPTURE(store_entries(store));
        if (status != 0 && snapshots.size() == static_cast<std::size_t>(completed + 1)) {
            // Killed after its snapshot went into place (the last rename), before it exited:
            // a whole snapshot, which must verify; never a partial one.
            auto whole = run_cli({"snapshot", "verify", "--store", store.path.string(), "latest"});
            CAPTURE(whole.err);
            CHECK(whole.exit_code == 0);
            ++completed;
        }
        CHECK(snapshots.size() == static_cast<std::size_t>(completed));
    }

    auto next = run_cli(
        {"snapshot", "create", "--db", db.conninfo(), "--store", store.path.string(), "--json"});
    CAPTURE(next.err);
    REQUIRE(next.exit_code == 0);
    auto verified = run_cli({"snapshot", "verify", "--store", store.path.string(), "latest"});
    CHECK(verified.exit_code == 0);
    CHECK(listed(store).size() == static_cast<std::size_t>(completed + 1));

    // What the killed runs left is removed by prune, and only that.
    auto pruned = run_cli({"snapshot", "prune", "--store", store.path.string(), "--json"});
    CAPTURE(pruned.err);
    CHECK(pruned.exit_code == 0);
    auto report = nlohmann::json::parse(pruned.out)["report"];
    CAPTURE(pruned.out);
    CAPTURE(store_entries(store));
    CHECK(report["removed"].empty());
    for (const auto& entry : fs::directory_iterator(store.path)) {
        CHECK_FALSE(entry.path().filename().string().starts_with(".tmp-"));
    }
    CHECK(listed(store).size() == static_cast<std::size_t>(completed + 1));
}

TEST_CASE("migsafe snapshot create killed while pg_dump waits for a lock leaves no pg_dump")
{
    TestDatabase db;
    db.connect().exec("CREATE TABLE visits (id bigint PRIMARY KEY)");
    auto holder = db.connect();
    holder.exec("BEGIN; LOCK TABLE visits IN ACCESS EXCLUSIVE MODE");
    Store store("lock");
    int pid = spawn_cli({"snapshot", "create", "--db", db.conninfo(), "--store",
                         store.path.string(), "--lock-wait-timeout", "120s"});
    REQUIRE(eventually([&] { return pg_dump_backends(db, " AND wait_event_type = 'Lock'") == 1; },
                       20s));
    REQUIRE(processes_mentioning(store.path.string()) >= 1);
    ::kill(pid, SIGKILL);
    CHECK(wait_cli(pid) == 128 + SIGKILL);
    // Without the parent-death signal this pg_dump would wait out its 120 s. (Its server
    // backend, blocked in the lock queue, only notices the closed connection once the lock
    // is granted or times out: PostgreSQL does not read the socket during a lock wait.)
    CHECK(eventually([&] { return processes_mentioning(store.path.string()) == 0; }, 30s));
    holder.exec("ROLLBACK");
    CHECK(eventually([&] { return pg_dump_backends(db) == 0; }, 30s));
    CHECK(listed(store).empty());
}

TEST_CASE("migsafe snapshot create behind a held lock exits 3 naming the table")
{
    TestDatabase db;
    db.connect().exec("CREATE TABLE visits (id bigint PRIMARY KEY)");
    auto holder = db.connect();
    holder.exec("BEGIN; LOCK TABLE visits IN ACCESS EXCLUSIVE MODE");
    Store store("timeout");
    auto result = run_cli({"snapshot", "create", "--db", db.conninfo(), "--store",
                           store.path.string(), "--lock-wait-timeout", "300ms"});
    CHECK(result.exit_code == 3);
    CHECK(result.err.find("public.visits") != std::string::npos);
    CHECK(result.err.find("[db-lock-timeout]") != std::string::npos);
    holder.exec("ROLLBACK");
    CHECK(listed(store).empty());

    auto verify = run_cli({"verify", "--db", db.conninfo(), "--lock-timeout", "0s"});
    CHECK(verify.exit_code == 2);
    CHECK(verify.err.find("--lock-timeout") != std::string::npos);
}
