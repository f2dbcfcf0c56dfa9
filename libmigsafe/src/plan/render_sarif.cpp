// SARIF 2.1.0 (OASIS), the format code-scanning UIs read.
#include <migsafe/plan/render.hpp>
#include <migsafe/version.hpp>

#include <nlohmann/json.hpp>

namespace migsafe::plan {
namespace {

using Json = nlohmann::ordered_json;

std::string_view sarif_level(Severity severity)
{
    switch (severity) {
    case Severity::error:
        return "error";
    case Severity::warning:
        return "warning";
    case Severity::info:
        return "note";
    }
    return "error";
}

Json rule_json(const Rule& rule)
{
    return {{"id", rule.id},
            {"name", rule.slug},
            {"shortDescription", {{"text", rule.summary}}},
            {"fullDescription", {{"text", rule.why}}},
            {"help", {{"text", rule.alternative}}},
            {"helpUri", "docs/rules/" + std::string(rule.id) + ".md"},
            {"defaultConfiguration", {{"level", sarif_level(rule.severity)}}}};
}

Json result_json(const StatementPlan& statement, const Finding& finding, int rule_index)
{
    Json result = {
        {"ruleId", finding.rule},
        {"level", sarif_level(finding.severity)},
        {"message", {{"text", finding.message}}},
        {"locations", Json::array({{{"physicalLocation",
                                     {{"artifactLocation", {{"uri", statement.file}}},
                                      {"region",
                                       {{"startLine", std::max(statement.line, 1)},
                                        {"startColumn", std::max(statement.column, 1)}}}}}}})}};
    if (rule_index >= 0) {
        result["ruleIndex"] = rule_index;
    }
    if (finding.allowed) {
        result["suppressions"] =
            Json::array({{{"kind", "inSource"}, {"justification", finding.allowed_reason}}});
    }
    if (!finding.fix.empty()) {
        result["properties"] = {{"fix", finding.fix}};
    }
    return result;
}

} // namespace

std::string render_sarif(const PlanReport& report)
{
    Json rules = Json::array();
    const auto catalog = rule_catalog();
    for (const auto& rule : catalog) {
        rules.push_back(rule_json(rule));
    }
    Json results = Json::array();
    for (const auto& statement : report.statements) {
        for (const auto& finding : statement.findings) {
            int index = -1;
            for (std::size_t i = 0; i < catalog.size(); ++i) {
                if (catalog[i].id == finding.rule) {
                    index = static_cast<int>(i);
                }
            }
            results.push_back(result_json(statement, finding, index));
        }
    }
    Json sarif = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                  {"version", "2.1.0"},
                  {"runs", Json::array({{{"tool",
                                          {{"driver",
                                            {{"name", "migsafe"},
                                             {"version", MIGSAFE_VERSION_STRING},
                                             {"informationUri", "docs/plan.md"},
                                             {"rules", rules}}}}},
                                         {"results", results}}})}};
    return sarif.dump(2) + "\n";
}

} // namespace migsafe::plan
