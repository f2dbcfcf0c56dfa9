// HealthReport's JSON and text forms (docs/json.md, docs/health.md).
#include <migsafe/workflow/health.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace migsafe::workflow {

std::string HealthReport::to_json() const
{
    nlohmann::ordered_json found = nlohmann::ordered_json::array();
    for (const auto& finding : findings) {
        found.push_back({{"check", finding.check},
                         {"severity", to_string(finding.severity)},
                         {"object", finding.object},
                         {"message", finding.message},
                         {"fix", finding.fix}});
    }
    const nlohmann::ordered_json out = {
        {"schema_version", k_schema_version},
        {"database", database},
        {"server_version", server_version},
        {"checked_at", checked_at},
        {"verdict", healthy() ? "pass" : "fail"},
        {"counts",
         {{"errors", count(HealthSeverity::error)}, {"warnings", count(HealthSeverity::warning)}}},
        {"checks", checks},
        {"findings", found}};
    // Names come from the catalog: a byte that is not UTF-8 becomes U+FFFD.
    return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string HealthReport::to_text() const
{
    std::string text = fmt::format("health of {} (PostgreSQL {}) at {}: {} checks\n", database,
                                   server_version, checked_at, checks.size());
    for (const auto& finding : findings) {
        text += fmt::format("  {} [{}] {}\n", to_string(finding.severity), finding.check,
                            finding.message);
        if (!finding.fix.empty()) {
            text += fmt::format("      fix: {}\n", finding.fix);
        }
    }
    const int errors = count(HealthSeverity::error);
    const int warnings = count(HealthSeverity::warning);
    text += fmt::format("verdict: {} ({} errors, {} warnings)\n", healthy() ? "pass" : "fail",
                        errors, warnings);
    return text;
}

} // namespace migsafe::workflow
