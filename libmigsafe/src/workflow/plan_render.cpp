// The documents of a plan run (include/migsafe/workflow/plan.hpp): the plan's own JSON or
// rendering, with the trace's and the cut-over gate's parts when they ran (docs/json.md).
#include <migsafe/flags/json.hpp>
#include <migsafe/workflow/plan.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace migsafe::workflow {
namespace {

nlohmann::json trace_json(const trace::TraceReport& traced)
{
    nlohmann::json not_traced = nlohmann::json::array();
    for (const auto& s : traced.statements) {
        if (!s.traced) {
            not_traced.push_back({{"file", s.file}, {"line", s.line}, {"reason", s.reason}});
        }
    }
    return {{"server_version", traced.server_version},
            {"compared", traced.compared},
            {"agreed", traced.agreed},
            {"disagreements", traced.disagreements},
            {"not_traced", not_traced}};
}

std::string trace_text(const trace::TraceReport& traced)
{
    std::string text = fmt::format(
        "\ntrace: {} statements run on PostgreSQL {} and rolled back; {} agree with the static "
        "plan\n",
        traced.compared, traced.server_version / 10000, traced.agreed);
    for (const auto& line : traced.disagreements) {
        text += "  disagrees: " + line + "\n";
    }
    for (const auto& s : traced.statements) {
        if (!s.traced) {
            text += fmt::format("  not traced: {}:{}: {}\n", s.file, s.line, s.reason);
        }
    }
    return text;
}

nlohmann::json gate_json(const std::vector<flags::GateVerdict>& gate)
{
    nlohmann::json out = nlohmann::json::array();
    for (const auto& verdict : gate) {
        out.push_back(
            {{"file", verdict.file},
             {"line", verdict.requirement.line},
             {"flag", verdict.requirement.key},
             {"env", verdict.requirement.env},
             {"on_for_seconds", verdict.requirement.on_for.count()},
             {"pass", verdict.pass},
             {"fully_on_since", verdict.fully_on_since
                                    ? nlohmann::json(flags::format_time(*verdict.fully_on_since))
                                    : nlohmann::json()},
             {"message", verdict.message}});
    }
    return out;
}

std::string gate_text(const std::vector<flags::GateVerdict>& gate)
{
    std::string text = "\ncut-over gate (flags the pending migrations require):\n";
    for (const auto& verdict : gate) {
        text += fmt::format("  {}: {}\n", verdict.pass ? "ready" : "refused", verdict.message);
    }
    return text;
}

} // namespace

std::string PlanResult::to_json() const
{
    if (!traced && gate.empty()) {
        return report.to_json();
    }
    auto document = nlohmann::json::parse(report.to_json());
    if (traced) {
        document["trace"] = trace_json(*traced);
    }
    if (!gate.empty()) {
        document["cut_over_gate"] = gate_json(gate);
    }
    return document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string PlanResult::render(plan::Format format, plan::Colour colour) const
{
    if (format == plan::Format::json) {
        return to_json();
    }
    auto text = plan::render(report, format, colour);
    if (traced && format == plan::Format::text) {
        text += trace_text(*traced);
    }
    if (!gate.empty() && format == plan::Format::text) {
        text += gate_text(gate);
    }
    return text;
}

} // namespace migsafe::workflow
