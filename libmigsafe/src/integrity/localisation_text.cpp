// The text form of a table's localisation: what `migsafe verify --against` prints, the
// differing rows included with --show-rows, and what `--baseline` prints from range hashes,
// the live keys of each differing range included with --show-rows (the JSON form is in
// compare.cpp).
#include <migsafe/integrity/compare.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace migsafe::integrity {
namespace {

/// `id` for one key column, `(clinic_id, day)` for several.
std::string columns_text(const std::vector<std::string>& columns)
{
    return columns.size() == 1 ? columns.front() : fmt::format("({})", fmt::join(columns, ", "));
}

std::string key_text(const KeyValue& key)
{
    return key.size() == 1 ? key.front() : fmt::format("({})", fmt::join(key, ", "));
}

std::string range_text(const std::string& columns, const DifferingRange& range,
                       bool against_baseline)
{
    std::string bounds;
    if (range.lower && range.upper) {
        bounds = fmt::format("{} >= {} and < {}", columns, key_text(*range.lower),
                             key_text(*range.upper));
    } else if (range.lower) {
        bounds = fmt::format("{} >= {}", columns, key_text(*range.lower));
    } else if (range.upper) {
        bounds = fmt::format("{} < {}", columns, key_text(*range.upper));
    } else {
        bounds = "every key";
    }
    if (against_baseline) {
        return fmt::format("{}: {} rows in the baseline, {} now", bounds, range.rows_a,
                           range.rows_b);
    }
    return fmt::format("{}: {} rows in the first database, {} in the second", bounds, range.rows_a,
                       range.rows_b);
}

std::string_view change_text(RowChange change)
{
    switch (change) {
    case RowChange::only_in_a:
        return "only in the first database";
    case RowChange::only_in_b:
        return "only in the second database";
    case RowChange::changed:
        return "changed";
    }
    return "changed";
}

} // namespace

std::string TableLocalisation::to_text() const
{
    if (!localised) {
        return fmt::format("  {}: not localised ({})\n", table, reason);
    }
    auto columns = columns_text(key_columns);
    std::string out = fmt::format("  {}: {} differing key range(s){}{}\n", table, ranges.size(),
                                  against_baseline ? " (from the baseline's range hashes)" : "",
                                  truncated ? " (more not looked for)" : "");
    for (const auto& range : ranges) {
        out += "    " + range_text(columns, range, against_baseline) + "\n";
        if (!range.live_keys.empty()) {
            std::vector<std::string> keys;
            for (const auto& key : range.live_keys) {
                keys.push_back(key_text(key));
            }
            // The baseline holds the range's hash, not its rows: only the live keys are known.
            out += fmt::format("      keys now in this range: {}\n", fmt::join(keys, ", "));
        }
    }
    for (const auto& row : rows) {
        out +=
            fmt::format("    {} = {}: {}\n", columns, key_text(row.key), change_text(row.change));
    }
    return out;
}

} // namespace migsafe::integrity
