#pragma once

#include <migsafe/export.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace migsafe::snapshot {

/// Whether `prune` removes anything.
enum class DryRun { no, yes };

/// Which snapshots to keep. Fill it with designated initializers.
struct PruneOptions {
    int keep = 0;                         ///< keep the newest N (0: no count limit)
    std::chrono::milliseconds max_age{0}; ///< remove older ones (0: no age limit)
    DryRun dry_run = DryRun::no;          ///< only report what would go
};

/// What `prune` removed (or would remove) and kept.
struct PruneResult {
    std::vector<std::string> removed{}; ///< ids, oldest first
    std::vector<std::string> kept{};    ///< ids, oldest first
    /// Left-overs removed (or that would be): unfinished snapshot folders (`.tmp-*`) whose
    /// `snapshot create` was killed, and folders of an interrupted prune (`.trash-*`).
    std::vector<std::string> abandoned{};

    /// JSON object {removed: [...], kept: [...], abandoned: [...]}.
    MIGSAFE_API std::string to_json(int indent = 2) const;
};

/// Removes the snapshots of `store` beyond the newest `keep` or older than `max_age`, but
/// never the newest verified one (a level >= 1 verify or a passing drill recorded), nor
/// the newest snapshot when none is verified. Also removes what killed runs left: a
/// `.tmp-*` folder whose creating process (on this host) is gone, or that nothing wrote to
/// for 24 hours, and `.trash-*` folders. A snapshot is first renamed out of the
/// listing, then deleted. Throws `store-invalid`, `usage-invalid-option` (negative keep),
/// `io-write-failed`.
MIGSAFE_API PruneResult prune(const std::filesystem::path& store, const PruneOptions& options);

} // namespace migsafe::snapshot
