// Benchmark of the flags client (issue 13), two parts in one run:
//   eval: evaluations per second on one core, through Client::is_enabled (the snapshot's
//         hash lookup, its decision, and MurmurHash3 for a partial rollout), beside the
//         physical limit named by the issue: a bare MurmurHash3 of GROUP:ID plus one
//         unordered_map lookup per evaluation, in the same loop shape.
//   propagation: CLIENTS listening clients; for each of CHANGES changes, the time from
//         just before the change's call (its commit is inside) until every client serves
//         a snapshot with it; p50, p99 and max.
// Usage: migsafe-flags-bench CONNINFO [FLAGS=500] [CLIENTS=8] [CHANGES=200]
// The database is the store to use; bench/flags/run.sh makes one.
#include <migsafe/flags/bucket.hpp>
#include <migsafe/flags/client.hpp>
#include <migsafe/flags/store.hpp>
#include <migsafe/platform/session.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

using namespace migsafe;
using Steady = std::chrono::steady_clock;

namespace {

double seconds_since(Steady::time_point start)
{
    return std::chrono::duration<double>(Steady::now() - start).count();
}

void make_flags(platform::Session& session, int count)
{
    if (!flags::list_flags(session, true).empty()) {
        return;
    }
    const flags::Change change{.actor = "bench", .reason = "bench"};
    for (int i = 0; i < count; ++i) {
        char key[32];
        std::snprintf(key, sizeof key, "bench-%04d", i);
        flags::create_flag(session, {.key = key, .owner = "bench", .criteria = "bench"}, change);
        flags::set_enabled(session, key, "production", true, change);
        // Most flags at a partial rollout: the costly case (a hash per evaluation).
        flags::set_rollout(session, key, "production", i % 4 == 0 ? 100 : 1 + i % 99, change);
    }
}

void bench_eval(const std::string& conninfo, int flag_count)
{
    flags::Client client({.conninfo = conninfo, .poll_interval = std::chrono::hours(1)});
    std::vector<std::string> keys;
    for (int i = 0; i < flag_count; ++i) {
        char key[32];
        std::snprintf(key, sizeof key, "bench-%04d", i);
        keys.emplace_back(key);
    }
    std::vector<std::string> users;
    for (int i = 0; i < 4096; ++i) {
        users.push_back("user-" + std::to_string(i * 7919));
    }
    constexpr long k_evaluations = 20'000'000;
    long on = 0;
    auto start = Steady::now();
    for (long i = 0; i < k_evaluations; ++i) {
        on += client.is_enabled(keys[static_cast<std::size_t>(i) % keys.size()],
                                {.user_id = users[static_cast<std::size_t>(i) & 4095]})
                  ? 1
                  : 0;
    }
    const double client_rate = static_cast<double>(k_evaluations) / seconds_since(start);

    // The limit: one hash of GROUP:ID and one map lookup, nothing else.
    std::unordered_map<std::string, int> rollout;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        rollout.emplace(keys[i], static_cast<int>(i % 100));
    }
    long limit_on = 0;
    start = Steady::now();
    for (long i = 0; i < k_evaluations; ++i) {
        const std::string& key = keys[static_cast<std::size_t>(i) % keys.size()];
        const int percentage = rollout.find(key)->second;
        limit_on +=
            flags::normalized_value(users[static_cast<std::size_t>(i) & 4095], key) <= percentage
                ? 1
                : 0;
    }
    const double limit_rate = static_cast<double>(k_evaluations) / seconds_since(start);
    std::printf("eval: %d flags, %ld evaluations on one thread\n", flag_count, k_evaluations);
    std::printf("eval: client    %.2f M/s (%.0f ns each; %ld on)\n", client_rate / 1e6,
                1e9 / client_rate, on);
    std::printf("eval: hash+map  %.2f M/s (%.0f ns each; %ld on)  <- the limit\n", limit_rate / 1e6,
                1e9 / limit_rate, limit_on);
    std::printf("eval: client / limit = %.2f\n", client_rate / limit_rate);
}

void bench_propagation(const std::string& conninfo, int client_count, int changes)
{
    std::vector<std::atomic<std::int64_t>> seen(static_cast<std::size_t>(client_count));
    std::vector<std::unique_ptr<flags::Client>> clients;
    for (int c = 0; c < client_count; ++c) {
        auto& slot = seen[static_cast<std::size_t>(c)];
        clients.push_back(std::make_unique<flags::Client>(flags::ClientOptions{
            .conninfo = conninfo,
            .poll_interval = std::chrono::seconds(30),
            .on_refresh = [&slot](const flags::Snapshot& s) { slot.store(s.generation()); }}));
        slot.store(clients.back()->snapshot()->generation());
        if (!clients.back()->listening()) {
            std::printf("propagation: client %d is not listening\n", c);
            std::exit(1);
        }
    }
    auto writer = platform::Session::connect(conninfo);
    std::vector<double> latencies;
    const flags::Change change{.actor = "bench", .reason = "bench"};
    for (int i = 0; i < changes; ++i) {
        const auto start = Steady::now();
        flags::set_rollout(writer, "bench-0001", "production", i % 2 == 0 ? 40 : 60, change);
        const std::int64_t target = flags::store_generation(writer);
        for (auto& slot : seen) {
            while (slot.load() < target) {
                std::this_thread::yield();
                if (seconds_since(start) > 10) {
                    std::printf("propagation: a client did not see change %d in 10 s\n", i);
                    std::exit(1);
                }
            }
        }
        latencies.push_back(seconds_since(start) * 1000);
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    std::sort(latencies.begin(), latencies.end());
    const auto at = [&](double q) {
        return latencies[std::min(
            latencies.size() - 1,
            static_cast<std::size_t>(q * static_cast<double>(latencies.size())))];
    };
    std::printf(
        "propagation: %d listening clients, %d changes: p50 %.2f ms, p99 %.2f ms, max %.2f ms "
        "(goal: p99 under 50 ms)\n",
        client_count, changes, at(0.5), at(0.99), latencies.back());
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: migsafe-flags-bench CONNINFO [FLAGS] [CLIENTS] [CHANGES]\n");
        return 2;
    }
    const std::string conninfo = argv[1];
    const int flag_count = argc > 2 ? std::atoi(argv[2]) : 500;
    const int client_count = argc > 3 ? std::atoi(argv[3]) : 8;
    const int changes = argc > 4 ? std::atoi(argv[4]) : 200;
    {
        auto session = platform::Session::connect(conninfo);
        make_flags(session, flag_count);
    }
    bench_eval(conninfo, flag_count);
    bench_propagation(conninfo, client_count, changes);
    return 0;
}
