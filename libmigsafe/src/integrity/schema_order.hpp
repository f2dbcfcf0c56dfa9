#pragma once
// Private: the order of a schema fingerprint's objects, shared by read_schema (which sorts)
// and diff_schema (which merges): kinds from the outside in, so that a report names a
// schema before its tables and a table before its columns; then names, byte-wise.

#include <migsafe/integrity/schema.hpp>

#include <array>
#include <string_view>
#include <tuple>

namespace migsafe::integrity::detail {

/// The rank of `kind` in a fingerprint; unknown kinds come last (then by name).
inline std::size_t schema_kind_rank(std::string_view kind) noexcept
{
    constexpr std::array<std::string_view, 14> k_kinds{
        "schema",   "extension",  "type",   "sequence", "table",
        "column",   "constraint", "index",  "view",     "materialized-view",
        "function", "trigger",    "policy", "grant"};
    for (std::size_t i = 0; i < k_kinds.size(); ++i) {
        if (k_kinds[i] == kind) {
            return i;
        }
    }
    return k_kinds.size();
}

/// Whether `a` comes before `b` in a fingerprint.
inline bool schema_object_before(const SchemaObject& a, const SchemaObject& b) noexcept
{
    return std::make_tuple(schema_kind_rank(a.kind), std::string_view(a.kind),
                           std::string_view(a.name)) < std::make_tuple(schema_kind_rank(b.kind),
                                                                       std::string_view(b.kind),
                                                                       std::string_view(b.name));
}

} // namespace migsafe::integrity::detail
