// One finding per cause. The session rules fire statement by statement; a reviewer needs
// each cause once: a file without lock_timeout is one fix (MS-OPS-01, -02, and the
// foreign keys of new tables that wait for their lock, MS-CON-08), an
// AccessExclusiveLock held through the rest of a transaction is one fix (MS-OPS-03), and
// so are several ALTERs of one table in a row (MS-OPS-05). The first finding of a cause
// stays, on its statement, and names the other statements; the rest are dropped.
#include "plan/effects.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace migsafe::plan::detail {
namespace {

/// Where a finding is: its statement and its index in the statement's findings.
struct Place {
    std::size_t statement = 0;
    std::size_t finding = 0;
};

/// The lines of `places` after the first, as `line 7, line 9` (at most `k_listed`, then
/// `and N more`).
std::string other_lines(const PlanReport& report, const std::vector<Place>& places)
{
    constexpr std::size_t k_listed = 8;
    std::vector<std::string> lines;
    for (std::size_t i = 1; i < places.size() && lines.size() < k_listed; ++i) {
        lines.push_back(fmt::format("{}", report.statements[places[i].statement].line));
    }
    std::string text =
        fmt::format("line{} {}", lines.size() == 1 ? "" : "s", fmt::join(lines, ", "));
    if (places.size() - 1 > k_listed) {
        text += fmt::format(" and {} more", places.size() - 1 - k_listed);
    }
    return text;
}

/// Keeps the first finding of each group, rewritten by `merge`, and drops the others.
template <class Merge>
void keep_first(PlanReport& report, std::map<std::string, std::vector<Place>>& groups, Merge merge)
{
    std::vector<Place> dropped;
    for (auto& [key, places] : groups) {
        if (places.size() < 2) {
            continue;
        }
        Finding& first =
            report.statements[places.front().statement].findings[places.front().finding];
        merge(first, places);
        dropped.insert(dropped.end(), places.begin() + 1, places.end());
    }
    // Erase from the back so that the recorded indices stay valid.
    std::sort(dropped.begin(), dropped.end(), [](const Place& a, const Place& b) {
        return std::tie(a.statement, a.finding) > std::tie(b.statement, b.finding);
    });
    for (const auto& place : dropped) {
        auto& findings = report.statements[place.statement].findings;
        findings.erase(findings.begin() + static_cast<std::ptrdiff_t>(place.finding));
    }
}

} // namespace

void aggregate_findings(PlanReport& report, std::size_t first,
                        const std::vector<int>& transaction_of)
{
    std::map<std::string, std::vector<Place>> groups;
    for (std::size_t s = first; s < report.statements.size(); ++s) {
        const auto& statement = report.statements[s];
        for (std::size_t f = 0; f < statement.findings.size(); ++f) {
            const auto& rule = statement.findings[f].rule;
            std::string key;
            if (rule == "MS-OPS-01" || rule == "MS-OPS-02" || rule == "MS-CON-08") {
                key = rule; // once per file: the fix is one SET lock_timeout at its top
            } else if (rule == "MS-OPS-03") {
                key = fmt::format("{}#{}", rule, transaction_of[s - first]);
            } else if (rule == "MS-OPS-05" && !statement.locks.empty()) {
                key = fmt::format("{}#{}", rule, statement.locks.front().relation);
            }
            if (!key.empty()) {
                groups[key].push_back({s, f});
            }
        }
    }
    keep_first(report, groups, [&report](Finding& kept, const std::vector<Place>& places) {
        const auto count = places.size() - 1;
        const auto more = other_lines(report, places);
        if (kept.rule == "MS-OPS-01") {
            kept.message += fmt::format("; {} more statement{} of this file wait{} for a "
                                        "blocking lock without lock_timeout ({})",
                                        count, count == 1 ? "" : "s", count == 1 ? "s" : "", more);
        } else if (kept.rule == "MS-OPS-02") {
            kept.message += fmt::format("; so do {} more statement{} of this file ({})", count,
                                        count == 1 ? "" : "s", more);
        } else if (kept.rule == "MS-CON-08") {
            kept.message += fmt::format("; {} more foreign key{} of this file wait{} the same "
                                        "way ({})",
                                        count, count == 1 ? "" : "s", count == 1 ? "s" : "", more);
        } else if (kept.rule == "MS-OPS-03") {
            // The last statement held up names every relation locked by then.
            const auto& last = places.back();
            kept.message = report.statements[last.statement].findings[last.finding].message;
            kept.message += fmt::format("; {} more statement{} hold{} it up the same way until "
                                        "COMMIT ({})",
                                        count, count == 1 ? "" : "s", count == 1 ? "s" : "", more);
            kept.fix = "-- end the transaction after the statement that takes the "
                       "AccessExclusiveLock: move the statements after it to a later migration";
        } else {
            kept.message += fmt::format("; and again at {}", more);
        }
    });
}

} // namespace migsafe::plan::detail
