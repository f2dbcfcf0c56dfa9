// The terminal rendering of a plan.
#include <migsafe/plan/render.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <string>
#include <vector>

namespace migsafe::plan {
namespace {

struct Palette {
    std::string_view red, yellow, cyan, green, dim, bold, reset;
};

constexpr Palette k_colours{"\033[31m", "\033[33m", "\033[36m", "\033[32m",
                            "\033[2m",  "\033[1m",  "\033[0m"};
constexpr Palette k_plain{};

std::string_view severity_colour(const Palette& p, Severity severity)
{
    switch (severity) {
    case Severity::error:
        return p.red;
    case Severity::warning:
        return p.yellow;
    case Severity::info:
        return p.cyan;
    }
    return p.reset;
}

std::string first_line(const std::string& sql)
{
    constexpr std::size_t k_width = 96;
    std::string line = sql.substr(0, sql.find('\n'));
    if (line.size() > k_width || line.size() < sql.size()) {
        line = line.substr(0, k_width) + " ...";
    }
    return line;
}

void render_finding(const Palette& p, const Finding& finding, std::string& out)
{
    const auto colour = finding.allowed ? p.dim : severity_colour(p, finding.severity);
    const auto found = find_rule(finding.rule);
    out += fmt::format("  {}{} {}{}{}: {}{}\n", colour, to_string(finding.severity), finding.rule,
                       found ? " " : "", found ? found->slug : "", finding.message, p.reset);
    if (finding.allowed) {
        out += fmt::format("    {}allowed: {}{}\n", p.dim, finding.allowed_reason, p.reset);
        return;
    }
    if (finding.fix.empty()) {
        return;
    }
    out += "    fix:\n";
    std::size_t start = 0;
    while (start <= finding.fix.size()) {
        auto end = finding.fix.find('\n', start);
        if (end == std::string::npos) {
            end = finding.fix.size();
        }
        out +=
            fmt::format("      {}{}{}\n", p.green, finding.fix.substr(start, end - start), p.reset);
        start = end + 1;
    }
}

std::string join_relations(const std::vector<std::string>& relations)
{
    return fmt::format("{}", fmt::join(relations, ", "));
}

/// The statements of one migration file, in the report's order.
struct FileGroup {
    std::string file{};
    std::vector<const StatementPlan*> statements{};
    int errors = 0, warnings = 0, infos = 0, allowed = 0;

