// Restoring a physical snapshot's files into a scratch data directory, with the recovery
// settings of the target. The scratch server itself is platform::EphemeralCluster's
// (`ClusterOptions::populate`), which overrides port, socket, hba and archiving.
#include "snapshot/layout.hpp"
#include "snapshot/physical/pgbackrest.hpp"
#include "snapshot/physical/physical.hpp"

#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

namespace migsafe::snapshot::detail {

void restore_physical(const std::filesystem::path& snapshot_dir, const Manifest& manifest,
                      const std::optional<PgBackRestSettings>& pgbackrest,
                      const RecoveryTarget& target, const std::filesystem::path& data_dir,
                      const std::string& /*os_user*/)
{
    if (manifest.engine == "pgbackrest") {
        pgbackrest::restore(pgbackrest_settings(manifest, pgbackrest), manifest.physical->label,
                            data_dir, target);
        return;
    }
    if (!target.latest()) {
        throw Error("usage-invalid-option",
                    fmt::format("snapshot {} is a basebackup: it holds only the WAL of its own "
                                "backup, so it recovers to {} and no other point",
                                manifest.id, manifest.physical->stop_lsn),
                    {.object = target.time.empty() ? "--target-lsn" : "--target-time"},
                    "drill a pgbackrest snapshot (its archive has the WAL) for a point in time");
    }
    // The copy is the restore: the backup's backup_label makes the server replay the
    // streamed WAL in pg_wal until the backup is consistent, then start.
    std::filesystem::copy(snapshot_dir / k_data_dir, data_dir,
                          std::filesystem::copy_options::recursive);
    std::filesystem::remove(data_dir / "backup_manifest");
}

} // namespace migsafe::snapshot::detail
