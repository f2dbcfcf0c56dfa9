// MS-BRK-03's own way out: `ALTER TABLE a RENAME TO b; CREATE VIEW a AS SELECT * FROM b;`
// in one transaction keeps old readers and writers working (a simple view is updatable).
#include "plan/effects.hpp"
#include "plan/sql_text.hpp"

#include <algorithm>

namespace migsafe::plan::detail {
namespace {

// The relation a CREATE VIEW statement creates, or empty.
std::string created_view(const model::Statement& statement)
{
    if (statement.kind != model::StatementKind::create_view) {
        return {};
    }
    const auto words = words_of(statement.sql);
    std::size_t at = find_word(words, "VIEW") + 1;
    return relation_at(words, at);
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

} // namespace

void compatibility_views(const PlanInput& file, PlanReport& report, std::size_t first)
{
    const auto& statements = file.statements;
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
