// The inverse of each statement kind. Each rule reads what was there before from
// objects_before, checks what is there now, and appends steps in the order they must run.
// Names always go through quote_ident; definitions come from pg_get_*def (already quoted).
// The rules live by statement kind: inverse_table.cpp (CREATE/DROP TABLE), inverse_alter.cpp
// (ALTER TABLE), inverse_index.cpp (indexes, renames); what they share in inverse_common.cpp.
#include "compensate/inverse_common.hpp"
#include "model/version_format.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace migsafe::compensate::detail {

namespace {

using Kind = model::AlterTableAction::Kind;

/// Whether what a data statement wrote goes aside anyway: its rows are in a table the
/// migration created (moved aside whole), or it is an UPDATE that only sets columns the
/// migration added (their values are archived with them: a backfill).
bool covered_by_archive(const Context& context, const model::Statement& statement,
                        std::size_t index)
{
    const auto created = [&](const model::RelationName& table) {
        return context.created.contains(context.renames.before(table.qualified(), index));
    };
    if (const auto* insert = statement.get_if<model::Insert>()) {
        return created(insert->table);
    }
    if (const auto* truncate = statement.get_if<model::Truncate>()) {
        return !truncate->tables.empty() &&
               std::all_of(truncate->tables.begin(), truncate->tables.end(), created);
    }
    const auto* change = statement.get_if<model::DataChange>();
    if (change == nullptr) {
        return false;
    }
    if (created(change->table)) {
        return true;
    }
    if (statement.kind != model::StatementKind::update || change->set_columns.empty()) {
        return false;
    }
    const auto original = context.renames.before(change->table.qualified(), index);
    return std::all_of(
        change->set_columns.begin(), change->set_columns.end(), [&](const std::string& column) {
            return context.added_columns.contains(
                original + "/" + context.renames.column_before(original, column, index));
        });
}

/// CREATE VIEW, CREATE MATERIALIZED VIEW and CREATE TABLE AS (a table: moved aside).
void undo_create_view(Context& context, const model::Statement& statement,
                      const model::CreateView& view, std::size_t index)
{
    if (view.kind == model::CreateView::Kind::table_as) {
        move_aside(context, statement, view.name, view.if_not_exists, index);
        return;
    }
    Step base = context.step_for(statement);
    if (view.or_replace) {
        base.safety = DataSafety::manual;
        base.note = "CREATE OR REPLACE: the view's old definition is not recorded";
    } else {
        base.sql = fmt::format(
            "DROP {}VIEW IF EXISTS {}",
            view.kind == model::CreateView::Kind::materialized_view ? "MATERIALIZED " : "",
            quoted_table(view.name.qualified()));
        base.note = "its definition stays in the migration file";
    }
    context.steps.push_back(base);
}

} // namespace

void undo_statement(Context& context, const model::Statement& statement, std::size_t index)
{
    context.current_statement = index;
    using model::StatementKind;
    switch (statement.kind) {
    case StatementKind::create_table:
        // CREATE TABLE AS and CREATE MATERIALIZED VIEW are of this kind too, with the
        // details of a view: undone below, as views are.
        if (const auto* create = statement.get_if<model::CreateTable>()) {
            move_aside(context, statement, create->table, create->if_not_exists, index);
            return;
        }
        undo_create_view(context, statement, statement.as<model::CreateView>(), index);
        return;
    case StatementKind::alter_table: {
        const auto& alter = statement.as<model::AlterTable>();
        for (auto it = alter.actions.rbegin(); it != alter.actions.rend(); ++it) {
            undo_action(context, statement, alter, *it, index);
        }
        return;
    }
    case StatementKind::create_index:
        undo_create_index(context, statement, statement.as<model::CreateIndex>(), index);
        return;
    case StatementKind::drop_index:
        undo_drop_index(context, statement, statement.as<model::DropIndex>());
        return;
    case StatementKind::drop_table:
        undo_drop_table(context, statement, statement.as<model::DropTable>(), index);
        return;
    case StatementKind::rename:
        undo_rename(context, statement, statement.as<model::Rename>());
        return;
    case StatementKind::create_view:
        undo_create_view(context, statement, statement.as<model::CreateView>(), index);
        return;
    case StatementKind::insert:
    case StatementKind::update:
    case StatementKind::delete_rows:
    case StatementKind::truncate: {
        if (covered_by_archive(context, statement, index)) {
            return;
        }
        Step base = context.step_for(statement);
        base.safety = DataSafety::needs_snapshot;
        base.note = fmt::format("the rows it {} are not in the catalog: {}",
                                statement.kind == StatementKind::insert ? "added" : "changed",
                                context.snapshot_sentence());
        context.steps.push_back(base);
        return;
    }
    case StatementKind::set:
    case StatementKind::transaction:
    case StatementKind::select:
    case StatementKind::vacuum:
    case StatementKind::lock:
        return; // no lasting effect on the schema
    default: {
        Step base = context.step_for(statement);
        push_manual(context, base,
                    fmt::format("migsafe has no inverse for {} statements: undo it by hand",
                                model::to_string(statement.kind)));
        return;
    }
    }
}

void restore_dropped_along(Context& context)
{
    for (const auto& [original, before_table] : context.before) {
        if (before_table.kind != "r" || context.created.contains(original)) {
            continue;
        }
        std::string final_name = original;
        for (const auto& rename : context.renames.list) {
            final_name = rename.from == final_name ? rename.to : final_name;
        }
        const Table* now_table = find_table(context.now, final_name);
        if (now_table == nullptr) {
            continue; // dropped: its DROP TABLE step re-creates it whole
        }
        Step base{.undoes = context.migration.up.relative_path,
                  .note = "it went with another change of the migration (a dropped column or "
                          "constraint, a CASCADE)"};
        for (const auto& constraint : before_table.constraints) {
            if (context.handled.contains(key(original, constraint.name)) ||
                now_table->constraint(constraint.name) != nullptr) {
                continue;
            }
            base.original = "constraint " + constraint.name;
            recreate_constraint(context, base, original, quoted_table(original), constraint,
                                before_table);
        }
        for (const auto& index : before_table.indexes) {
            if (context.handled.contains(key(original, index.name)) ||
                now_table->index(index.name) != nullptr ||
                before_table.constraint(index.name) != nullptr) {
                continue;
            }
            context.handled.insert(key(original, index.name));
            Step build = base;
            build.original = "index " + index.name;
            build.part = Part::no_transaction;
            build.sql = concurrently(index.definition);
            context.steps.push_back(build);
        }
    }
}

} // namespace migsafe::compensate::detail
