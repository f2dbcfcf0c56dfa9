#pragma once

#include <migsafe/export.hpp>
#include <migsafe/platform/pg_binaries.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace migsafe::snapshot {

/// Whether `restore` may restore into a database that already holds objects.
enum class Clean {
    no, ///< refuse a non-empty target (`restore-target-not-empty`)
    yes ///< drop the archive's objects first (`pg_restore --clean --if-exists`)
};

/// Whether restored objects keep the source's owners and privileges.
enum class Ownership {
    keep, ///< as dumped (the roles must exist on the target)
    skip  ///< `--no-owner --no-privileges`: the connecting user owns everything
};

/// How to restore. Fill it with designated initializers.
struct RestoreOptions {
    int jobs = 2;                          ///< parallel pg_restore jobs (at least 1)
    Clean clean = Clean::no;               ///< see `Clean`
    Ownership ownership = Ownership::keep; ///< see `Ownership`
    /// Where the archive is unpacked for pg_restore; empty: the system temp folder.
    std::filesystem::path work_dir{};
    std::optional<platform::PgBinaries> binaries{}; ///< nullopt: look them up
    std::chrono::milliseconds timeout{0};           ///< pg_restore time limit; 0: none
    /// Read and check every file before pg_restore starts, so that nothing of a corrupt
    /// snapshot reaches the target (one more decompression of the archive, no disk
    /// writes). Off (the drill into a scratch database), a corrupt file is found while
    /// pg_restore reads it: the restore then fails with `snapshot-corrupt` after part of
    /// the data was loaded.
    bool check_first = true;
    /// Called with a table's schema and name once pg_restore has read all of that table's
    /// data from the snapshot and the data was the recorded one (its COPY may still be
    /// committing: take a lock that waits for it before reading the table). Called from
    /// the restore's threads, possibly concurrently; must not throw.
    std::function<void(const std::string& schema, const std::string& name)> table_loaded{};
};

/// What `restore` did.
struct RestoreResult {
    std::string id{};
    std::chrono::milliseconds unpack{0};    ///< checking every file first (`check_first`)
    std::chrono::milliseconds restore{0};   ///< pg_restore, every section
    std::chrono::milliseconds pre_data{0};  ///< pg_restore of the schema before the data
    std::chrono::milliseconds data{0};      ///< pg_restore of the data (files streamed)
    std::chrono::milliseconds post_data{0}; ///< indexes, constraints, triggers after it
    /// CPU time decompressing and checking the data files, summed; spent while pg_restore
    /// loads them.
    std::chrono::milliseconds streamed{0};
};

/// Restores snapshot `id_or_latest` of `store` into the database `target` names. Every
/// file is checked against the manifest first (`check_first`: nothing is restored from
/// a corrupt snapshot); then `pg_restore --jobs --exit-on-error` runs on a directory
/// whose data files are named pipes, fed from the stored files as pg_restore opens them
/// (nothing is unpacked to disk), in three steps: pre-data, data, post-data (one step
/// with `Clean::yes`, whose drops must run in dependency order across the sections).
/// Throws `snapshot-not-found`, `snapshot-corrupt` (naming the file, expected and actual
/// hash), `restore-target-not-empty`, `db-connect-failed`, `binary-not-found`,
/// `restore-failed` (pg_restore failed part-way: the target is partial).
/// Cost: one decompression of the archive (two with `check_first`), then pg_restore.
MIGSAFE_API RestoreResult restore(const std::filesystem::path& store,
                                  const std::string& id_or_latest, const std::string& target,
                                  const RestoreOptions& options = {});

} // namespace migsafe::snapshot
