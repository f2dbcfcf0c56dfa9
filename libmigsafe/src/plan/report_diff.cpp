// Differences between two plans, statement by statement.
#include <migsafe/plan/report.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace migsafe::plan {
namespace {

std::string locks_text(std::vector<Lock> locks)
{
    std::sort(locks.begin(), locks.end(),
              [](const Lock& a, const Lock& b) { return a.relation < b.relation; });
    std::vector<std::string> parts;
    parts.reserve(locks.size());
    for (const auto& lock : locks) {
        parts.push_back(lock.relation + " " + std::string(to_string(lock.mode)));
    }
    return fmt::format("[{}]", fmt::join(parts, ", "));
}

std::string list_text(std::vector<std::string> items)
{
    std::sort(items.begin(), items.end());
    items.erase(std::unique(items.begin(), items.end()), items.end());
    return fmt::format("[{}]", fmt::join(items, ", "));
}

std::vector<std::string> open_rules(const StatementPlan& statement)
{
    std::vector<std::string> rules;
    for (const auto& finding : statement.findings) {
        if (!finding.allowed) {
            rules.push_back(finding.rule);
        }
    }
    return rules;
}

} // namespace

std::vector<std::string> diff(const PlanReport& left, const PlanReport& right)
{
    std::vector<std::string> out;
    if (left.statements.size() != right.statements.size()) {
        out.push_back(
            fmt::format("statements: {} -> {}", left.statements.size(), right.statements.size()));
    }
    const auto count = std::min(left.statements.size(), right.statements.size());
    for (std::size_t i = 0; i < count; ++i) {
        const auto& a = left.statements[i];
        const auto& b = right.statements[i];
        const std::string where = fmt::format("{}:{}", a.file, a.line);
        auto compare = [&](std::string_view what, const std::string& x, const std::string& y) {
            if (x != y) {
                out.push_back(fmt::format("{}: {}: {} -> {}", where, what, x, y));
            }
        };
        compare("locks", locks_text(a.locks), locks_text(b.locks));
        compare("rewrites", list_text(a.rewrites), list_text(b.rewrites));
        compare("scans", list_text(a.scans), list_text(b.scans));
        compare("phase", std::string(to_string(a.phase)), std::string(to_string(b.phase)));
        compare("findings", list_text(open_rules(a)), list_text(open_rules(b)));
    }
    if (left.verdict != right.verdict) {
        out.push_back(
            fmt::format("verdict: {} -> {}", to_string(left.verdict), to_string(right.verdict)));
    }
    return out;
}

} // namespace migsafe::plan
