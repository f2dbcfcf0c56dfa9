// Restore, start, wait for the end of recovery.
#include "snapshot/physical/scratch.hpp"

#include "platform/catalog/health_queries.hpp"
#include "platform/logging.hpp"
#include "snapshot/physical/physical.hpp"

#include <migsafe/platform/error.hpp>
#include <migsafe/platform/session.hpp>

#include <fmt/format.h>

#include <thread>
#include <vector>

namespace migsafe::snapshot::detail {
namespace {

using Steady = std::chrono::steady_clock;

std::chrono::milliseconds since(Steady::time_point start)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - start);
}

/// Polls until the server has left recovery (promoted at its target or at the end of
/// the WAL), or throws `cluster-start-failed` with the log's tail.
void wait_for_recovery_end(platform::EphemeralCluster& cluster, std::chrono::milliseconds timeout,
                           Steady::time_point started)
{
    for (;;) {
        std::string problem;
        try {
            auto session = platform::Session::connect(cluster.conninfo(),
                                                      {.application_name = "migsafe drill"});
            if (!platform::catalog::in_recovery(session)) {
                return;
            }
        } catch (const Error& e) {
            problem = e.message();
        }
        if (!problem.empty() && !std::filesystem::exists(cluster.data_dir() / "postmaster.pid")) {
            cluster.keep();
            throw Error("cluster-start-failed",
                        fmt::format("the restored server stopped during recovery ({}); server "
                                    "log {} ends with:\n{}",
                                    problem, cluster.log_path().string(), cluster.log_tail(15)));
        }
        if (since(started) > timeout) {
            cluster.keep();
            throw Error("cluster-start-failed",
                        fmt::format("the restored server did not finish recovering within {} s; "
                                    "server log {} ends with:\n{}",
                                    timeout.count() / 1000, cluster.log_path().string(),
                                    cluster.log_tail(15)));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

} // namespace

Scratch start_scratch(const std::filesystem::path& snapshot_dir, const Manifest& manifest,
                      const ScratchOptions& options)
{
    auto cluster_options = options.cluster;
    cluster_options.start_timeout = options.timeout;
    auto restore_started = Steady::now();
    std::chrono::milliseconds restore{0};
    std::optional<Steady::time_point> server_started;
    cluster_options.populate = [&](const std::filesystem::path& data, const std::string& os_user) {
        restore_physical(snapshot_dir, manifest, options.pgbackrest, options.target, data, os_user);
        if (options.before_start) {
            options.before_start(data);
        }
        restore = since(restore_started);
        server_started = Steady::now();
    };
    auto cluster = platform::EphemeralCluster::start(cluster_options);
    wait_for_recovery_end(cluster, options.timeout, *server_started);
    auto recovery = since(*server_started);
    migsafe::detail::log_info("snapshot {}: restored in {} ms, recovered in {} ms", manifest.id,
                              restore.count(), recovery.count());
    return {.cluster = std::move(cluster), .restore = restore, .recovery = recovery};
}

} // namespace migsafe::snapshot::detail
