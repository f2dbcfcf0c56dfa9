// MS-BRK-03's own way out: `ALTER TABLE a RENAME TO b; CREATE VIEW a AS SELECT * FROM b;`
// in one transaction keeps old readers and writers working (a simple view is updatable).
#include "plan/effects.hpp"

#include <algorithm>

namespace migsafe::plan::detail {
namespace {

// The relation a CREATE VIEW statement creates, or empty.
std::string created_view(const model::Statement& statement)
{
    const auto* view = statement.get_if<model::CreateView>();
    return statement.kind == model::StatementKind::create_view && view != nullptr
               ? view->name.qualified()
               : std::string();
}

bool renames_table(const model::Statement& statement)
{
    const auto* alter = statement.get_if<model::AlterTable>();
    return alter != nullptr &&
           std::any_of(alter->actions.begin(), alter->actions.end(), [](const auto& action) {
               return action.kind == model::AlterTableAction::Kind::rename_table;
           });
}

void drop_rule(StatementPlan& statement, std::string_view rule)
{
    auto& findings = statement.findings;
    findings.erase(std::remove_if(findings.begin(), findings.end(),
                                  [&](const Finding& f) { return f.rule == rule; }),
                   findings.end());
}

// The views a DROP VIEW / DROP MATERIALIZED VIEW statement drops, qualified.
std::vector<std::string> dropped_views(const model::Statement& statement)
{
    const auto* drop = statement.get_if<model::DropObjects>();
    if (drop == nullptr || (drop->object_type != "view" && drop->object_type != "matview" &&
                            drop->object_type != "materialized_view")) {
        return {};
    }
    return drop->names;
}

// The view or materialized view a statement creates, qualified, or empty.
std::string recreated_view(const model::Statement& statement)
{
    const auto* view = statement.get_if<model::CreateView>();
    return view != nullptr && view->kind != model::CreateView::Kind::table_as
               ? view->name.qualified()
               : std::string();
}

} // namespace

void compatibility_views(const PlanInput& file, PlanReport& report, std::size_t first)
{
    const auto& statements = file.statements;
    // A view dropped and created again in the same transaction is changed, not removed:
    // readers wait for the lock (MS-OPS-03 says so), but none of them breaks (MS-BRK-09).
    for (std::size_t i = 0; i < statements.size() && file.transaction == Transaction::wrapped;
         ++i) {
        const auto dropped = dropped_views(statements[i]);
        const bool all_back =
            !dropped.empty() && std::all_of(dropped.begin(), dropped.end(), [&](const auto& name) {
                return std::any_of(
                    statements.begin() + static_cast<std::ptrdiff_t>(i) + 1, statements.end(),
                    [&](const auto& later) { return recreated_view(later) == name; });
            });
        if (all_back) {
            drop_rule(report.statements.at(first + i), "MS-BRK-09");
        }
    }
    for (std::size_t i = 0; i < statements.size(); ++i) {
        if (!renames_table(statements[i])) {
            continue;
        }
        const std::string old_name = statements[i].as<model::AlterTable>().table.qualified();
        const auto view =
            std::find_if(statements.begin() + static_cast<std::ptrdiff_t>(i) + 1, statements.end(),
                         [&](const auto& later) { return created_view(later) == old_name; });
        if (view == statements.end() || file.transaction != Transaction::wrapped) {
            continue;
        }
        drop_rule(report.statements.at(first + i), "MS-BRK-03");
        // The view belongs with the rename: it is the point of the transaction.
        drop_rule(report.statements.at(first + static_cast<std::size_t>(view - statements.begin())),
                  "MS-OPS-03");
    }
}

} // namespace migsafe::plan::detail
