#pragma once
// Which relations a scan covers: the include and exclude patterns, with partitions
// following their partitioned parent.

#include "platform/catalog/integrity_queries.hpp"

#include <string>
#include <vector>

namespace migsafe::integrity::detail {

/// Keeps the relations in scope of `includes` (none: all) minus `excludes`. A partition
/// is in scope when it or an ancestor matches; an excluded ancestor excludes it.
std::vector<platform::catalog::RelationInfo>
select_relations(const std::vector<platform::catalog::RelationInfo>& all,
                 const std::vector<std::string>& includes,
                 const std::vector<std::string>& excludes);

} // namespace migsafe::integrity::detail
