#include "integrity/scope.hpp"

#include <migsafe/integrity/verify.hpp>

#include <algorithm>
#include <map>

namespace migsafe::integrity::detail {

using platform::catalog::RelationInfo;

std::vector<RelationInfo> select_relations(const std::vector<RelationInfo>& all,
                                           const std::vector<std::string>& includes,
                                           const std::vector<std::string>& excludes)
{
    std::map<std::pair<std::string, std::string>, const RelationInfo*> by_name;
    for (const auto& rel : all) {
        by_name[{rel.schema, rel.name}] = &rel;
    }
    auto any = [](const std::vector<std::string>& patterns, const RelationInfo& rel) {
        return std::any_of(patterns.begin(), patterns.end(), [&](const std::string& p) {
            return table_matches(p, rel.schema, rel.name);
        });
    };
    std::vector<RelationInfo> out;
    for (const auto& rel : all) {
        bool included = includes.empty();
        bool excluded = false;
        // Walk up the partition tree; depth is bounded by the catalog (no cycles).
        for (const RelationInfo* at = &rel; at != nullptr;) {
            included = included || any(includes, *at);
            excluded = excluded || any(excludes, *at);
            auto parent = by_name.find({at->parent_schema, at->parent_name});
            at = at->parent_name.empty() || parent == by_name.end() ? nullptr : parent->second;
        }
        if (included && !excluded) {
            out.push_back(rel);
        }
    }
    return out;
}

} // namespace migsafe::integrity::detail
