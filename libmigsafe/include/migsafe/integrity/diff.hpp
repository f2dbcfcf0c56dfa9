#pragma once

#include <migsafe/export.hpp>
#include <migsafe/integrity/report.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace migsafe::integrity {

/// What one difference between two integrity reports is about.
enum class DifferenceKind {
    missing_table,          ///< in the baseline, not in the current report
    extra_table,            ///< in the current report, not in the baseline
    columns,                ///< the hashed column lists differ
    row_count,              ///< the exact row counts differ
    checksum,               ///< same row count, different row hashes
    invalid_index,          ///< the current database has an invalid index
    unvalidated_constraint, ///< the current database has a NOT VALID constraint
    sequence_behind,        ///< a sequence would hand out a value its column already holds
};

/// One difference: the kind, the object (schema-qualified) and what was expected and found.
struct Difference {
    DifferenceKind kind = DifferenceKind::checksum;
    std::string object{};   ///< table, index, constraint (`table.constraint`) or sequence
    std::string expected{}; ///< the baseline's value (empty when not applicable)
    std::string actual{};   ///< the current value (empty when not applicable)

    friend bool operator==(const Difference&, const Difference&) = default;

    /// One lowercase line for people, e.g. `public.t: row count 10, expected 11`.
    MIGSAFE_API std::string describe() const;
};

/// The differences between `baseline` and `current`: missing and extra tables, and for each
/// table in both, its columns, row count, and checksum (only reported when the row counts
/// are equal, since a different count implies it). The health problems of `current`
/// (`problems()`) are appended whatever the baseline held: an invalid index is a
/// difference from a healthy database. Empty means the reports agree. Cost: linear.
MIGSAFE_API std::vector<Difference> diff(const IntegrityReport& baseline,
                                         const IntegrityReport& current);

/// The health problems of one report alone: invalid indexes, NOT VALID constraints and
/// sequences behind their column's maximum.
MIGSAFE_API std::vector<Difference> problems(const IntegrityReport& report);

/// The stable kebab-case name of a kind (`missing-table`, `row-count`, ...).
MIGSAFE_API std::string_view to_string(DifferenceKind kind) noexcept;

/// The differences as a JSON array of objects {kind, object, expected, actual, message}.
MIGSAFE_API std::string differences_to_json(const std::vector<Difference>& differences,
                                            int indent = 2);

} // namespace migsafe::integrity
