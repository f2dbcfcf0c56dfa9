#pragma once

#include <migsafe/export.hpp>
#include <migsafe/integrity/diff.hpp>
#include <migsafe/platform/cluster.hpp>
#include <migsafe/snapshot/engine.hpp>
#include <migsafe/snapshot/restore.hpp>
#include <migsafe/snapshot/store.hpp>

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

    // Physical snapshots (basebackup, pgbackrest): docs/snapshot.md, "Physical drills".
    /// Where recovery stops: a time or an LSN (pgbackrest; basebackup only reaches the end
    /// of its own WAL). Empty: the end of the WAL the engine has.
    snapshot::RecoveryTarget recovery{};
    /// How to run pgbackrest (stanza and configuration file default to the manifest's).
    std::optional<snapshot::PgBackRestSettings> pgbackrest{};
    /// How long the restored cluster may take to start and end its recovery.
    std::chrono::milliseconds recovery_timeout{std::chrono::minutes(30)};
    /// Also check that every heap tuple is in each index (`pg_amcheck --heapallindexed`):
    /// one more pass over every table per index; off, pg_amcheck checks each heap and the
    /// structure of each B-tree index.
    bool heap_all_indexed = false;
    /// Called with the restored data directory before the scratch server starts. For
    /// tests that break the restore; must not be set in production.
    std::function<void(const std::filesystem::path& data_dir)> before_start{};
};

/// One drill: appended to the store's `drills.jsonl` as one JSON line.
struct DrillRecord {
    static constexpr int k_schema_version = 1;
    int schema_version = k_schema_version;
    std::string snapshot_id{};
    std::string at{};            ///< when the drill started, RFC 3339 UTC
    bool passed = false;         ///< the restored database matches the manifest's report
    std::string target{};        ///< `ephemeral` or the target conninfo, password masked
    std::int64_t restore_ms = 0; ///< pg_restore, every section (files streamed into it)
    /// The part of the verify that ran after the restore (the tables read while others
    /// loaded are in `overlapped_verify_ms`), and the compare.
    std::int64_t verify_ms = 0;
    std::int64_t rto_ms = 0; ///< restore_ms + verify_ms: until a verified database
    // The pg_dump drill's split of `restore_ms` (zero for physical snapshots).
    std::int64_t data_ms = 0;      ///< pg_restore's pre-data and data sections
    std::int64_t post_data_ms = 0; ///< its post-data section (indexes, constraints)
    /// CPU time decompressing and checking the stored files, summed over the files; it
    /// runs while pg_restore loads them, so it is part of `data_ms`, not added to it.
    std::int64_t unpack_ms = 0;
    /// Reading tables as soon as they were loaded (not the waits for their COPY to
    /// commit), summed: hidden under `restore_ms`.
    std::int64_t overlapped_verify_ms = 0;
    std::int64_t rpo_s = 0;        ///< age of the snapshot's data at drill time, seconds
    std::uint64_t size = 0;        ///< content bytes of the archive
    std::uint64_t stored_size = 0; ///< stored bytes
    std::vector<integrity::Difference> differences{}; ///< why it failed (empty: passed)
    std::vector<std::string> tables_differing{};      ///< tables named by `differences`
    std::string error{}; ///< `code: message` when the drill could not restore or scan

    // Physical snapshots only (zero or empty for pg_dump ones).
    std::string engine{"pg_dump"}; ///< the snapshot's engine
    /// Server start until recovery ended. For physical snapshots `restore_ms` is the
    /// engine's file restore, `verify_ms` the checks (catalog, integrity, pg_amcheck), and
    /// `rto_ms` their sum with this.
    std::int64_t recovery_ms = 0;
    std::string target_time{};    ///< the recovery target asked for (empty: latest)
    std::string target_lsn{};     ///< the recovery target asked for (empty: latest)
    std::string recovered_lsn{};  ///< the last WAL record replayed
    std::string last_commit_at{}; ///< the last transaction recovered, RFC 3339 UTC
    /// Catalog against the report's: `match`, `changed-after-report` (it differs, and the
    /// catalog was written after the report's point, so not a failure), `differs` (a
    /// failure), `not-recorded`.
    std::string catalog{};
    std::vector<std::string> catalog_changes{}; ///< the catalog's differences, one line each
    std::int64_t tables_compared = 0;           ///< tables equal to the report
    /// Tables that differ from the report but were written after its point (their pages
    /// carry a later LSN): not failures. With `tables_dropped`, what the target recovered.
    std::vector<std::string> tables_written_after{};
    std::vector<std::string> tables_dropped{};   ///< in the report, absent at the target
    std::vector<std::string> tables_added{};     ///< absent from the report, present at the target
    std::vector<std::string> amcheck_problems{}; ///< pg_amcheck's findings (a failure)
    std::string server_log_tail{}; ///< the scratch server's last log lines, when it failed

    /// One JSON line (no newline).
    MIGSAFE_API std::string to_json_line() const;
};

/// Restores snapshot `id_or_latest` of `store` (checking every file against the
/// manifest while pg_restore reads it), runs an integrity scan of the restored database
/// (each table as soon as it is loaded, the rest after the restore), compares it with the
/// manifest's report and appends the record to `store/drills.jsonl`. A difference makes
/// the record fail (report data, not an exception). A restore or scan that throws is
/// recorded as a failed drill (with `error`) before the error propagates. Throws the errors of
/// `snapshot::restore`, `cluster-start-failed`, `io-write-failed`.
/// Cost: a restore and a full scan (and an ephemeral cluster start, about a second).
///
/// A physical snapshot is restored by its engine into a scratch cluster on its own socket
/// and port, with archiving off (it never archives into the source's repository), the
/// recovery target applied; the drill waits for recovery to end, then compares the
/// catalog and the tables with the snapshot's report (a table that differs only because
/// it was written after the report's point is listed, not failed), runs pg_amcheck on
/// every relation and measures RTO (restore + recovery + checks) and RPO (the last commit
/// recovered). A server that does not start or recover fails the drill with its log's
/// last lines.
MIGSAFE_API DrillRecord drill(const std::filesystem::path& store, const std::string& id_or_latest,
                              const DrillOptions& options = {});

/// The newest passing drill of any snapshot in `store` younger than `max_age`, or nullopt
/// when a drill is due (`migsafe drill --if-older-than 90d`, the runbook's quarterly
/// test). Throws `store-invalid`.
MIGSAFE_API std::optional<snapshot::DrillSummary> recent_drill(const std::filesystem::path& store,
                                                               std::chrono::milliseconds max_age);

} // namespace migsafe::workflow
