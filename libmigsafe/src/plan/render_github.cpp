// GitHub Actions workflow commands (annotations on the pull request's files).
#include <migsafe/plan/render.hpp>

#include <fmt/format.h>

namespace migsafe::plan {
namespace {

// GitHub's escaping: in the message, % CR LF; in properties also : and ,.
std::string escape(std::string_view text, bool property)
{
    std::string out;
    for (char c : text) {
        switch (c) {
        case '%':
            out += "%25";
            break;
        case '\r':
            out += "%0D";
            break;
        case '\n':
            out += "%0A";
            break;
        case ':':
            out += property ? "%3A" : ":";
            break;
        case ',':
            out += property ? "%2C" : ",";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string_view command(Severity severity)
{
    switch (severity) {
    case Severity::error:
        return "error";
    case Severity::warning:
        return "warning";
    case Severity::info:
        return "notice";
    }
    return "error";
}

} // namespace

std::string render_github(const PlanReport& report)
{
    std::string out;
    for (const auto& statement : report.statements) {
        for (const auto& finding : statement.findings) {
            if (finding.allowed) {
                continue;
            }
            const auto rule = find_rule(finding.rule);
            const std::string title =
                rule ? fmt::format("{} {}", rule->id, rule->slug) : finding.rule;
            std::string message = finding.message;
            if (!finding.fix.empty()) {
                message += "\nfix:\n" + finding.fix;
            }
            out +=
                fmt::format("::{} file={},line={},col={},title={}::{}\n", command(finding.severity),
                            escape(statement.file, true), statement.line, statement.column,
                            escape(title, true), escape(message, false));
        }
    }
    return out;
}

} // namespace migsafe::plan
