// migsafe config: the effective settings of migsafe.toml, the environment and the
// MIGSAFE_* variables, and where each came from (docs/config.md).
#include "command.hpp"

namespace migsafe::cli {

void register_config(CLI::App& app, Selected& selected, const ProjectConfig& project)
{
    auto json = std::make_shared<bool>(false);
    auto* sub = app.add_subcommand(
        "config", "Print the effective settings (migsafe.toml, MIGSAFE_* variables, --env) and "
                  "where each came from");
    sub->add_flag("--json", *json, "Print the settings as one JSON document");
    sub->footer("Examples:\n"
                "  migsafe config\n"
                "  migsafe --env prod config --json\n"
                "  migsafe --config ci/migsafe.toml config");
    sub->callback([&selected, &project, json] {
        selected = {.name = "config",
                    .format = *json ? OutputFormat::json : OutputFormat::text,
                    .body = [&project] {
                        Outcome outcome;
                        outcome.report_json = project.effective->to_json();
                        outcome.text = project.effective->to_text();
                        return outcome;
                    }};
    });
}

} // namespace migsafe::cli
