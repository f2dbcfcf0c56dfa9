#pragma once

#include <migsafe/export.hpp>
#include <migsafe/integrity/diff.hpp>
#include <migsafe/platform/cluster.hpp>
#include <migsafe/snapshot/restore.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace migsafe::workflow {

/// How to run a drill. Fill it with designated initializers.
struct DrillOptions {
    /// Restore into this (empty, or see `clean`) database; empty: a new ephemeral cluster.
    std::string target{};
    /// Allow a non-empty `target` (pg_restore --clean).
    snapshot::Clean clean = snapshot::Clean::no;
    int jobs = 2; ///< pg_restore and integrity scan jobs
    /// Options of the ephemeral cluster (when `target` is empty).
    platform::ClusterOptions cluster{};
    /// Called with the restored database's conninfo before the integrity compare. For
    /// tests that alter the restored data; must not be set in production.
    std::function<void(const std::string& conninfo)> before_compare{};
};

/// One drill: appended to the store's `drills.jsonl` as one JSON line.
struct DrillRecord {
    static constexpr int k_schema_version = 1;
    int schema_version = k_schema_version;
    std::string snapshot_id{};
    std::string at{};              ///< when the drill started, RFC 3339 UTC
    bool passed = false;           ///< the restored database matches the manifest's report
    std::string target{};          ///< `ephemeral` or the target conninfo, password masked
    std::int64_t restore_ms = 0;   ///< unpack + pg_restore
    std::int64_t verify_ms = 0;    ///< integrity scan + compare
    std::int64_t rto_ms = 0;       ///< restore_ms + verify_ms
    std::int64_t rpo_s = 0;        ///< age of the snapshot's data at drill time, seconds
    std::uint64_t size = 0;        ///< content bytes of the archive
    std::uint64_t stored_size = 0; ///< stored bytes
    std::vector<integrity::Difference> differences{}; ///< why it failed (empty: passed)
    std::vector<std::string> tables_differing{};      ///< tables named by `differences`
    std::string error{}; ///< `code: message` when the drill could not restore or scan

    /// One JSON line (no newline).
    MIGSAFE_API std::string to_json_line() const;
};

/// Restores snapshot `id_or_latest` of `store` (checking every file against the
/// manifest), runs an integrity scan of the restored database, compares it with the
/// manifest's report and appends the record to `store/drills.jsonl`. A difference makes
/// the record fail (report data, not an exception). A restore or scan that throws is
/// recorded as a failed drill (with `error`) before the error propagates. Throws the errors of
/// `snapshot::restore`, `cluster-start-failed`, `io-write-failed`.
/// Cost: a restore and a full scan (and an ephemeral cluster start, about a second).
MIGSAFE_API DrillRecord drill(const std::filesystem::path& store, const std::string& id_or_latest,
                              const DrillOptions& options = {});

} // namespace migsafe::workflow
