// The directives the planner needs, read from the comment lines that lead a migration.
// The model's migration set reads the full set (backfill settings...); this keeps
// analyze_sql usable on a lone file.
#include <migsafe/plan/analyze.hpp>
#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

#include <sstream>

namespace migsafe::plan {
namespace {

std::string_view trim(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
        text.remove_suffix(1);
    }
    return text;
}

[[noreturn]] void malformed(const std::filesystem::path& file, int line, std::string message)
{
    throw Error("directive-malformed", std::move(message),
                {.file = file.string(), .line = line, .column = 1});
}

void read_allow(std::string_view args, const std::filesystem::path& file, int line,
                PlanInput& input)
{
    const auto space = args.find(' ');
    const std::string rule_id(args.substr(0, space));
    const std::string reason(space == std::string_view::npos ? "" : trim(args.substr(space)));
    if (rule_id.empty() || reason.empty()) {
        malformed(file, line, "`-- migsafe:allow` needs a rule id and a reason");
    }
    const auto known = find_rule(rule_id);
    if (!known) {
        malformed(file, line, fmt::format("`-- migsafe:allow` names the unknown rule {}", rule_id));
    }
    input.allows.push_back({std::string(known->id), reason});
}

} // namespace

PlanInput read_plan_directives(std::string_view sql, const std::filesystem::path& file)
{
    PlanInput input{.file = file};
    std::istringstream lines{std::string(sql)};
    std::string raw;
    int number = 0;
    while (std::getline(lines, raw)) {
        ++number;
        const std::string_view line = trim(raw);
        if (line.empty()) {
            continue;
        }
        if (!line.starts_with("--")) {
            break;
        }
        const std::string_view comment = trim(line.substr(2));
        if (!comment.starts_with("migsafe:")) {
            continue;
        }
        const std::string_view body = comment.substr(8);
        const auto space = body.find(' ');
        const std::string_view name = body.substr(0, space);
        const std::string_view args =
            space == std::string_view::npos ? std::string_view() : trim(body.substr(space));
        if (name == "no-transaction") {
            input.transaction = Transaction::none;
        } else if (name == "phase") {
            auto phase = parse_phase(args);
            if (!phase || *phase == Phase::none) {
                malformed(file, number, "`-- migsafe:phase` needs expand, backfill or contract");
            }
            input.phase = phase;
        } else if (name == "allow") {
            read_allow(args, file, number, input);
        }
    }
    return input;
}

} // namespace migsafe::plan
