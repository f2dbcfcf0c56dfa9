// Bounds are chosen once, before the rows stream: the keys of a page sample
// (TABLESAMPLE SYSTEM, fixed seed; every key of a small table) cut at quantiles. Each row's
// key is read back from its own COPY text (an integer prints as plain digits, never
// escaped), so the server does no extra work and the rows still stream in heap order.
#include "integrity/key_ranges.hpp"

#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

namespace migsafe::integrity::detail {
namespace {

namespace catalog = platform::catalog;

constexpr std::size_t k_max_ranges = 4096;
constexpr double k_sampled_pages_per_range = 4;
constexpr double k_min_sampled_pages = 16;
// The most rows a heap page holds (MaxHeapTuplesPerPage with 8 kB blocks): a table of
// fewer pages than range_rows / this has a single range, no sample needed.
constexpr std::int64_t k_max_rows_per_page = 291;
constexpr std::int64_t k_typical_rows_per_page = 64;
// A table of at most this many pages (1 MB) has every key read: exact quantiles, and the
// bounds do not depend on whether autovacuum has counted its rows yet.
constexpr std::int64_t k_whole_table_pages = 128;

std::optional<std::int64_t> parse_integer(std::string_view text)
{
    std::int64_t value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end || text.empty()) {
        return std::nullopt;
    }
    return value;
}

bool integer_key(const catalog::RelationInfo& rel)
{
    if (rel.partitioned || rel.key_columns.size() != 1 || rel.key_types.size() != 1) {
        return false;
    }
    const auto& type = rel.key_types.front();
    return type == "smallint" || type == "integer" || type == "bigint";
}

/// Plan from bound texts; nullopt when they are not strictly ascending integers.
std::optional<RangePlan> plan_from(std::size_t key_field, std::vector<std::string> texts)
{
    RangePlan plan{.key_field = key_field};
    for (const auto& text : texts) {
        auto value = parse_integer(text);
        if (!value || (!plan.bounds.empty() && *value <= plan.bounds.back())) {
            return std::nullopt;
        }
        plan.bounds.push_back(*value);
    }
    plan.bound_texts = std::move(texts);
    return plan;
}

} // namespace

std::size_t RangePlan::range_of(std::string_view row) const
{
    const char* at = row.data();
    const char* end = at + row.size();
    for (std::size_t field = 0; field < key_field; ++field) {
        const auto* tab = static_cast<const char*>(std::memchr(at, '\t', end - at));
        if (tab == nullptr) {
            at = nullptr;
            break;
        }
        at = tab + 1;
    }
    std::optional<std::int64_t> key;
    if (at != nullptr) {
        const auto* tab = static_cast<const char*>(std::memchr(at, '\t', end - at));
        key = parse_integer(std::string_view(at, (tab == nullptr ? end : tab) - at));
    }
    if (!key) {
        throw Error("internal-assertion",
                    fmt::format("a COPY row has no integer key in field {}", key_field + 1));
    }
    return static_cast<std::size_t>(std::upper_bound(bounds.begin(), bounds.end(), *key) -
                                    bounds.begin());
}

std::optional<RangePlan> plan_ranges(platform::Session& conn, const catalog::RelationInfo& rel,
                                     const ScanOptions& options)
{
    if (!integer_key(rel)) {
        return std::nullopt;
    }
    auto column = std::find(rel.columns.begin(), rel.columns.end(), rel.key_columns.front());
    if (column == rel.columns.end()) {
        return std::nullopt;
    }
    auto key_field = static_cast<std::size_t>(column - rel.columns.begin());
    auto given = options.range_bounds.find(qualified_name(rel.schema, rel.name));
    if (given != options.range_bounds.end()) {
        return plan_from(key_field, given->second);
    }
    if (options.range_rows == 0) {
        return std::nullopt;
    }
    const auto range_rows = static_cast<double>(options.range_rows);
    if (rel.pages * k_max_rows_per_page <= static_cast<std::int64_t>(options.range_rows)) {
        return RangePlan{.key_field = key_field}; // one range: the table cannot hold more
    }
    // The sample is of whole pages, each a run of neighbouring keys when the table is in
    // key order: quantiles are even only with several pages per range.
    double rows = catalog::estimated_rows(conn, rel);
    if (rows <= 0) {
        // Never vacuumed or analyzed (a fresh restore): a typical row width. Too low an
        // estimate only makes the ranges less even, never more numerous than 4096.
        rows = static_cast<double>(rel.pages * k_typical_rows_per_page);
    }
    double pages = std::max(k_min_sampled_pages, k_sampled_pages_per_range * rows / range_rows);
    double percent =
        rel.pages <= k_whole_table_pages
            ? 100.0
            : std::min(100.0,
                       100.0 * pages / static_cast<double>(std::max<std::int64_t>(rel.pages, 1)));
    auto keys = catalog::sample_keys(conn, rel, percent);
    double estimated_rows = static_cast<double>(keys.size()) * 100.0 / percent;
    auto ranges = static_cast<std::size_t>(
        std::clamp(std::ceil(estimated_rows / range_rows), 1.0, static_cast<double>(k_max_ranges)));
    std::vector<std::string> texts;
    for (std::size_t i = 1; i < ranges; ++i) {
        const auto& key = keys.at(i * keys.size() / ranges);
        if (texts.empty() || parse_integer(key) > parse_integer(texts.back())) {
            texts.push_back(key);
        }
    }
    return plan_from(key_field, std::move(texts));
}

} // namespace migsafe::integrity::detail
