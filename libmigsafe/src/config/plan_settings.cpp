// migsafe.toml's [plan] lists as the planner's options.
#include <migsafe/config/plan_settings.hpp>

namespace migsafe::config {

void add_plan_settings(const ConfigFile& file, plan::PlanOptions& options)
{
    for (const auto& disabled : file.disabled_rules) {
        options.disabled_rules.push_back(disabled.rule);
    }
    for (const auto& severity : file.severity) {
        options.severity_overrides.emplace_back(severity.rule, severity.severity);
    }
    for (const auto& allow : file.allowances) {
        options.path_allows.push_back(
            {.rule = allow.rule, .path = allow.path, .reason = allow.reason});
    }
}

} // namespace migsafe::config
