#pragma once
// Private: the basebackup engine. pg_basebackup writes a plain-format copy of the cluster
// with its WAL (`-X stream`) and a backup manifest into the snapshot folder's `data/`;
// pg_verifybackup checks every file and the WAL against that manifest.

#include <migsafe/platform/conninfo.hpp>
#include <migsafe/platform/pg_binaries.hpp>
#include <migsafe/snapshot/manifest.hpp>
#include <migsafe/snapshot/verify.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace migsafe::snapshot::detail::basebackup {

/// `pg_basebackup` into `data_dir` (which must not exist) from the server `conninfo`
/// names (a replication connection; the password, if any, in its environment only).
/// Fills the physical fields it knows (label, LSNs, WAL segments, times, sizes) and the
/// engine version. Throws `binary-not-found`, `process-failed` (pg_basebackup's message),
/// `process-timeout`.
void take(const platform::ConnInfo& conninfo, const std::filesystem::path& data_dir,
          const platform::PgBinaries& binaries, const std::string& label,
          std::chrono::milliseconds timeout, Manifest& manifest);

/// pg_verifybackup on `data_dir`: one `backup-invalid` mismatch per line it reports.
std::vector<Mismatch> verify(const std::filesystem::path& data_dir,
                             const platform::PgBinaries& binaries);

/// The WAL segment file name holding `lsn` on `timeline` (16 MB segments).
std::string wal_segment(int timeline, std::uint64_t lsn);

} // namespace migsafe::snapshot::detail::basebackup
