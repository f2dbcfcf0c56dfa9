#pragma once
// Narrowing a table's difference down to primary-key ranges, hashing each range on both
// sides.

#include "platform/catalog/integrity_queries.hpp"

#include <migsafe/integrity/compare.hpp>

namespace migsafe::integrity::detail {

/// Bisects `rel_a` (first database, through `a`) against `rel_b` (second, through `b`).
/// Both must have the same columns and primary key; `rel_a`'s key types are used.
TableLocalisation bisect_table(platform::Session& a, platform::Session& b,
                               const platform::catalog::RelationInfo& rel_a,
                               const platform::catalog::RelationInfo& rel_b,
                               const CompareOptions& options);

} // namespace migsafe::integrity::detail
