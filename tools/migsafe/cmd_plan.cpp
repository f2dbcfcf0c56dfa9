// migsafe plan [PATH...]: the static plan of a migration set or of SQL files.
#include "command.hpp"
#include "layout_option.hpp"

#include <migsafe/config/plan_settings.hpp>
#include <migsafe/flags/json.hpp>
#include <migsafe/model/catalog_facts.hpp>
#include <migsafe/model/migration_set.hpp>
#include <migsafe/model/sum_file.hpp>
#include <migsafe/model/syntax_check.hpp>
#include <migsafe/plan/analyze.hpp>
#include <migsafe/plan/render.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/trace/trace.hpp>
#include <migsafe/workflow/gate.hpp>
#include <migsafe/workflow/status.hpp>

#include <fmt/format.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
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

/// What `plan` reads: one migration directory, or SQL files in the order given.
struct PlanSource {
    std::optional<model::MigrationSet> set;
    std::vector<plan::PlanInput> files;
};

/// A directory is checked against its migsafe.sum when it has one.
PlanSource read_source(const std::vector<std::string>& paths, const std::string& layout)
{
    std::vector<std::string> given = paths.empty() ? std::vector<std::string>{"migrations"} : paths;
    PlanSource source;
    // error_code forms: a path that cannot be resolved (a symbolic-link loop, a name too
    // long) is read as a file below, whose read names it and the reason.
    std::error_code ec;
    if (given.size() == 1 && std::filesystem::is_directory(given.front(), ec)) {
        source.set = model::load_migration_set(given.front(), load_options_for(layout));
        if (std::filesystem::exists(source.set->directory / model::k_sum_file_name, ec) || ec) {
            model::require_sum_file(*source.set);
        }
        return source;
    }
    std::vector<std::filesystem::path> files;
    for (const auto& path : given) {
        if (std::filesystem::is_directory(path, ec)) {
            throw Error("usage-invalid-option",
                        "plan takes one migration directory or .sql files, not both: " + path,
                        {.object = path});
        }
        files.emplace_back(path);
    }
    source.files = plan::read_plan_inputs(files);
    return source;
}

/// A set is planned release by release; SQL files as one release.
plan::PlanReport analyze_source(const PlanSource& source,
                                std::optional<model::Version> release_from,
                                const plan::PlanOptions& options)
{
    if (source.set) {
        return plan::analyze_releases(*source.set, release_from, options);
    }
    return plan::analyze(source.files, options);
}

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

Outcome run_plan(const PlanArgs& args, const ProjectConfig& project)
{
    auto format = plan::parse_format(args.json ? "json" : args.format);
    std::optional<model::CatalogFacts> facts;
    if (args.db) {
        facts = model::load_catalog_facts(resolve_conninfo(*args.db));
    }
    const int live_version =
        facts && facts->server_version > 0 ? facts->server_version / 10000 : 15;
    plan::PlanOptions options{
        .pg_version = args.pg_version.value_or(live_version),
        .fail_on = args.fail_on == "warning" ? plan::Severity::warning : plan::Severity::error,
        .design_lints = args.design_lints ? plan::DesignLints::on : plan::DesignLints::off};
    if (project.effective && project.effective->config) {
        config::add_plan_settings(*project.effective->config, options); // docs/config.md
    }
    auto source = read_source(args.paths, args.layout);
    options.catalog = facts ? &*facts : nullptr;
    std::optional<model::Version> release_from;
    if (args.release_from) {
        release_from = model::Version::parse(*args.release_from);
        if (!release_from) {
            throw Error("usage-invalid-option",
                        fmt::format("--release-from: '{}' is not a version", *args.release_from),
                        {.object = "--release-from"},
                        "pass the version of a migration, e.g. --release-from 12");
        }
    }
    if (args.db) {
        // The server's parser judges what PostgreSQL 15's rejected: newer syntax it accepts
        // is planned (MS-OPS-11), a typo is an error here.
        std::vector<std::vector<model::Statement>*> files;
        if (source.set) {
            for (auto& migration : source.set->migrations) {
                files.push_back(&migration.up.statements);
            }
        }
        for (auto& file : source.files) {
            files.push_back(&file.statements);
        }
        model::confirm_unparsed(files, resolve_conninfo(*args.db));
    }
    if (source.set && args.db) {
        // Planning migrations another runner already applied would review the wrong release.
        for (const auto& uncovered :
             workflow::status(resolve_conninfo(*args.db), *source.set).uncovered) {
            std::fprintf(stderr, "migsafe: warning: %s\n", uncovered.message.c_str());
        }
    }
    auto report = analyze_source(source, release_from, options);
    // The cut-over gate: a pending migration whose required flag is not fully on for long
    // enough fails the verdict (docs/flags.md).
    std::vector<flags::GateVerdict> gate;
    if (source.set && args.db) {
        gate = workflow::gate_pending(resolve_conninfo(*args.db), *source.set);
        for (const auto& verdict : gate) {
            if (!verdict.pass) {
                report.verdict = plan::Verdict::fail;
            }
        }
    }
    options.catalog = nullptr; // the trace compares with the plan of its own scratch copy
    std::optional<trace::TraceReport> traced;
    if (args.trace) {
        trace::TraceOptions trace_options;
        trace_options.plan = options;
        if (args.db) {
            // The scratch cluster starts from the live schema, so only the migrations the
            // database has not applied yet are traced on it.
            trace_options.schema_from = resolve_conninfo(*args.db);
        }
        if (source.set && args.db) {
            traced = trace::trace(
                workflow::still_to_run(*source.set,
                                       workflow::status(*trace_options.schema_from, *source.set)),
                trace_options);
        } else {
            traced = source.set ? trace::trace(*source.set, trace_options)
                                : trace::trace(source.files, trace_options);
        }
    }
    Outcome outcome;
    outcome.exit_code = report.verdict == plan::Verdict::fail ? 1 : 0;
    if (*format == plan::Format::json) {
        if (traced || !gate.empty()) {
            outcome.report = nlohmann::json::parse(report.to_json());
            if (traced) {
                outcome.report["trace"] = trace_json(*traced);
            }
            if (!gate.empty()) {
                outcome.report["cut_over_gate"] = gate_json(gate);
            }
        } else {
            outcome.report_json = report.to_json();
        }
    } else {
        auto colour = use_color(stdout) ? plan::Colour::on : plan::Colour::off;
        outcome.text = plan::render(report, *format, colour);
        if (traced && *format == plan::Format::text) {
            outcome.text += trace_text(*traced);
        }
        if (!gate.empty() && *format == plan::Format::text) {
            outcome.text += gate_text(gate);
        }
    }
    for (const auto& verdict : gate) {
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
