// The trace: scratch database, earlier migrations applied, each traced migration run in
// a transaction statement by statement under observation, then rolled back.
#include "platform/catalog/row_generator.hpp"
#include "platform/catalog/trace_queries.hpp"
#include "platform/logging.hpp"
#include "trace/observer.hpp"
#include "trace/schema_copy.hpp"

#include <migsafe/model/catalog_facts.hpp>
#include <migsafe/platform/cluster.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/session.hpp>
#include <migsafe/trace/trace.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>

namespace migsafe::trace {
namespace {

namespace catalog = platform::catalog;
constexpr std::string_view k_savepoint = "migsafe_trace";

std::string upper_case(std::string_view sql)
{
    std::string upper(sql);
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return upper;
}

bool identifier_char(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

// Where the CONCURRENTLY keyword starts in `sql`, when the statement is one of the forms
// that cannot run in a transaction block (REFRESH MATERIALIZED VIEW CONCURRENTLY can).
std::optional<std::size_t> concurrently_at(std::string_view sql)
{
    const std::string upper = upper_case(sql);
    if (upper.rfind("REFRESH", 0) == 0) {
        return std::nullopt;
    }
    constexpr std::string_view k_keyword = "CONCURRENTLY";
    for (auto at = upper.find(k_keyword); at != std::string::npos;
         at = upper.find(k_keyword, at + 1)) {
        const auto end = at + k_keyword.size();
        const bool starts = at == 0 || !identifier_char(upper[at - 1]);
        const bool ends = end == upper.size() || !identifier_char(upper[end]);
        if (starts && ends) {
            return at;
        }
    }
    return std::nullopt;
}

// Why a statement is not run inside the traced transaction; empty when it is.
std::string skip_reason(const model::Statement& statement)
{
    using model::StatementKind;
    if (statement.kind == StatementKind::transaction) {
        return "transaction control: the trace runs the file in its own transaction";
    }
    if (statement.kind == StatementKind::vacuum &&
        upper_case(statement.sql).rfind("VACUUM", 0) == 0) {
        return "VACUUM cannot run inside a transaction block";
    }
    if (!concurrently_at(statement.sql)) {
        return {};
    }
    return "CONCURRENTLY cannot run inside a transaction block";
}

// A CONCURRENTLY statement is not observed, but its plain form runs (unobserved) so that
// the statements after it find what it makes: the index a later USING INDEX names.
// Returns the server's message when the plain form fails, else empty.
std::string run_stand_in(platform::Session& session, const model::Statement& statement)
{
    const auto at = concurrently_at(statement.sql);
    if (!at || statement.kind == model::StatementKind::transaction) {
        return {};
    }
    std::string plain = statement.sql;
    plain.erase(*at, std::string_view("CONCURRENTLY").size());
    catalog::savepoint(session, k_savepoint);
    try {
        session.exec(plain);
        catalog::release_savepoint(session, k_savepoint);
        return {};
    } catch (const Error& error) {
        catalog::rollback_to_savepoint(session, k_savepoint);
        catalog::release_savepoint(session, k_savepoint);
        return error.message();
    }
}

bool is_dml(model::StatementKind kind)
{
    using model::StatementKind;
    return kind == StatementKind::insert || kind == StatementKind::update ||
           kind == StatementKind::delete_rows || kind == StatementKind::select;
}

// Runs one statement under observation, in a savepoint so that a failure is recorded
// and the rest of the file still runs.
StatementTrace trace_statement(platform::Session& session, detail::Observer& observer,
                               const model::Statement& statement, const std::string& file)
{
    StatementTrace out{
        .file = file, .line = statement.line, .column = statement.column, .sql = statement.sql};
    if (auto reason = skip_reason(statement); !reason.empty()) {
        out.traced = false;
        out.reason = std::move(reason);
        if (auto failed = run_stand_in(session, statement); !failed.empty()) {
            out.reason += "; its plain form failed too: " + failed;
        }
        return out;
    }
    // On tiny scratch tables the planner reads everything sequentially; without seqscans
    // a selective WHERE takes the index, as it would on a large table. DDL keeps the
    // defaults (its own validations read the heap directly).
    std::optional<std::string> seqscan;
    if (is_dml(statement.kind)) {
        seqscan = catalog::current_setting(session, "enable_seqscan");
        catalog::set_local(session, "enable_seqscan", "off");
    }
    observer.before();
    catalog::savepoint(session, k_savepoint);
    try {
        session.exec(statement.sql);
        catalog::release_savepoint(session, k_savepoint);
        observer.after(out);
    } catch (const Error& error) {
        catalog::rollback_to_savepoint(session, k_savepoint);
        catalog::release_savepoint(session, k_savepoint);
        out.traced = false;
        out.reason = fmt::format("failed: {}", error.message());
    }
    if (seqscan) {
        catalog::set_local(session, "enable_seqscan", *seqscan);
    }
    return out;
}

std::vector<StatementTrace> trace_file(platform::Session& session, const plan::PlanInput& input,
                                       const std::string& file)
{
    detail::Observer observer(session);
    // Read outside the transaction: the emptiness check locks each relation briefly.
    const auto empty = catalog::empty_relations(session);
    std::vector<InheritanceLink> inherits;
    for (auto& link : catalog::inheritance_links(session)) {
        inherits.push_back({.child = std::move(link.child), .parent = std::move(link.parent)});
    }
    std::vector<StatementTrace> traces;
    catalog::begin(session);
    try {
        observer.start();
        for (const auto& statement : input.statements) {
            traces.push_back(trace_statement(session, observer, statement, file));
            traces.back().inherits = inherits;
            traces.back().empty = empty;
        }
    } catch (...) {
        catalog::rollback(session);
        throw;
    }
    catalog::rollback(session);
    return traces;
}

// Applies and commits a file: in one transaction, or statement by statement.
void apply_file(platform::Session& session, const plan::PlanInput& input, const std::string& file)
{
    const bool wrapped = input.transaction == plan::Transaction::wrapped;
    if (wrapped) {
        catalog::begin(session);
    }
    for (const auto& statement : input.statements) {
        if (wrapped && statement.kind == model::StatementKind::transaction) {
            continue;
        }
        try {
            session.exec(statement.sql);
        } catch (const Error& error) {
            if (wrapped) {
                catalog::rollback(session);
            }
            throw Error(
                "trace-apply-failed",
                fmt::format("cannot apply to the trace's scratch database: {}", error.message()),
                {.file = file,
                 .line = statement.line,
                 .column = statement.column,
                 .sqlstate = error.context().sqlstate});
        }
    }
    if (wrapped) {
        catalog::commit(session);
    }
}

// Same-statement comparison of the static plan and the trace.
void settle_agreement(TraceReport& report)
{
    report.observed = observed_plan(report, report.static_plan);
    report.disagreements = plan::diff(report.static_plan, report.observed);
    const auto count = std::min(report.statements.size(), report.static_plan.statements.size());
    for (std::size_t i = 0; i < count; ++i) {
        if (!report.statements[i].traced) {
            continue;
        }
        ++report.compared;
        plan::PlanReport left;
        plan::PlanReport right;
        left.statements.push_back(report.static_plan.statements[i]);
        right.statements.push_back(report.observed.statements[i]);
        if (plan::diff(left, right).empty()) {
            ++report.agreed;
        }
    }
}

// Rows in the empty tables, then (with `plan_with_catalog`) the catalog as `plan --db`
// would read it now.
std::optional<model::CatalogFacts>
prepare_state(platform::Session& session, const std::string& conninfo, const TraceOptions& options)
{
    const auto filled = catalog::fill_empty_tables(session, options.rows);
    for (const auto& table : filled.skipped) {
        migsafe::detail::log_info("trace: {} stays empty (no generated row fits)", table);
    }
    if (!options.plan_with_catalog) {
        return std::nullopt;
    }
    return model::load_catalog_facts(conninfo);
}

TraceReport trace_on(platform::Session& session, const std::string& conninfo,
                     std::span<const plan::PlanInput> files, const TraceOptions& options)
{
    TraceReport report;
    report.server_version = session.server_version();
    report.static_plan.pg_version = options.plan.pg_version;
    report.static_plan.fail_on = options.plan.fail_on;
    std::optional<model::CatalogFacts> facts;
    bool prepared = false; // an independent trace prepares the state once
    for (std::size_t i = 0; i < files.size(); ++i) {
        const auto& input = files[i];
        const std::string file = input.file.generic_string();
        if (i >= options.setup_files) {
            if (!prepared) {
                facts = prepare_state(session, conninfo, options);
                prepared = options.independent;
            }
            auto traces = trace_file(session, input, file);
            std::move(traces.begin(), traces.end(), std::back_inserter(report.statements));
            // Each file is planned alone: earlier files are applied, so their objects exist.
            plan::PlanOptions plan_options = options.plan;
            if (options.plan_with_catalog) {
                plan_options.catalog = &*facts;
            }
            auto planned = plan::analyze(std::span(&input, 1), plan_options);
            std::move(planned.statements.begin(), planned.statements.end(),
                      std::back_inserter(report.static_plan.statements));
        }
        const bool applied = i < options.setup_files || !options.independent;
        if (applied && i + 1 < files.size()) {
            apply_file(session, input, file);
        }
    }
    plan::settle_verdict(report.static_plan);
    settle_agreement(report);
    return report;
}

} // namespace

TraceReport trace(std::span<const plan::PlanInput> files, const TraceOptions& options)
{
    if (!options.conninfo.empty()) {
        auto session =
            platform::Session::connect(options.conninfo, {.application_name = "migsafe trace"});
        return trace_on(session, options.conninfo, files, options);
    }
    auto cluster = platform::EphemeralCluster::start(options.cluster);
    auto session =
        platform::Session::connect(cluster.conninfo(), {.application_name = "migsafe trace"});
    if (options.schema_from) {
        detail::copy_schema(*options.schema_from, session);
    }
    return trace_on(session, cluster.conninfo(), files, options);
}

TraceReport trace(const model::MigrationSet& set, const TraceOptions& options)
{
    std::vector<plan::PlanInput> inputs;
    for (const auto& migration : set.migrations) {
        auto input = plan::plan_input(migration.up.directives, migration.up.relative_path);
        input.statements = migration.up.statements;
        inputs.push_back(std::move(input));
    }
    return trace(inputs, options);
}

} // namespace migsafe::trace
