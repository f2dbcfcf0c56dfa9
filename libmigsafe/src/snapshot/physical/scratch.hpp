#pragma once
// Private: a physical snapshot restored into a scratch cluster and recovered: what verify
// level 2 and the drill both start from.

#include <migsafe/platform/cluster.hpp>
#include <migsafe/snapshot/engine.hpp>
#include <migsafe/snapshot/manifest.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace migsafe::snapshot::detail {

/// A recovered scratch cluster and how long it took to get there.
struct Scratch {
    platform::EphemeralCluster cluster;
    std::chrono::milliseconds restore{0};  ///< the engine's file restore
    std::chrono::milliseconds recovery{0}; ///< server start until recovery ended
};

/// How to start one.
struct ScratchOptions {
    RecoveryTarget target{};
    std::optional<PgBackRestSettings> pgbackrest{};
    std::chrono::milliseconds timeout{std::chrono::minutes(30)};
    /// Called with the restored data directory before the server starts (tests).
    std::function<void(const std::filesystem::path&)> before_start{};
    platform::ClusterOptions cluster{};
};

/// Restores `manifest`'s backup (snapshot folder `snapshot_dir`) into a new ephemeral
/// cluster, starts it and waits until recovery has ended. Throws `cluster-start-failed`
/// (the server did not start, died or did not finish recovering within the timeout; the
/// message quotes the server log's last lines) and what the engine's restore throws.
Scratch start_scratch(const std::filesystem::path& snapshot_dir, const Manifest& manifest,
                      const ScratchOptions& options);

} // namespace migsafe::snapshot::detail
