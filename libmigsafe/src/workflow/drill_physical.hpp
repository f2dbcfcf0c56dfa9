#pragma once
// Private: the drill of a physical snapshot (docs/snapshot.md, "Physical drills").

#include <migsafe/snapshot/manifest.hpp>
#include <migsafe/workflow/drill.hpp>

#include <filesystem>

namespace migsafe::workflow::detail {

/// Restores, recovers and checks `manifest`'s backup (snapshot folder `snapshot_dir`),
/// filling `record`. A server that does not start or recover is a failed drill (`error`,
/// `server_log_tail`), not an exception; other failures set `error` and throw.
void drill_physical(const std::filesystem::path& snapshot_dir, const snapshot::Manifest& manifest,
                    const DrillOptions& options, DrillRecord& record);

} // namespace migsafe::workflow::detail
