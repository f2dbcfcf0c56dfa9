#pragma once

#include <migsafe/export.hpp>
#include <migsafe/integrity/report.hpp>
#include <migsafe/platform/hash.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// Snapshots: pg_dump archives in a store, with checksummed manifests (docs/snapshot.md).
namespace migsafe::snapshot {

/// One archive file of a snapshot, as stored (zstd-compressed) in `data/`.
struct ManifestFile {
    std::string name{};              ///< pg_dump's file name, e.g. `toc.dat`, `3345.dat`
    std::string stored_name{};       ///< the stored file, relative to the snapshot folder
    std::uint64_t size = 0;          ///< bytes of the content (as pg_dump wrote it)
    std::uint64_t stored_size = 0;   ///< bytes of the stored (compressed) file
    std::string compression{"zstd"}; ///< `zstd` (one frame), `zstd+columns` (column layout)
    Hash128 content_hash{};          ///< XXH3-128 of the content
    Hash128 stored_hash{};           ///< XXH3-128 of the stored file

    friend bool operator==(const ManifestFile&, const ManifestFile&) = default;
};

/// What a physical snapshot (basebackup, pgbackrest) records beyond the common fields:
/// where the backup lies in the WAL, and the point migsafe's own report describes.
struct PhysicalInfo {
    std::string label{};           ///< pgBackRest's backup label; basebackup: pg_basebackup's `-l`
    std::string backup_type{};     ///< pgBackRest: `full`, `diff`, `incr`; basebackup: `full`
    std::string prior{};           ///< pgBackRest: the backup an incremental one builds on
    std::string stanza{};          ///< pgBackRest's stanza (empty for basebackup)
    std::string config_file{};     ///< pgBackRest's configuration file (empty: its default)
    int timeline = 0;              ///< the timeline the backup was taken on
    std::string start_lsn{};       ///< the backup's start (`0/2000028`)
    std::string stop_lsn{};        ///< where the backup is consistent
    std::string wal_start{};       ///< the first WAL segment the backup needs
    std::string wal_stop{};        ///< the last WAL segment the backup needs
    std::string start_time{};      ///< RFC 3339 UTC
    std::string stop_time{};       ///< RFC 3339 UTC
    std::uint64_t size = 0;        ///< the database's bytes in the backup
    std::uint64_t stored_size = 0; ///< bytes stored (basebackup: on disk; pgBackRest: repository)
    /// The server's WAL insert position read just before the report's snapshot was taken
    /// (after the backup ended): a page written later carries a later LSN, which is how a
    /// drill tells "written after the report" from "differs" (docs/snapshot.md).
    std::string report_lsn{};
    /// The oldest transaction still running when the report's snapshot was taken.
    std::uint64_t report_xmin = 0;
    /// The catalog at the report's point: `integrity::SchemaFingerprint::to_json()`.
    std::string catalog{};
    /// Its hash (`SchemaFingerprint::hash()`).
    std::string catalog_hash{};

    friend bool operator==(const PhysicalInfo&, const PhysicalInfo&) = default;
};

/// The database a snapshot was taken from.
struct SourceInfo {
    std::string database{};          ///< current_database()
    std::string server_version{};    ///< e.g. `15.18`
    std::string system_identifier{}; ///< pg_control_system(), empty when not readable
    std::string conninfo{};          ///< the connection string, password masked

    friend bool operator==(const SourceInfo&, const SourceInfo&) = default;
};

/// What a snapshot holds. Its JSON form is written twice (`manifest.json`,
/// `manifest.copy.json`) and carries its own XXH3-128 (`manifest_hash`).
struct Manifest {
    /// The newest version of the JSON form this library reads and writes: 1 for pg_dump
    /// snapshots stored as plain zstd frames (so older migsafe versions still read them),
    /// 2 for physical ones, 3 for pg_dump snapshots with a file in the column layout
    /// (`zstd+columns`): a migsafe that cannot decode that layout then refuses the
    /// manifest as newer instead of calling the files corrupt.
    static constexpr int k_schema_version = 3;

    int schema_version = 1;
    std::string id{};                        ///< `20261129T061500.123Z-1a2b3c4d`
    std::string created_at{};                ///< RFC 3339 UTC, when the dump started
    SourceInfo source{};                     ///< where it came from
    std::string engine{"pg_dump"};           ///< `pg_dump`, `basebackup` or `pgbackrest`
    std::string engine_version{};            ///< the engine's `--version`, trimmed
    std::string pg_dump_version{};           ///< `pg_dump --version` output, trimmed
    std::vector<std::string> pg_dump_args{}; ///< arguments, conninfo masked
    std::string format{"directory"};         ///< pg_dump's archive format
    std::vector<ManifestFile> files{};       ///< sorted by name
    integrity::IntegrityReport integrity{};  ///< the source, read in the dump's snapshot
    std::int64_t dump_ms = 0;                ///< wall time of pg_dump
    std::int64_t scan_ms = 0;                ///< wall time of the integrity scan
    /// Physical engines only (schema_version 2): where the backup lies in the WAL. For
    /// them `files` lists only what migsafe itself stores beside the backup.
    std::optional<PhysicalInfo> physical{};
    /// Physical engines: whether `integrity` holds a scan (`--no-integrity` skips it at
    /// a terabyte; the catalog is always recorded).
    bool has_integrity = true;

    friend bool operator==(const Manifest&, const Manifest&) = default;

    /// Total content bytes and total stored bytes of `files` (physical engines: of the
    /// backup).
    MIGSAFE_API std::uint64_t total_size() const;
    MIGSAFE_API std::uint64_t total_stored_size() const;

    /// The JSON form, with `manifest_hash` set (pretty-printed, 2 spaces).
    MIGSAFE_API std::string to_json() const;
    /// Reads the JSON form and checks its `manifest_hash`. Throws `snapshot-corrupt`
    /// (malformed JSON, a missing field, a wrong self-hash) or `snapshot-schema-newer`.
    MIGSAFE_API static Manifest from_json(std::string_view text);
};

} // namespace migsafe::snapshot
