#pragma once
// Range hashes during a scan: the bounds of a table's key ranges (sampled, or a saved
// report's) and the range each streamed row falls in.

#include "platform/catalog/integrity_queries.hpp"

#include <migsafe/integrity/verify.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::integrity::detail {

/// How the rows of one table are sorted into key ranges while it is streamed.
struct RangePlan {
    std::size_t key_field = 0;              ///< the key's field in a COPY text row
    std::vector<std::int64_t> bounds{};     ///< ascending: n - 1 bounds for n ranges
    std::vector<std::string> bound_texts{}; ///< the same, as the report writes them

    /// The range `row` (a COPY text line of the table) falls in, 0 to `bounds.size()`.
    /// Throws `internal-assertion` when the row has no integer in the key's field.
    std::size_t range_of(std::string_view row) const;
};

/// The range plan of `rel`, or nullopt when it gets no range hashes (not a one-column
/// integer key, a partitioned table, `range_rows` 0 without bounds given, or given bounds
/// that are not ascending integers). Reads a sample of keys through `conn` (in the scan's
/// snapshot) unless `options.range_bounds` names the table.
std::optional<RangePlan> plan_ranges(platform::Session& conn,
                                     const platform::catalog::RelationInfo& rel,
                                     const ScanOptions& options);

} // namespace migsafe::integrity::detail
