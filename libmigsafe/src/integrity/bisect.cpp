// Depth-first over key ranges, in key order: a range whose checksums agree is dropped; a
// differing one is cut at `fan_out - 1` keys taken from the side holding more of its rows
// (quantiles by row_number), so each step shrinks it about `fan_out` times. The sub-ranges
// cover the parent exactly on both sides, because they are defined by key predicates,
// not by which rows exist.
#include "integrity/bisect.hpp"

#include <algorithm>
#include <map>

namespace migsafe::integrity::detail {
namespace {

namespace catalog = platform::catalog;

Checksum range_checksum(platform::Session& conn, const catalog::RelationInfo& rel,
                        const catalog::KeyRange& range)
{
    Checksum sum;
    catalog::stream_key_range(conn, rel, range, [&](std::string_view row) { sum.add_row(row); });
    return sum;
}

void list_rows(platform::Session& a, platform::Session& b, const catalog::RelationInfo& rel_a,
               const catalog::RelationInfo& rel_b, const catalog::KeyRange& range,
               const CompareOptions& options, TableLocalisation& out)
{
    std::map<KeyValue, std::string> rows_a;
    for (auto& [key, row] : catalog::keyed_rows(a, rel_a, range)) {
        rows_a.emplace(std::move(key), std::move(row));
    }
    std::map<KeyValue, std::string> rows_b;
    for (auto& [key, row] : catalog::keyed_rows(b, rel_b, range)) {
        rows_b.emplace(std::move(key), std::move(row));
    }
    auto add = [&](const KeyValue& key, RowChange change) {
        if (out.rows.size() >= options.max_rows) {
            out.truncated = true;
            return;
        }
        out.rows.push_back({key, change});
    };
    for (const auto& [key, row] : rows_a) {
        auto it = rows_b.find(key);
        if (it == rows_b.end()) {
            add(key, RowChange::only_in_a);
        } else if (it->second != row) {
            add(key, RowChange::changed);
        }
    }
    for (const auto& [key, row] : rows_b) {
        if (!rows_a.contains(key)) {
            add(key, RowChange::only_in_b);
        }
    }
}

} // namespace

TableLocalisation bisect_table(platform::Session& a, platform::Session& b,
                               const catalog::RelationInfo& rel_a,
                               const catalog::RelationInfo& rel_b, const CompareOptions& options)
{
    TableLocalisation out{.table = qualified_name(rel_a.schema, rel_a.name),
                          .localised = true,
                          .key_columns = rel_a.key_columns};
    // rel_b is queried with rel_a's key types: both sides must compare keys alike.
    catalog::RelationInfo typed_b = rel_b;
    typed_b.key_types = rel_a.key_types;
    const std::int64_t fan_out = std::max(2, options.fan_out);

    struct Pending {
        catalog::KeyRange range;
        bool known_different = false; ///< skip hashing: the caller knows it differs
    };
    std::vector<Pending> stack{{catalog::KeyRange{}, true}};
    while (!stack.empty()) {
        if (out.ranges.size() >= options.max_ranges) {
            out.truncated = true;
            break;
        }
        Pending next = std::move(stack.back());
        stack.pop_back();
        std::uint64_t rows_a = 0;
        std::uint64_t rows_b = 0;
        if (!next.known_different) {
            Checksum sum_a = range_checksum(a, rel_a, next.range);
            Checksum sum_b = range_checksum(b, typed_b, next.range);
            if (sum_a == sum_b) {
                continue;
            }
            rows_a = sum_a.rows;
            rows_b = sum_b.rows;
            if (std::max(rows_a, rows_b) <= options.leaf_rows) {
                out.ranges.push_back({next.range.lower, next.range.upper, rows_a, rows_b});
                if (options.show_rows == ShowRows::yes) {
                    list_rows(a, b, rel_a, typed_b, next.range, options, out);
                }
                continue;
            }
        }
        bool split_on_a = next.known_different || rows_a >= rows_b;
        auto splits = split_on_a ? catalog::split_keys(a, rel_a, next.range, fan_out)
                                 : catalog::split_keys(b, typed_b, next.range, fan_out);
        if (splits.empty() && !next.known_different) {
            // A single key cannot be cut further: report it as it is.
            out.ranges.push_back({next.range.lower, next.range.upper, rows_a, rows_b});
            if (options.show_rows == ShowRows::yes) {
                list_rows(a, b, rel_a, typed_b, next.range, options, out);
            }
            continue;
        }
        // Pushed in reverse so that the lowest slice is examined first.
        std::vector<catalog::KeyRange> slices;
        std::optional<catalog::Key> lower = next.range.lower;
        for (auto& split : splits) {
            slices.push_back({lower, split});
            lower = std::move(split);
        }
        slices.push_back({lower, next.range.upper});
        std::reverse(slices.begin(), slices.end());
        for (auto& slice : slices) {
            stack.push_back({std::move(slice), false});
        }
    }
    return out;
}

} // namespace migsafe::integrity::detail
