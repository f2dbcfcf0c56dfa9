#pragma once

#include <migsafe/export.hpp>
#include <migsafe/platform/conninfo.hpp>
#include <migsafe/platform/pg_binaries.hpp>
#include <migsafe/snapshot/engine.hpp>
#include <migsafe/snapshot/manifest.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace migsafe::snapshot {

/// How far `create` has come; passed to `CreateOptions::progress`.
struct CreateProgress {
    std::string step{};                   ///< `dump` (every 250 ms and at the end), `compress`
    std::uint64_t bytes_done = 0;         ///< dump: bytes pg_dump wrote; compress: bytes compressed
    std::uint64_t bytes_total = 0;        ///< compress: content bytes to compress (dump: 0)
    std::chrono::milliseconds elapsed{0}; ///< since `create` started
};

/// How to take a snapshot. Fill it with designated initializers.
struct CreateOptions {
    /// Which program takes the snapshot (docs/snapshot.md, "Engines").
    Engine engine = Engine::pg_dump;
    /// The stanza and how to run pgbackrest (`Engine::pgbackrest` only; required there).
    std::optional<PgBackRestSettings> pgbackrest{};
    /// Physical engines: also take an integrity scan of every table after the backup (a
    /// full read of the database). Off, only the catalog is recorded and drills compare
    /// the catalog and run pg_amcheck. The pg_dump engine always scans.
    bool integrity = true;
    /// Reuse the newest snapshot of this database younger than this, if it passes a
    /// level-1 verify now. Zero: always take a new one.
    std::chrono::milliseconds if_older_than{0};
    /// Parallel pg_dump jobs and compression threads (at least 1).
    int jobs = 1;
    /// zstd level (1-19) of every file; nullopt: by size, level 9 for files under 1 MiB
    /// (the table of contents, small tables) and 2 for larger ones, the fastest of levels
    /// 1-6 and, in the column layout, as small as any (docs/snapshot.md, "Compression").
    std::optional<int> compression_level{};
    /// Store table data column by column (docs/snapshot.md, "Compression"): 15-45 % smaller
    /// than row by row at the same level. Off, each stored file is one plain zstd frame
    /// that `zstd -d` restores by hand. migsafe 0.3.0 and later read both layouts.
    bool column_layout = true;
    /// Kill pg_dump after this long; zero: no limit.
    std::chrono::milliseconds dump_timeout{0};
    /// How long pg_dump (`--lock-wait-timeout`) and the integrity scan may wait for the
    /// ACCESS SHARE lock of one table (held by a migration, say) before the snapshot fails
    /// with `db-lock-timeout` (exit 3) naming the table. Must be positive: a backup that
    /// waits forever behind a lock is one nobody notices is missing.
    std::chrono::milliseconds lock_wait_timeout{std::chrono::seconds(30)};
    /// The PostgreSQL programs; nullopt looks for pg_dump and pg_restore.
    std::optional<platform::PgBinaries> binaries{};
    /// Called after each step and file, from a worker thread, never concurrently. Must not
    /// throw.
    std::function<void(const CreateProgress&)> progress{};
};

/// What `create` did.
struct CreateResult {
    Manifest manifest{};          ///< the new (or reused) snapshot's manifest
    bool reused = false;          ///< an existing snapshot was fresh enough
    std::filesystem::path path{}; ///< the snapshot folder
};

/// Takes a snapshot of the database `conninfo` names with `options.engine`. For pg_dump:
/// dumps the database `conninfo` names into a new snapshot folder of `store` (created
/// 0700 if missing). One transaction exports a snapshot; `pg_dump --format=directory
/// --compress=0 --snapshot=ID` and an integrity scan both read it, so the manifest's
/// report describes exactly the dumped data. Each dumped file is compressed with zstd while
/// pg_dump writes it (in the column layout unless `column_layout` is off) and hashed
/// (XXH3-128 of content and of stored bytes) in the same read. The folder is built
/// as `.tmp-<id>` and renamed once both manifests are fsynced: a failure (pg_dump error,
/// timeout, disk full) leaves no complete snapshot, and the partial folder is removed.
/// Throws `store-invalid`, `binary-not-found`, `db-connect-failed`, `db-lock-timeout` (a
/// table stayed locked past `lock_wait_timeout`), `process-failed` (pg_dump failed),
/// `process-timeout`, `io-write-failed`, `usage-invalid-option`.
/// Cost: one pg_dump, one full scan and the compression, all concurrent, and the dump
/// written twice (raw, then compressed; the raw files are removed at the end).
///
/// For basebackup: `pg_basebackup -Fp -X stream --checkpoint=fast` (a replication
/// connection) into the snapshot folder's `data/`, its `backup_manifest` checked by
/// pg_verifybackup before the snapshot is complete. For pgbackrest: `pgbackrest backup`
/// of the stanza; the snapshot folder holds only migsafe's manifest, naming the backup's
/// label. Both then record the catalog (and, with `integrity`, a scan) in one snapshot,
/// with the WAL position read just before it (`PhysicalInfo`). Throws also
/// `binary-not-found` (exit 3, naming the apt package), `usage-invalid-option` (no
/// stanza), `process-failed` (the engine failed; its message quoted).
MIGSAFE_API CreateResult create(const std::string& conninfo, const std::filesystem::path& store,
                                const CreateOptions& options = {});
/// The same from a parsed conninfo (its sessions, pg_dump and the scan all reuse it).
MIGSAFE_API CreateResult create(const platform::ConnInfo& conninfo,
                                const std::filesystem::path& store,
                                const CreateOptions& options = {});

} // namespace migsafe::snapshot
