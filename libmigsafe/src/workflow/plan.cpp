// migsafe plan as one call (include/migsafe/workflow/plan.hpp): the steps the command runs,
// in order, each with the library part that does it.
#include <migsafe/model/catalog_facts.hpp>
#include <migsafe/model/sum_file.hpp>
#include <migsafe/model/syntax_check.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/workflow/gate.hpp>
#include <migsafe/workflow/plan.hpp>
#include <migsafe/workflow/status.hpp>

#include <fmt/format.h>

namespace migsafe::workflow {
namespace {

/// What `plan` reads: one migration directory, or SQL files in the order given.
struct PlanSource {
    std::optional<model::MigrationSet> set;
    std::vector<plan::PlanInput> files;
};

PlanSource read_source(const std::vector<std::filesystem::path>& paths,
                       const model::LoadOptions& load)
{
    auto given = paths.empty() ? std::vector<std::filesystem::path>{"migrations"} : paths;
    PlanSource source;
    // error_code forms: a path that cannot be resolved (a symbolic-link loop, a name too
    // long) is read as a file below, whose read names it and the reason.
    std::error_code ec;
    if (given.size() == 1 && std::filesystem::is_directory(given.front(), ec)) {
        source.set = model::load_migration_set(given.front(), load);
        if (std::filesystem::exists(source.set->directory / model::k_sum_file_name, ec) || ec) {
            model::require_sum_file(*source.set);
        }
        return source;
    }
    for (const auto& path : given) {
        if (std::filesystem::is_directory(path, ec)) {
            throw Error("usage-invalid-option",
                        "plan takes one migration directory or .sql files, not both: " +
                            path.string(),
                        {.object = path.string()});
        }
    }
    source.files = plan::read_plan_inputs(given);
    return source;
}

std::optional<model::Version> release_from_of(const std::optional<std::string>& text)
{
    if (!text) {
        return std::nullopt;
    }
    auto version = model::Version::parse(*text);
    if (!version) {
        throw Error("usage-invalid-option",
                    fmt::format("--release-from: '{}' is not a version", *text),
                    {.object = "--release-from"},
                    "pass the version of a migration, e.g. --release-from 12");
    }
    return version;
}

/// The server's parser judges what PostgreSQL 15's rejected: newer syntax it accepts is
/// planned (MS-OPS-11), a typo is an error here.
void confirm_with_server(PlanSource& source, const std::string& conninfo)
{
    std::vector<std::vector<model::Statement>*> files;
    if (source.set) {
        for (auto& migration : source.set->migrations) {
            files.push_back(&migration.up.statements);
        }
    }
    for (auto& file : source.files) {
        files.push_back(&file.statements);
    }
    model::confirm_unparsed(files, conninfo);
}

/// The scratch cluster of a trace starts from the live schema when there is one, so only
/// the migrations the database has not applied yet are traced on it.
trace::TraceReport run_trace(const PlanSource& source, const PlanRequest& request,
                             const plan::PlanOptions& options)
{
    trace::TraceOptions trace_options;
    trace_options.plan = options;
    trace_options.plan.catalog = nullptr; // compared with the plan of its own scratch copy
    if (request.conninfo) {
        trace_options.schema_from = *request.conninfo;
    }
    if (source.set && request.conninfo) {
        return trace::trace(still_to_run(*source.set, status(*request.conninfo, *source.set)),
                            trace_options);
    }
    return source.set ? trace::trace(*source.set, trace_options)
                      : trace::trace(source.files, trace_options);
}

} // namespace

PlanResult plan(PlanRequest request)
{
    std::optional<model::CatalogFacts> facts;
    if (request.conninfo) {
        facts = model::load_catalog_facts(*request.conninfo);
    }
    const int live_version =
        facts && facts->server_version > 0 ? facts->server_version / 10000 : 15;
    auto options = request.options;
    options.pg_version = request.pg_version.value_or(live_version);
    auto source = read_source(request.paths, request.load);
    options.catalog = facts ? &*facts : nullptr;
    const auto release_from = release_from_of(request.release_from);

    PlanResult result;
    if (request.conninfo) {
        confirm_with_server(source, *request.conninfo);
    }
    if (source.set && request.conninfo) {
        // Planning migrations another runner already applied would review the wrong release.
        for (const auto& uncovered : status(*request.conninfo, *source.set).uncovered) {
            result.warnings.push_back(uncovered.message);
        }
    }
    result.report = source.set ? plan::analyze_releases(*source.set, release_from, options)
                               : plan::analyze(source.files, options);
    // The cut-over gate: a pending migration whose required flag is not fully on for long
    // enough fails the verdict (docs/flags.md).
    if (source.set && request.conninfo) {
        result.gate = gate_pending(*request.conninfo, *source.set);
        for (const auto& verdict : result.gate) {
            if (!verdict.pass) {
                result.report.verdict = plan::Verdict::fail;
            }
        }
    }
    if (request.trace) {
        result.traced = run_trace(source, request, options);
    }
    return result;
}

} // namespace migsafe::workflow
