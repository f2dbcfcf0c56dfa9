#pragma once

#include <migsafe/export.hpp>
#include <migsafe/snapshot/engine.hpp>
#include <migsafe/snapshot/manifest.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace migsafe::snapshot {

/// The last recorded drill of a snapshot (from the store's `drills.jsonl`).
struct DrillSummary {
    std::string at{};        ///< RFC 3339 UTC
    bool passed = false;     ///< the restored database matched the manifest
    std::int64_t rto_ms = 0; ///< restore + verify wall time
};

/// One complete snapshot of a store, as `list` sees it.
struct SnapshotInfo {
    std::string id{};                         ///< the folder name
    std::string created_at{};                 ///< RFC 3339 UTC
    std::chrono::milliseconds age{0};         ///< now - created_at
    std::uint64_t size = 0;                   ///< content bytes
    std::uint64_t stored_size = 0;            ///< bytes on disk (compressed)
    std::string database{};                   ///< the source database
    std::string system_identifier{};          ///< the source server's (empty: not readable)
    int verified_level = 0;                   ///< best passing verify level recorded (0: none)
    std::optional<DrillSummary> last_drill{}; ///< newest drill record, if any
    bool readable = true;                     ///< false: the manifest could not be read
    std::string engine{"pg_dump"};            ///< `pg_dump`, `basebackup` or `pgbackrest`
    std::string label{};                      ///< pgBackRest's backup label (else empty)
    std::string backup_type{};                ///< pgBackRest: full, diff or incr
    /// false: a pgBackRest backup that migsafe did not take (no manifest in the store:
    /// no catalog, no report; listed from `pgbackrest info`).
    bool managed = true;
};

/// What `list` reads beyond the store. Fill it with designated initializers.
struct ListOptions {
    /// Also list this stanza's backups (`pgbackrest info --output=json`), those taken
    /// without migsafe included.
    std::optional<PgBackRestSettings> pgbackrest{};
};

/// The complete snapshots of `store`, oldest first. Folders without a readable manifest
/// are listed with `readable` false; unfinished ones (`.tmp-*`) are not listed.
/// Throws `store-invalid` (`store` missing or not a folder). Cost: reads each manifest.
MIGSAFE_API std::vector<SnapshotInfo> list(const std::filesystem::path& store);
/// The same, with the backups of a pgBackRest stanza merged in by time (a backup the
/// store has a manifest for is listed once). Throws also what `pgbackrest info` throws
/// (`binary-not-found`, `process-failed`).
MIGSAFE_API std::vector<SnapshotInfo> list(const std::filesystem::path& store,
                                           const ListOptions& options);

/// The listing as a JSON array of {id, created_at, age_ms, size, stored_size, database,
/// verified_level, readable, engine, label, backup_type, managed, last_drill: {at, passed,
/// rto_ms} or null}.
MIGSAFE_API std::string list_to_json(const std::vector<SnapshotInfo>& snapshots, int indent = 2);

/// The snapshot id `id_or_latest` names: itself when it is a complete snapshot, or the
/// newest complete one for `latest`. Throws `store-invalid`, `snapshot-not-found` (with
/// a "did you mean" hint when a close id exists).
MIGSAFE_API std::string resolve_id(const std::filesystem::path& store,
                                   const std::string& id_or_latest);

/// Reads the manifest of snapshot `id` (either copy, whichever is intact). Throws
/// `snapshot-not-found`, `snapshot-corrupt` (neither copy is intact).
MIGSAFE_API Manifest read_manifest(const std::filesystem::path& store, const std::string& id);

} // namespace migsafe::snapshot
