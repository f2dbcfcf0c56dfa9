// migsafe plan [PATH...]: the static plan of a migration set or of SQL files.
#include "command.hpp"
#include "layout_option.hpp"

#include <migsafe/config/plan_settings.hpp>
#include <migsafe/plan/render.hpp>
#include <migsafe/workflow/plan.hpp>

#include <cstdio>
#include <optional>

namespace migsafe::cli {
namespace {

struct PlanArgs {
    std::vector<std::string> paths;
    std::string layout;
    std::optional<int> pg_version;
    std::optional<std::string> db; ///< only an explicit --db reads a catalog (CI stays offline)
    std::string format = "text";
    std::string fail_on = "error";
    bool design_lints = false;
    bool trace = false;
    std::optional<std::string> release_from;
    bool json = false;
};

Outcome run_plan(const PlanArgs& args, const ProjectConfig& project)
{
    auto format = plan::parse_format(args.json ? "json" : args.format);
    workflow::PlanRequest request{
        .paths = {args.paths.begin(), args.paths.end()},
        .load = load_options_for(args.layout),
        .options = {.fail_on =
                        args.fail_on == "warning" ? plan::Severity::warning : plan::Severity::error,
                    .design_lints =
                        args.design_lints ? plan::DesignLints::on : plan::DesignLints::off},
        .pg_version = args.pg_version,
        .conninfo = args.db ? std::optional(resolve_conninfo(*args.db)) : std::nullopt,
        .release_from = args.release_from,
        .trace = args.trace};
    if (project.effective && project.effective->config) {
        config::add_plan_settings(*project.effective->config, request.options); // docs/config.md
    }
    auto result = workflow::plan(std::move(request));
    for (const auto& warning : result.warnings) {
        std::fprintf(stderr, "migsafe: warning: %s\n", warning.c_str());
    }
    Outcome outcome;
    outcome.exit_code = result.report.verdict == plan::Verdict::fail ? 1 : 0;
    if (*format == plan::Format::json) {
        outcome.report_json = result.to_json();
    } else {
        outcome.text =
            result.render(*format, use_color(stdout) ? plan::Colour::on : plan::Colour::off);
    }
    for (const auto& verdict : result.gate) {
        if (!verdict.pass && *format != plan::Format::text) {
            std::fprintf(stderr, "migsafe: cut-over gate: %s\n", verdict.message.c_str());
        }
    }
    return outcome;
}

} // namespace

void register_plan(CLI::App& app, Selected& selected, const ProjectConfig& project)
{
    auto args = std::make_shared<PlanArgs>();
    auto* sub = app.add_subcommand(
        "plan", "What each migration statement will do to a live table: locks, rewrites, "
                "scans, phase, findings and a verdict");
    sub->add_option("PATH", args->paths,
                    "A migration directory (default: ./migrations) or .sql files, planned "
                    "as one release");
    add_layout_option(*sub, args->layout);
    sub->add_option("--pg-version", args->pg_version,
                    "The PostgreSQL major version to plan for (default: the --db server's, "
                    "else 15)")
        ->check(CLI::Range(10, 18));
    sub->add_option("--db", args->db,
                    "Read the live catalog of this database (connection string or URL; empty: "
                    "DATABASE_URL, then the PG* variables) to sharpen the verdicts: real column "
                    "types, validated NOT NULL checks, function volatility, table sizes. Only "
                    "reads");
    sub->add_option("--format", args->format, "Output: text (default), json, sarif or github")
        ->check(CLI::IsMember({"text", "json", "sarif", "github"}));
    sub->add_option("--fail-on", args->fail_on,
                    "Lowest severity of an unallowed finding that fails the verdict: error "
                    "(default) or warning")
        ->check(CLI::IsMember({"error", "warning"}));
    sub->add_option("--release-from", args->release_from,
                    "The migrations from this version on are deployed together as one release "
                    "(default: each migration is its own release)");
    sub->add_flag("--trace", args->trace,
                  "Also run each migration on a scratch copy (an ephemeral cluster, earlier "
                  "migrations applied), read the locks, rewrites and scans PostgreSQL really "
                  "did, roll back, and report where they disagree with the static plan");
    sub->add_flag("--design-lints", args->design_lints,
                  "Also run the opt-in schema-design lints (MS-DES)");
    sub->add_flag("--json", args->json, "Same as --format json");
    sub->footer("Examples:\n"
                "  migsafe plan db/migrations\n"
                "  migsafe plan --format github db/migrations     # annotations in a PR\n"
                "  migsafe plan --pg-version 11 0042_add_column.sql\n"
                "  migsafe plan --db postgres:///app db/migrations  # with the live catalog\n"
                "  migsafe plan --trace db/migrations             # check the plan on PostgreSQL");
    sub->callback([&selected, &project, args] {
        bool json = args->json || args->format == "json";
        selected = {.name = "plan",
                    .format = json ? OutputFormat::json : OutputFormat::text,
                    .body = [args, &project] { return run_plan(*args, project); }};
    });
}

} // namespace migsafe::cli
