// The planner's walk through a release: per statement, the kind's planner, then the rules
// that need the file's state (transactions, timeouts, the previous statement), then the
// directives.
#include "plan/context.hpp"
#include "plan/effects.hpp"

#include <migsafe/model/catalog_facts.hpp>
#include <migsafe/model/parser.hpp>
#include <migsafe/plan/analyze.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include <fnmatch.h>

namespace migsafe::plan {
namespace {

using namespace detail;
using model::StatementKind;

Effects plan_one(const model::Statement& statement, Context& context)
{
    Effects effects;
    switch (statement.kind) {
    case StatementKind::create_index:
        plan_create_index(statement, context, effects);
        break;
    case StatementKind::alter_table:
        plan_alter_table(statement, context, effects);
        break;
    case StatementKind::create_table:
        if (statement.get_if<model::CreateView>() != nullptr) {
            plan_create_view(statement, context, effects); // MATERIALIZED VIEW, TABLE AS
        } else {
            plan_create_table(statement, context, effects);
        }
        break;
    case StatementKind::create_view:
        plan_create_view(statement, context, effects);
        break;
    case StatementKind::drop_index:
    case StatementKind::drop_table:
    case StatementKind::drop_other:
        plan_drop(statement, context, effects);
        break;
    case StatementKind::insert:
    case StatementKind::update:
    case StatementKind::delete_rows:
    case StatementKind::truncate:
        plan_data(statement, context, effects);
        break;
    case StatementKind::set:
    case StatementKind::transaction:
        plan_session(statement, context, effects);
        break;
    case StatementKind::select:
        // The relations a SELECT reads (and locks FOR UPDATE/SHARE); it changes no shape.
        plan_data(statement, context, effects);
        effects.phase = Phase::none;
        break;
    case StatementKind::unparsed:
        plan_unparsed(statement, context, effects);
        break;
    default:
        plan_misc(statement, context, effects);
        break;
    }
    if (context.options().design_lints == DesignLints::on) {
        plan_design(statement, context, effects);
    }
    after_statement(statement, context, effects);
    add_table_sizes(context, effects);
    return effects;
}

// The project config's settings (disabled rules, severities, path allowances), then the
// file's `-- migsafe:allow` directives, which win over a config allowance.
void apply_allows(const PlanInput& file, StatementPlan& statement, const PlanOptions& options)
{
    std::erase_if(statement.findings, [&](const Finding& finding) {
        return std::find(options.disabled_rules.begin(), options.disabled_rules.end(),
                         finding.rule) != options.disabled_rules.end();
    });
    const std::string path = file.file.string();
    for (auto& finding : statement.findings) {
        for (const auto& [rule, severity] : options.severity_overrides) {
            if (rule == finding.rule) {
                finding.severity = severity;
            }
        }
        for (const auto& allow : options.path_allows) {
            if (allow.rule == finding.rule && fnmatch(allow.path.c_str(), path.c_str(), 0) == 0) {
                finding.allowed = true;
                finding.allowed_reason = allow.reason;
                break;
            }
        }
        auto allow = std::find_if(file.allows.begin(), file.allows.end(),
                                  [&](const Allow& a) { return a.rule == finding.rule; });
        if (allow != file.allows.end()) {
            finding.allowed = true;
            finding.allowed_reason = allow->reason;
        }
    }
}

// True when the live catalog (`--db`) has a valid, non-partial index of the existing
// `table` leading with `column`.
bool indexed_in_catalog(const ReleaseContext& release, const std::string& table,
                        const std::string& column)
{
    const model::CatalogFacts* catalog = release.options->catalog;
    const model::TableFacts* facts =
        catalog == nullptr || release.created.contains(table) ? nullptr : catalog->table(table);
    if (facts == nullptr) {
        return false;
    }
    return std::any_of(facts->indexes.begin(), facts->indexes.end(), [&](const auto& index) {
        return index.valid && !index.partial && !index.columns.empty() &&
               index.columns.front() == column;
    });
}

// MS-OPS-09: foreign keys on tables the release created (or, with `--db`, existing ones)
// with no index leading with the referencing column, in the release or the catalog.
void check_foreign_key_indexes(const ReleaseContext& release, PlanReport& report)
{
    for (const auto& fk : release.foreign_keys) {
        auto indexed = release.index_leading.find(fk.table);
        if ((indexed != release.index_leading.end() &&
             std::find(indexed->second.begin(), indexed->second.end(), fk.column) !=
                 indexed->second.end()) ||
            indexed_in_catalog(release, fk.table, fk.column)) {
            continue;
        }
        const Rule& rule = plan::rule("MS-OPS-09");
        report.statements.at(fk.statement)
            .findings.push_back(
                {.rule = std::string(rule.id),
                 .severity = rule.severity,
                 .message = fmt::format("foreign key {}({}) has no index on its column: every "
                                        "DELETE or key UPDATE on the referenced table scans {}",
                                        fk.table, fk.column, fk.table),
                 .fix = fmt::format("CREATE INDEX CONCURRENTLY {}_{}_idx ON {} ({});",
                                    short_name(fk.table), fk.column, fk.table, fk.column)});
    }
}

} // namespace

PlanReport analyze(std::span<const PlanInput> files, const PlanOptions& options)
{
    ReleaseContext nothing_before;
    return analyze_release(files, options, nothing_before);
}

PlanReport detail::analyze_release(std::span<const PlanInput> files, const PlanOptions& options,
                                   ReleaseContext& carried)
{
    ReleaseContext release = std::move(carried);
    release.options = &options;
    PlanReport report{.pg_version = options.pg_version, .fail_on = options.fail_on};
    std::vector<std::pair<std::size_t, std::size_t>> ranges; // per file: [first, last)
    for (const auto& file : files) {
        FileContext file_context{.file = file.file.string(),
                                 .transaction = file.transaction,
                                 .lock_timeout_ms = options.runner_lock_timeout_ms,
                                 .statement_timeout_ms = options.runner_statement_timeout_ms,
                                 .declared_phase = file.phase};
        Context context{release, file_context};
        const std::size_t first = report.statements.size();
        std::vector<int> transaction_of;
        transaction_of.reserve(file.statements.size());
        for (const auto& statement : file.statements) {
            release.statement_index = report.statements.size();
            transaction_of.push_back(file_context.transaction_id);
            Effects effects = plan_one(statement, context);
            StatementPlan plan{.file = statement.file.empty() ? file.file.string()
                                                              : statement.file.string(),
                               .line = statement.line,
                               .column = statement.column,
                               .sql = statement.sql,
                               .kind = std::string(model::to_string(statement.kind)),
                               .locks = std::move(effects.locks),
                               .rewrites = std::move(effects.rewrites),
                               .scans = std::move(effects.scans),
                               .phase = effects.phase,
                               .findings = std::move(effects.findings)};
            if (file.phase && plan.phase != Phase::none) {
                plan.phase = *file.phase;
            }
            report.statements.push_back(std::move(plan));
        }
        finish_file(context, report, first);
        compatibility_views(file, report, first);
        aggregate_findings(report, first, transaction_of);
        ranges.emplace_back(first, report.statements.size());
    }
    check_foreign_key_indexes(release, report);
    for (std::size_t i = 0; i < files.size(); ++i) {
        for (std::size_t s = ranges[i].first; s < ranges[i].second; ++s) {
            apply_allows(files[i], report.statements[s], options);
        }
    }
    settle_verdict(report);
    // What this release created exists for the next one: not new, but still known.
    release.created_earlier.insert(release.created.begin(), release.created.end());
    release.created.clear();
    release.foreign_keys.clear();
    for (auto& [table, columns] : release.columns) {
        for (auto& [name, column] : columns) {
            column.added_in
                .clear(); // added by an earlier release: dropping it is no contract error
        }
    }
    carried = std::move(release);
    return report;
}

PlanReport analyze_sql(std::string_view sql, const std::filesystem::path& file,
                       const PlanOptions& options)
{
    PlanInput input = read_plan_directives(sql, file);
    input.statements = model::parse_sql(sql, file);
    return analyze(std::span<const PlanInput>(&input, 1), options);
}

} // namespace migsafe::plan
