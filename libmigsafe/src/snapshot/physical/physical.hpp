#pragma once
// Private: the physical engines (basebackup, pgbackrest) behind snapshot create, verify
// and the drill (docs/snapshot.md, "Engines").

#include <migsafe/snapshot/create.hpp>
#include <migsafe/snapshot/engine.hpp>
#include <migsafe/snapshot/manifest.hpp>
#include <migsafe/snapshot/verify.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace migsafe::snapshot::detail {

/// Takes a physical snapshot into the unfinished folder `temp`: the report point (WAL
/// position, catalog, optionally a scan, in one exported snapshot) before and during the
/// backup, then the engine's backup and its own check. Writes both manifests. Throws what
/// `snapshot::create` documents.
Manifest build_physical(const platform::ConnInfo& conninfo, const std::filesystem::path& temp,
                        const std::string& id, const CreateOptions& options);

/// The pgBackRest settings for a snapshot: `given`'s, with the manifest's stanza and
/// configuration file where `given` leaves them empty.
PgBackRestSettings pgbackrest_settings(const Manifest& manifest,
                                       const std::optional<PgBackRestSettings>& given);

/// Level 1 of a physical snapshot: the engine's own check (pg_verifybackup against the
/// stored backup manifest, whose hash the snapshot's manifest records; `pgbackrest
/// verify`). Mismatches, never exceptions, for what is wrong with the backup.
std::vector<Mismatch> verify_physical(const std::filesystem::path& snapshot_dir,
                                      const Manifest& manifest,
                                      const std::optional<PgBackRestSettings>& pgbackrest);

/// Restores the backup's files into `data_dir` (empty, owned by `os_user` when not
/// empty) with the recovery settings for `target`. Basebackup: a copy of the stored
/// folder, and only the latest target (its own WAL). Throws `usage-invalid-option` (a
/// target a basebackup cannot reach), what the engine throws.
void restore_physical(const std::filesystem::path& snapshot_dir, const Manifest& manifest,
                      const std::optional<PgBackRestSettings>& pgbackrest,
                      const RecoveryTarget& target, const std::filesystem::path& data_dir,
                      const std::string& os_user);

} // namespace migsafe::snapshot::detail
