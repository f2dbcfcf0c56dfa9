#pragma once

#include <migsafe/export.hpp>
#include <migsafe/platform/pg_binaries.hpp>

#include <chrono>
#include <filesystem>
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
};

/// What `restore` did.
struct RestoreResult {
    std::string id{};
    std::chrono::milliseconds unpack{0};  ///< decompressing and checking every file
    std::chrono::milliseconds restore{0}; ///< pg_restore
};

/// Restores snapshot `id_or_latest` of `store` into the database `target` names. Every
/// file is decompressed and checked against the manifest first (nothing is restored from
/// a corrupt snapshot); then `pg_restore --jobs --exit-on-error` runs on the directory.
/// Throws `snapshot-not-found`, `snapshot-corrupt` (naming the file, expected and actual
/// hash), `restore-target-not-empty`, `db-connect-failed`, `binary-not-found`,
/// `restore-failed` (pg_restore failed part-way: the target is partial).
/// Cost: one decompression of the archive to disk, then pg_restore.
MIGSAFE_API RestoreResult restore(const std::filesystem::path& store,
                                  const std::string& id_or_latest, const std::string& target,
                                  const RestoreOptions& options = {});

} // namespace migsafe::snapshot
