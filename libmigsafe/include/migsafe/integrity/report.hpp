#pragma once

#include <migsafe/export.hpp>
#include <migsafe/integrity/checksum.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::integrity {

/// What kind of relation a table entry is.
enum class TableKind {
    table,       ///< an ordinary table
    partition,   ///< a leaf partition of a partitioned table
    partitioned, ///< a partitioned table: its count and checksum are its leaves' totals
};

/// Checksums of a table's rows by ranges of its primary key, in key order: what lets a
/// saved report localise a difference (docs/integrity.md, "Range hashes"). Collected for
/// tables whose primary key is one integer column (`smallint`, `integer`, `bigint`).
struct KeyRanges {
    /// The n - 1 ascending key values (as PostgreSQL prints them) that cut the key space
    /// into n ranges: range 0 holds the keys below `bounds[0]`, range i the keys
    /// `bounds[i - 1] <= key < bounds[i]`, the last one the keys from `bounds.back()` on.
    std::vector<std::string> bounds{};
    /// One checksum per range (n = `bounds.size() + 1`).
    std::vector<Checksum> checksums{};

    friend bool operator==(const KeyRanges&, const KeyRanges&) = default;
};

/// One table of an integrity report.
struct TableReport {
    std::string schema{};                   ///< schema name, as stored in the catalog
    std::string name{};                     ///< table name, as stored in the catalog
    TableKind kind = TableKind::table;      ///< plain table, leaf partition or partitioned parent
    std::string parent{};                   ///< a partition's parent (`qualified_name`), else empty
    std::vector<std::string> columns{};     ///< the hashed columns, in hashing (name) order
    std::vector<std::string> key_columns{}; ///< primary key columns, in key order (may be empty)
    Checksum checksum{};                    ///< exact row count and the sums of row hashes
    /// Range hashes (`ScanOptions::range_rows`); absent in reports of older versions, for
    /// tables without a one-column integer key, and when the scan collected none.
    std::optional<KeyRanges> ranges{};

    friend bool operator==(const TableReport&, const TableReport&) = default;

    /// The schema-qualified name (`public.orders`; parts quoted only when needed).
    MIGSAFE_API std::string qualified_name() const;
    /// Whether a difference can be narrowed down to key ranges (it has a primary key).
    bool localisable() const { return !key_columns.empty(); }
};

/// An index that is not valid (`pg_index.indisvalid` false), e.g. left behind by a
/// failed `CREATE INDEX CONCURRENTLY`.
struct InvalidIndex {
    std::string schema{}; ///< the index's schema
    std::string name{};   ///< the index name
    std::string table{};  ///< the indexed table, schema-qualified

    friend bool operator==(const InvalidIndex&, const InvalidIndex&) = default;
};

/// A constraint added `NOT VALID` and not validated since (`pg_constraint.convalidated`).
struct UnvalidatedConstraint {
    std::string table{}; ///< the constrained table, schema-qualified
    std::string name{};  ///< the constraint name
    std::string type{};  ///< `check` or `foreign-key`

    friend bool operator==(const UnvalidatedConstraint&, const UnvalidatedConstraint&) = default;
};

/// A sequence with its position and, when a column owns it, that column's maximum.
struct SequenceReport {
    std::string schema{};                     ///< the sequence's schema
    std::string name{};                       ///< the sequence name
    std::optional<std::int64_t> last_value{}; ///< `last_value` (nullopt: not readable)
    bool is_called = false;                   ///< whether `last_value` was handed out
    std::int64_t increment = 1;               ///< the sequence's increment
    std::string owner_table{};                ///< owning table, schema-qualified (or empty)
    std::string owner_column{};               ///< owning column (or empty)
    std::optional<std::int64_t> column_max{}; ///< max of the owning column (nullopt: no rows)

    friend bool operator==(const SequenceReport&, const SequenceReport&) = default;

    /// The schema-qualified name.
    MIGSAFE_API std::string qualified_name() const;
    /// Whether the next value the sequence hands out is already in its owning column
    /// (ascending sequences: next value <= column max; descending: >= column min is not
    /// tracked, so descending sequences are never behind). False when `last_value` or
    /// `column_max` is unknown.
    MIGSAFE_API bool behind() const;
};

/// An integrity report: what a database held at one moment. A plain value with a stable
/// JSON form (docs/integrity.md), compared with `diff()` (diff.hpp).
struct IntegrityReport {
    /// The version of the JSON form this library writes.
    static constexpr int k_schema_version = 1;

    int schema_version = k_schema_version;       ///< version of the JSON form
    std::string server_version{};                ///< e.g. `15.18`
    std::string database{};                      ///< the database name
    std::string taken_at{};                      ///< snapshot time, RFC 3339 UTC with milliseconds
    bool snapshot_consistent = false;            ///< every table was read in one snapshot
    std::vector<TableReport> tables{};           ///< sorted by schema, then name
    std::vector<InvalidIndex> invalid_indexes{}; ///< sorted by schema, name
    std::vector<UnvalidatedConstraint> unvalidated_constraints{}; ///< sorted by table, name
    std::vector<SequenceReport> sequences{};                      ///< sorted by schema, name

    friend bool operator==(const IntegrityReport&, const IntegrityReport&) = default;

    /// The table named `qualified` (as `TableReport::qualified_name()` writes it), or null.
    MIGSAFE_API const TableReport* find_table(std::string_view qualified) const;

    /// The JSON form (docs/integrity.md), pretty-printed with `indent` spaces (-1: one line).
    MIGSAFE_API std::string to_json(int indent = 2) const;
    /// Reads the JSON form. Throws `input-invalid-report` (malformed JSON, a missing or
    /// mistyped field, or a `schema_version` newer than this library's).
    MIGSAFE_API static IntegrityReport from_json(std::string_view text);
};

/// `schema.name`, each part in double quotes only when it is not a plain lower-case
/// identifier (`public.orders`, `"My Schema"."a""b"`).
MIGSAFE_API std::string qualified_name(std::string_view schema, std::string_view name);

/// The stable name of a table kind (`table`, `partition`, `partitioned`).
MIGSAFE_API std::string_view to_string(TableKind kind) noexcept;

} // namespace migsafe::integrity
