// compensate::plan: the statements undone in reverse order, then what went along with
// them, each step's lock taken from migsafe's own planner.
#include "compensate/inverse_rules.hpp"
#include "model/version_format.hpp"

#include <migsafe/compensate/compensate.hpp>
#include <migsafe/plan/analyze.hpp>
#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace migsafe::compensate {
namespace {

/// The table renames and created tables of `migration`, in statement order.
void scan_forward(const model::Migration& migration, detail::Context& context)
{
    const auto& statements = migration.up.statements;
    for (std::size_t i = 0; i < statements.size(); ++i) {
        const auto& statement = statements[i];
        if (const auto* alter = statement.get_if<model::AlterTable>()) {
            for (const auto& action : alter->actions) {
                if (action.kind == model::AlterTableAction::Kind::add_constraint &&
                    action.constraint && !action.constraint->name.empty()) {
                    context.added_names.emplace(action.constraint->name, i);
                }
                if (action.kind == model::AlterTableAction::Kind::add_column) {
                    context.added_columns.insert(
                        context.renames.before(alter->table.qualified(), i) + "/" + action.column);
                }
                if (action.kind == model::AlterTableAction::Kind::rename_constraint) {
                    context.renamed_to.insert(action.name);
                }
                if (action.kind == model::AlterTableAction::Kind::rename_column) {
                    context.renames.columns.push_back(
                        {.statement = i,
                         .table = context.renames.before(alter->table.qualified(), i),
                         .from = action.column,
                         .to = action.name});
                }
                if (action.kind == model::AlterTableAction::Kind::rename_table) {
                    context.renames.list.push_back(
                        {.statement = i,
                         .from = alter->table.qualified(),
                         .to = platform::qualified_name(alter->table.schema, action.name)});
                }
            }
        }
        if (const auto* index = statement.get_if<model::CreateIndex>();
            index != nullptr && !index->name.empty()) {
            context.added_names.emplace(index->name, i);
        }
        if (const auto* rename = statement.get_if<model::Rename>()) {
            context.renamed_to.insert(rename->to);
        }
        if (const auto* create = statement.get_if<model::CreateTable>()) {
            const auto original = context.renames.before(create->table.qualified(), i);
            if (!create->if_not_exists || !context.before.contains(original)) {
                context.created.insert(original);
            }
        }
    }
}

/// The strongest lock `sql` takes and whether it rewrites a table, as the planner sees it.
void plan_locks(Step& step)
{
    if (step.sql.empty()) {
        return;
    }
    try {
        auto report = plan::analyze_sql(step.sql + ";\n", "compensate.sql");
        for (const auto& statement : report.statements) {
            const plan::Lock* strongest = nullptr;
            for (const auto& lock : statement.locks) {
                if (strongest == nullptr || lock.mode > strongest->mode) {
                    strongest = &lock;
                }
            }
            if (strongest != nullptr) {
                step.lock =
                    fmt::format("{} on {}", plan::to_string(strongest->mode), strongest->relation);
            }
            step.rewrites = step.rewrites || !statement.rewrites.empty();
        }
    } catch (const Error&) {
        // A definition the parser does not take stays without a lock; it still runs.
        step.lock = "unknown";
    }
}

} // namespace

std::set<std::string> relations_after(const model::Migration& migration,
                                      std::string_view objects_before)
{
    std::set<std::string> out;
    for (const auto& [name, table] : detail::parse_objects(objects_before, "objects_before")) {
        out.insert(name);
    }
    for (const auto& statement : migration.up.statements) {
        if (auto target = statement.target_table()) {
            out.insert(target->qualified());
        }
        if (const auto* alter = statement.get_if<model::AlterTable>()) {
            for (const auto& action : alter->actions) {
                if (action.kind == model::AlterTableAction::Kind::rename_table) {
                    out.insert(platform::qualified_name(alter->table.schema, action.name));
                }
            }
        }
        if (const auto* view = statement.get_if<model::CreateView>()) {
            out.insert(view->name.qualified());
        }
    }
    return out;
}

Report plan(const model::Migration& migration, const AppliedMigration& applied,
            std::string_view objects_now, const Options& options)
{
    detail::Context context{.migration = migration, .applied = applied, .options = options};
    context.before = detail::parse_objects(
        applied.objects_before, fmt::format("objects_before of version {}", migration.version));
    context.now = detail::parse_objects(objects_now, "the catalog now");
    scan_forward(migration, context);
    const auto& statements = migration.up.statements;
    for (std::size_t i = statements.size(); i-- > 0;) {
        detail::undo_statement(context, statements[i], i);
    }
    detail::restore_dropped_along(context);
    for (auto& step : context.late) {
        context.steps.push_back(std::move(step));
    }

    Report report;
    report.version = migration.version;
    report.name = migration.name;
    report.file = migration.up.relative_path;
    report.applied_at = applied.finished_at;
    report.snapshot_id = applied.snapshot_id;
    report.archive_schema = options.archive_schema;
    report.lock_timeout = options.lock_timeout;
    report.concurrently_lock_timeout = options.concurrently_lock_timeout;
    report.switch_off_first = flags_to_switch_off(migration);
    // Transactional steps run first (the first file), then the others (the second file).
    std::stable_partition(context.steps.begin(), context.steps.end(),
                          [](const Step& step) { return step.part == Part::transactional; });
    for (auto& step : context.steps) {
        plan_locks(step);
    }
    report.steps = std::move(context.steps);
    return report;
}

} // namespace migsafe::compensate
