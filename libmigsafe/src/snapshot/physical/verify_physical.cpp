// Level 1 of a physical snapshot: the engine's own check. For basebackup the snapshot's
// manifest records the hash of pg_basebackup's backup_manifest, which records a checksum
// of every file: a chain from migsafe's self-hashed manifest to every byte.
#include "platform/zstd_file.hpp"
#include "snapshot/layout.hpp"
#include "snapshot/physical/basebackup.hpp"
#include "snapshot/physical/pgbackrest.hpp"
#include "snapshot/physical/physical.hpp"

#include <migsafe/platform/pg_binaries.hpp>

namespace migsafe::snapshot::detail {

std::vector<Mismatch> verify_physical(const std::filesystem::path& snapshot_dir,
                                      const Manifest& manifest,
                                      const std::optional<PgBackRestSettings>& pgbackrest)
{
    if (manifest.engine == "pgbackrest") {
        return pgbackrest::verify(pgbackrest_settings(manifest, pgbackrest),
                                  manifest.physical->label);
    }
    std::vector<Mismatch> out;
    for (const auto& file : manifest.files) {
        auto path = snapshot_dir / file.stored_name;
        if (!std::filesystem::is_regular_file(path)) {
            out.push_back({.kind = "missing-file", .file = file.stored_name});
            continue;
        }
        auto [hash, size] = platform::hash_file(path);
        if (hash != file.content_hash || size != file.size) {
            out.push_back({.kind = "hash",
                           .file = file.stored_name,
                           .expected = file.content_hash.to_hex(),
                           .actual = hash.to_hex()});
        }
    }
    if (!out.empty()) {
        return out; // pg_verifybackup would trust a manifest that is itself not the one recorded
    }
    auto binaries = platform::find_pg_binaries({.required = {"pg_verifybackup"}});
    return basebackup::verify(snapshot_dir / k_data_dir, binaries);
}

} // namespace migsafe::snapshot::detail
