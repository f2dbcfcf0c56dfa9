#pragma once

#include <migsafe/export.hpp>
#include <migsafe/integrity/report.hpp>
#include <migsafe/platform/session.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::integrity {

/// How far a scan has come; passed to `ScanOptions::progress`.
struct ScanProgress {
    std::size_t tables_done = 0;         ///< tables (or leaf partitions) fully hashed
    std::size_t tables_total = 0;        ///< tables (or leaf partitions) to hash
    std::uint64_t rows_done = 0;         ///< rows hashed so far, all workers together
    std::uint64_t bytes_done = 0;        ///< COPY text bytes hashed so far
    std::chrono::milliseconds elapsed{}; ///< since the scan started
};

/// What to scan and how. Fill it with designated initializers.
struct ScanOptions {
    /// Tables to include (none: every table). A pattern with a `.` matches `schema.table`,
    /// one without matches the table name in any schema; `*` and `?` are wildcards. A
    /// partitioned table brings its partitions.
    std::vector<std::string> tables{};
    /// Tables to leave out, same syntax; wins over `tables`.
    std::vector<std::string> exclude{};
    /// Tables in scope whose rows are not read (same syntax): the report leaves them out,
    /// but still lists their invalid indexes, unvalidated constraints and sequences, as
    /// for any table in scope. The drill reads these tables while the restore runs.
    std::vector<std::string> skip_rows{};
    /// Parallel sessions sharing one snapshot (at least 1).
    int jobs = 1;
    /// With `jobs` > 1, a table larger than this many 8 kB heap blocks is split into
    /// block ranges read by several workers.
    std::int64_t split_pages = 8192;
    /// Called now and then (at least after each table) from a worker thread, never
    /// concurrently. Must not throw.
    std::function<void(const ScanProgress&)> progress{};
    /// A snapshot exported by another open transaction (`pg_export_snapshot()`): every
    /// session of the scan adopts it, so the report describes exactly what that
    /// transaction sees (the snapshot engine pairs it with `pg_dump --snapshot`). The
    /// exporting transaction must stay open until `scan` returns. Empty: take a new one.
    std::optional<std::string> snapshot{};
    /// How long the read of one table may wait for its ACCESS SHARE lock (another session
    /// holding ACCESS EXCLUSIVE, e.g. a migration) before the scan fails with
    /// `db-lock-timeout`. Must be positive.
    std::chrono::milliseconds lock_timeout{std::chrono::seconds(30)};
    /// Range hashes (docs/integrity.md, "Range hashes"): each table whose primary key is
    /// one integer column gets about one checksum per this many rows, in key order, with
    /// the bounds (`TableReport::ranges`). The bounds come from a small page sample (every
    /// key for small tables); at most 4096 ranges per table. 0: collect none.
    std::uint64_t range_rows = 65536;
    /// Bounds to hash with instead of sampling, by qualified table name: pass
    /// `range_bounds_of(baseline)` to get ranges comparable with a saved report's (ranges
    /// compare only when their bounds are equal). A table named here gets ranges even when
    /// `range_rows` is 0.
    std::map<std::string, std::vector<std::string>> range_bounds{};
};

/// The range bounds of every table of `report` that has range hashes, by qualified name
/// (for `ScanOptions::range_bounds`).
MIGSAFE_API std::map<std::string, std::vector<std::string>>
range_bounds_of(const IntegrityReport& report);

/// Reads every table in scope in one REPEATABLE READ snapshot (shared by `jobs` sessions
/// through `pg_export_snapshot`) and returns the report: each table's exact row count and
/// checksum of its COPY text (docs/integrity.md), invalid indexes, NOT VALID constraints
/// and sequences. Only reads; never changes the database.
/// Throws `usage-invalid-option` (`jobs` < 1, `lock_timeout` not positive),
/// `db-connect-failed`, `db-lock-timeout` (a table stayed locked past `lock_timeout`; the
/// message names it), `db-query-failed`.
/// Cost: one sequential read of every table in scope, streamed; memory does not grow with
/// table size.
MIGSAFE_API IntegrityReport scan(const std::string& conninfo, const ScanOptions& options = {});
/// The same scan from a parsed conninfo (every session of the scan reuses it).
MIGSAFE_API IntegrityReport scan(const platform::ConnInfo& conninfo,
                                 const ScanOptions& options = {});

/// The same scan on `session`, a connection the caller goes on using (`migsafe rehearse`
/// reads many states of one database): one job, in a REPEATABLE READ transaction of its
/// own whose settings end with it. The session must not be in a transaction. Throws what
/// `scan()` throws, and `usage-invalid-option` for `jobs` other than 1 or a `snapshot`.
MIGSAFE_API IntegrityReport scan(platform::Session& session, const ScanOptions& options = {});

/// Whether `pattern` (the `ScanOptions::tables` syntax) matches the table `schema`.`name`.
MIGSAFE_API bool table_matches(std::string_view pattern, std::string_view schema,
                               std::string_view name);

} // namespace migsafe::integrity
