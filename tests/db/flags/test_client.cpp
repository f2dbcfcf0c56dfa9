// The cached client on a real server (docs/flags.md, "Client"): LISTEN, the polling
// fallback, the last-known-good file, and a restart without the database.
#include "support/test_db.hpp"

#include <migsafe/flags/client.hpp>
#include <migsafe/flags/store.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

using namespace migsafe;
using namespace migsafe::flags;

namespace {

const Change k_change{.actor = "alice", .reason = "testing"};

void create(platform::Session& session)
{
    create_flag(session,
                NewFlag{.key = "new-checkout", .owner = "payments", .criteria = "no errors"},
                k_change);
}

/// Waits up to `limit` for `condition`, checking every 5 ms.
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds limit = std::chrono::seconds(5))
{
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        if (condition()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return condition();
}

std::filesystem::path temp_file(const std::string& name)
{
    return std::filesystem::temp_directory_path() /
           ("migsafe-flags-" + std::to_string(::getpid()) + "-" + name);
}

} // namespace

TEST_CASE("flags client: a change reaches a listening client without waiting for a poll")
{
    test::TestDatabase db;
    auto session = db.connect();
    create(session);
    Client client(ClientOptions{.conninfo = db.conninfo(), .poll_interval = std::chrono::hours(1)});
    CHECK(client.source() == SnapshotSource::database);
    CHECK(client.listening());
    CHECK_FALSE(client.is_enabled("new-checkout", {.user_id = "u1"}));

    set_rollout(session, "new-checkout", "production", 100, k_change);
    set_enabled(session, "new-checkout", "production", true, k_change);
    CHECK(eventually([&] { return client.is_enabled("new-checkout", {.user_id = "u1"}); }));
    set_enabled(session, "new-checkout", "production", false, k_change);
    CHECK(eventually([&] { return !client.is_enabled("new-checkout", {.user_id = "u1"}); }));
}

TEST_CASE("flags client: without LISTEN it polls, and sees changes within the interval")
{
    test::TestDatabase db;
    auto session = db.connect();
    create(session);
    Client client(ClientOptions{.conninfo = db.conninfo(),
                                .listen = false,
                                .poll_interval = std::chrono::milliseconds(100)});
    CHECK_FALSE(client.listening());
    set_rollout(session, "new-checkout", "production", 100, k_change);
    set_enabled(session, "new-checkout", "production", true, k_change);
    CHECK(eventually([&] { return client.is_enabled("new-checkout", {.user_id = "u1"}); },
                     std::chrono::seconds(2)));
}

TEST_CASE("flags client: a restart without the database serves the last-known-good file")
{
    test::TestDatabase db;
    auto session = db.connect();
    create(session);
    set_rollout(session, "new-checkout", "production", 100, k_change);
    set_enabled(session, "new-checkout", "production", true, k_change);
    const auto cache = temp_file("lkg.json");
    std::filesystem::remove(cache);
    {
        Client client(ClientOptions{.conninfo = db.conninfo(), .cache_file = cache});
        CHECK(client.is_enabled("new-checkout", {.user_id = "u1"}));
    }
    REQUIRE(std::filesystem::exists(cache));
    struct stat status {};
    REQUIRE(::stat(cache.c_str(), &status) == 0);
    CHECK((status.st_mode & 0777) == 0600);

    // A server nobody listens on: connecting fails at once.
    const std::string unreachable = "host=127.0.0.1 port=1 dbname=x connect_timeout=1";
    {
        Client restarted(ClientOptions{.conninfo = unreachable, .cache_file = cache});
        CHECK(restarted.source() == SnapshotSource::cache_file);
        CHECK(restarted.is_enabled("new-checkout", {.user_id = "u1"}));
    }
    {
        Client defaults(ClientOptions{.conninfo = unreachable});
        CHECK(defaults.source() == SnapshotSource::defaults);
        CHECK_FALSE(defaults.is_enabled("new-checkout", {.user_id = "u1"}));
    }
    {
        std::ofstream(cache) << "{\"format\": 1, \"flags\": [{\"kind\": 7}]}";
        try {
            Client corrupted(ClientOptions{.conninfo = unreachable, .cache_file = cache});
            FAIL("a corrupted cache file was served");
        } catch (const Error& error) {
            CHECK(error.code() == "flag-cache-invalid");
            CHECK(error.message().find(cache.string()) != std::string::npos);
        }
    }
    std::filesystem::remove(cache);
}

TEST_CASE("flags client: the database coming back replaces the cached snapshot")
{
    test::TestDatabase db;
    auto session = db.connect();
    create(session);
    const auto cache = temp_file("back.json");
    {
        Client first(ClientOptions{.conninfo = db.conninfo(), .cache_file = cache});
    }
    // The server is reachable again after the restart: a change made meanwhile is loaded.
    set_rollout(session, "new-checkout", "production", 100, k_change);
    set_enabled(session, "new-checkout", "production", true, k_change);
    Client client(ClientOptions{.conninfo = db.conninfo(), .cache_file = cache});
    CHECK(client.source() == SnapshotSource::database);
    CHECK(client.is_enabled("new-checkout", {.user_id = "u1"}));
    std::filesystem::remove(cache);
}
