#pragma once

#include <migsafe/export.hpp>
#include <migsafe/integrity/diff.hpp>
#include <migsafe/integrity/report.hpp>
#include <migsafe/integrity/verify.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace migsafe::integrity {

/// Whether a comparison lists the keys of the rows that differ.
enum class ShowRows { no, yes };

/// How to compare two databases. Fill it with designated initializers.
struct CompareOptions {
    /// Scope, jobs and progress of the two scans (run one after the other).
    ScanOptions scan{};
    /// List the differing keys inside each differing range.
    ShowRows show_rows = ShowRows::no;
    /// Bisection stops at ranges of at most this many rows on either side.
    std::uint64_t leaf_rows = 64;
    /// Each differing range is cut into this many slices per step (at least 2).
    int fan_out = 16;
    /// At most this many differing ranges per table; further ones are not looked for.
    std::size_t max_ranges = 100;
    /// At most this many differing keys per table (with `show_rows`).
    std::size_t max_rows = 1000;
};

/// A primary key value: one text value per key column, as PostgreSQL prints it.
using KeyValue = std::vector<std::string>;

/// A range of primary keys, `lower <= key < upper` (absent bounds are open), whose rows
/// differ between the two databases, with its row count on each side.
struct DifferingRange {
    std::optional<KeyValue> lower{};
    std::optional<KeyValue> upper{};
    std::uint64_t rows_a = 0;
    std::uint64_t rows_b = 0;
    /// Against a baseline with `ShowRows::yes` (`add_live_keys`): the keys the live table
    /// holds in this range, in key order. The baseline holds the range's hash, not its
    /// rows: which of these keys changed, and which keys were deleted, cannot be told.
    std::vector<KeyValue> live_keys{};

    friend bool operator==(const DifferingRange&, const DifferingRange&) = default;
};

/// How one row differs.
enum class RowChange {
    only_in_a, ///< the key exists in the first database only
    only_in_b, ///< the key exists in the second database only
    changed,   ///< the key exists in both, with different values
};

/// One differing row, by its key.
struct RowDifference {
    KeyValue key{};
    RowChange change = RowChange::changed;

    friend bool operator==(const RowDifference&, const RowDifference&) = default;
};

/// Where the differences of one table are.
struct TableLocalisation {
    std::string table{};    ///< schema-qualified
    bool localised = false; ///< false: `reason` says why the table could not be narrowed
    std::string reason{};   ///< e.g. `no primary key`
    std::vector<std::string> key_columns{};
    std::vector<DifferingRange> ranges{}; ///< in key order
    std::vector<RowDifference> rows{};    ///< with `ShowRows::yes`, in key order
    bool truncated = false;               ///< `max_ranges` or `max_rows` was reached
    /// Ranges from a saved report's range hashes (`localise`): `rows_a` counts the
    /// baseline's rows, `rows_b` the live database's.
    bool against_baseline = false;

    friend bool operator==(const TableLocalisation&, const TableLocalisation&) = default;

    /// Lines for people, two spaces in: the table and its ranges (`id >= 100 and < 164:
    /// 64 rows in the first database, 63 in the second`; against a baseline `... rows in
    /// the baseline, ... now`, each followed by `keys now in this range: ...` when
    /// `live_keys` were read), then each differing row found (`id = 777: changed`), or why
    /// it was not localised.
    MIGSAFE_API std::string to_text() const;
};

/// The result of comparing two databases.
struct Comparison {
    IntegrityReport a{};                     ///< report of the first database
    IntegrityReport b{};                     ///< report of the second database
    std::vector<Difference> differences{};   ///< `diff(a, b)`
    std::vector<TableLocalisation> tables{}; ///< one per table whose checksums differ

    /// Whether the databases agree (no differences).
    bool equal() const { return differences.empty(); }
    /// The JSON form (docs/integrity.md): {a, b, differences, localisations}.
    MIGSAFE_API std::string to_json(int indent = 2) const;
};

/// Scans both databases (`scan()`), diffs the reports and, for each table present in both
/// whose row count or checksum differs, bisects by primary-key ranges: each range is
/// hashed on both sides (COPY, as in a scan), differing ranges are split at key quantiles
/// until they hold at most `leaf_rows` rows. Tables without a primary key, or whose
/// columns or keys differ between the two, are reported as not localisable. The bisection
/// reads each side in its own REPEATABLE READ transaction, after the scans.
/// Throws what `scan()` throws. Cost: the two scans, plus about `log(rows / leaf_rows) /
/// log(fan_out)` reads of each differing table on both sides.
MIGSAFE_API Comparison compare_databases(const std::string& conninfo_a,
                                         const std::string& conninfo_b,
                                         const CompareOptions& options = {});

/// Where the differences between a saved report and a current one are, from their range
/// hashes (`TableReport::ranges`, docs/integrity.md "Range hashes"): one entry per table
/// of both reports whose checksums differ (partitioned parents are localised through their
/// partitions), with the ranges whose hashes differ. A table is not localised (`reason`
/// says why) without a primary key, when either report has no range hashes for it (a
/// report of an older migsafe, or a key that is not one integer column), or when the
/// bounds, the key or the columns differ. Reads no database. Cost: linear in the ranges.
MIGSAFE_API std::vector<TableLocalisation> localise(const IntegrityReport& baseline,
                                                    const IntegrityReport& current);

/// Fills `DifferingRange::live_keys` of the localised tables of `tables` with the keys the
/// database at `conninfo` holds in each range, at most `max_rows` per table (`truncated`
/// is set when more were there), in one REPEATABLE READ transaction. A table dropped or
/// re-keyed since the scan is left as it is. Throws `db-connect-failed`,
/// `db-lock-timeout`, `db-query-failed`.
MIGSAFE_API void add_live_keys(const std::string& conninfo, std::vector<TableLocalisation>& tables,
                               std::size_t max_rows,
                               std::chrono::milliseconds lock_timeout = std::chrono::seconds(30));

/// The localisations as a JSON array (docs/integrity.md): `Comparison::to_json`'s
/// `localisations`, and `migsafe verify --baseline --json`'s.
MIGSAFE_API std::string localisations_to_json(const std::vector<TableLocalisation>& tables,
                                              int indent = 2);

/// The stable name of a row change (`only-in-a`, `only-in-b`, `changed`).
MIGSAFE_API std::string_view to_string(RowChange change) noexcept;

} // namespace migsafe::integrity