    /// 3 errors, 2 warnings, 1 info, 0: nothing open.
    int rank() const { return errors > 0 ? 3 : warnings > 0 ? 2 : infos > 0 ? 1 : 0; }
};

std::vector<FileGroup> group_by_file(const PlanReport& report)
{
    std::vector<FileGroup> groups;
    for (const auto& statement : report.statements) {
        if (groups.empty() || groups.back().file != statement.file) {
            groups.push_back({.file = statement.file});
        }
        FileGroup& group = groups.back();
        group.statements.push_back(&statement);
        for (const auto& finding : statement.findings) {
            if (finding.allowed) {
                ++group.allowed;
            } else if (finding.severity == Severity::error) {
                ++group.errors;
            } else if (finding.severity == Severity::warning) {
                ++group.warnings;
            } else {
                ++group.infos;
            }
        }
    }
    return groups;
}

std::string counted(int count, std::string_view what)
{
    return fmt::format("{} {}{}", count, what, count == 1 ? "" : "s");
}

void render_statement(const Palette& p, const StatementPlan& statement, std::string& out)
{
    out += fmt::format("{}{}:{}:{}{} {} [{}]\n", p.bold, statement.file, statement.line,
                       statement.column, p.reset, statement.kind, to_string(statement.phase));
    out += fmt::format("  {}{}{}\n", p.dim, first_line(statement.sql), p.reset);
    for (const auto& lock : statement.locks) {
        out += fmt::format("  lock    {} {}\n", to_string(lock.mode), lock.relation);
    }
    if (!statement.rewrites.empty()) {
        out += fmt::format("  rewrite {}\n", join_relations(statement.rewrites));
    }
    if (!statement.scans.empty()) {
        out += fmt::format("  scan    {}\n", join_relations(statement.scans));
    }
    for (const auto& finding : statement.findings) {
        render_finding(p, finding, out);
    }
    out += "\n";
}

/// `== file: 2 errors, 1 warning ==`, then its statements; a file with findings shows only
/// the statements that have some.
void render_file(const Palette& p, const FileGroup& group, std::string& out)
{
    std::vector<std::string> parts;
    if (group.errors > 0) {
        parts.push_back(counted(group.errors, "error"));
    }
    if (group.warnings > 0) {
        parts.push_back(counted(group.warnings, "warning"));
    }
    if (group.infos > 0) {
        parts.push_back(counted(group.infos, "info"));
    }
    if (group.allowed > 0) {
        parts.push_back(fmt::format("{} allowed", group.allowed));
    }
    const auto colour = group.errors > 0     ? p.red
                        : group.warnings > 0 ? p.yellow
                        : group.infos > 0    ? p.cyan
                                             : p.green;
    out += fmt::format("{}{}== {}: {} =={}\n", p.bold, colour, group.file,
                       parts.empty() ? std::string("no findings")
                                     : fmt::format("{}", fmt::join(parts, ", ")),
                       p.reset);
    const bool has_findings = !parts.empty();
    int quiet = 0;
    for (const auto* statement : group.statements) {
        const bool session = statement->kind == "set" || statement->kind == "transaction";
        if (statement->findings.empty() && (has_findings || session)) {
            quiet += session ? 0 : 1;
            continue;
        }
        render_statement(p, *statement, out);
    }
    if (quiet > 0) {
        out += fmt::format("  {}({} without findings){}\n\n", p.dim,
                           counted(quiet, "other statement"), p.reset);
    }
}

} // namespace

std::string render_text(const PlanReport& report, Colour colour)
{
    const Palette& p = colour == Colour::on ? k_colours : k_plain;
    auto groups = group_by_file(report);
    // The migrations that need attention first, worst first, each in version order; the
    // ones with nothing open are only counted (and named) at the end.
    std::stable_sort(groups.begin(), groups.end(),
                     [](const FileGroup& a, const FileGroup& b) { return a.rank() > b.rank(); });
    std::string out;
    std::vector<std::string> fine;
    int with_errors = 0, with_warnings = 0;
    for (const auto& group : groups) {
        if (group.rank() < 2) {
            fine.push_back(group.file);
        }
        with_errors += group.rank() == 3 ? 1 : 0;
        with_warnings += group.rank() == 2 ? 1 : 0;
        if (group.rank() > 0 || groups.size() <= 3) {
            render_file(p, group, out);
        }
    }
    const auto& c = report.counts;
    const int attention = with_errors + with_warnings;
    out += fmt::format("summary: {} of {} need{} attention ({} with errors, {} with warnings "
                       "only); {} {} fine",
                       attention, counted(static_cast<int>(groups.size()), "migration"),
                       attention == 1 ? "s" : "", with_errors, with_warnings, fine.size(),
                       fine.size() == 1 ? "is" : "are");
    constexpr std::size_t k_named = 6;
    if (!fine.empty() && attention > 0) {
        std::vector<std::string> named(
            fine.begin(),
            fine.begin() + static_cast<std::ptrdiff_t>(std::min(fine.size(), k_named)));
        out +=
            fmt::format(" ({}{})", fmt::join(named, ", "),
                        fine.size() > k_named ? fmt::format(" and {} more", fine.size() - k_named)
                                              : std::string());
    }
    out += "\n";
    out += fmt::format("{}verdict: {}{} ({} statements: {} errors, {} warnings, {} infos, {} "
                       "allowed; PostgreSQL {}, fail on {})\n",
                       report.verdict == Verdict::pass ? p.green : p.red, to_string(report.verdict),
                       p.reset, c.statements, c.errors, c.warnings, c.infos, c.allowed,
                       report.pg_version, to_string(report.fail_on));
    return out;
}

} // namespace migsafe::plan
