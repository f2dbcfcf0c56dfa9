// The terminal rendering of a plan.
#include <migsafe/plan/render.hpp>

#include <fmt/format.h>

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

} // namespace

std::string render_text(const PlanReport& report, Colour colour)
{
    const Palette& p = colour == Colour::on ? k_colours : k_plain;
    std::string out;
    for (const auto& statement : report.statements) {
        const bool session = statement.kind == "set" || statement.kind == "transaction";
        if (session && statement.findings.empty()) {
            continue;
        }
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
    const auto& c = report.counts;
    out += fmt::format("{}verdict: {}{} ({} statements: {} errors, {} warnings, {} infos, {} "
                       "allowed; PostgreSQL {}, fail on {})\n",
                       report.verdict == Verdict::pass ? p.green : p.red, to_string(report.verdict),
                       p.reset, c.statements, c.errors, c.warnings, c.infos, c.allowed,
                       report.pg_version, to_string(report.fail_on));
    return out;
}

} // namespace migsafe::plan
