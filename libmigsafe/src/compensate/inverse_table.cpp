// CREATE TABLE and CREATE TABLE AS are undone by moving the table aside, never dropping it;
// DROP TABLE by rebuilding its structure (the rows need the snapshot).
#include "compensate/inverse_common.hpp"
#include "model/version_format.hpp"

#include <fmt/format.h>

namespace migsafe::compensate::detail {
void move_aside(Context& context, const model::Statement& statement,
                const model::RelationName& table, bool if_not_exists, std::size_t index)
{
    const std::string at_statement = table.qualified();
    const std::string original = context.renames.before(at_statement, index);
    const std::string final_name = context.renames.after(at_statement, index);
    Step base = context.step_for(statement);
    if (if_not_exists && find_table(context.before, original) != nullptr) {
        base.note = fmt::format("{} existed before the migration (IF NOT EXISTS): nothing to "
                                "undo",
                                original);
        context.steps.push_back(base);
        return;
    }
    context.created.insert(original);
    if (find_table(context.now, final_name) == nullptr) {
        base.note = fmt::format("{} no longer exists: nothing to move aside", final_name);
        context.steps.push_back(base);
        return;
    }
    ensure_archive_schema(context);
    const std::string aside = context.archive_name(name_of(at_statement));
    Step rename = base;
    rename.safety = DataSafety::archived;
    rename.archive = context.archived(aside);
    rename.sql =
        fmt::format("ALTER TABLE {} RENAME TO {}", quoted_table(at_statement), quote_ident(aside));
    rename.note = fmt::format("the table and its rows are moved aside, not dropped (drop {} "
                              "once nobody needs them); foreign keys that reference it keep "
                              "referencing it there",
                              rename.archive);
    rename.allows = {"MS-BRK-03"};
    context.steps.push_back(rename);
    Step move = base;
    move.safety = DataSafety::archived;
    move.archive = rename.archive;
    move.sql = fmt::format("ALTER TABLE {}.{} SET SCHEMA {}", quote_ident(schema_of(at_statement)),
                           quote_ident(aside), quote_ident(context.options.archive_schema));
    context.steps.push_back(move);
}

void undo_drop_table(Context& context, const model::Statement& statement,
                     const model::DropTable& drop, std::size_t index)
{
    for (const auto& dropped : drop.tables) {
        Step base = context.step_for(statement);
        const std::string original = context.renames.before(dropped.qualified(), index);
        const Table* before_table = find_table(context.before, original);
        if (before_table == nullptr && context.created.contains(original)) {
            base.note =
                fmt::format("{} was created by the same migration: nothing to put back", original);
            context.steps.push_back(base);
            continue;
        }
        if (before_table == nullptr || (before_table->kind != "r" && before_table->kind != "p")) {
            base.safety = drop.if_exists ? DataSafety::lossless : DataSafety::manual;
            base.note = drop.if_exists && before_table == nullptr
                            ? fmt::format("{} did not exist before the migration (IF EXISTS): "
                                          "nothing to undo",
                                          original)
                            : context.not_recorded(original, "re-create it by hand",
                                                   "is not described in objects_before");
            context.steps.push_back(base);
            continue;
        }
        if (before_table->kind == "p") {
            push_manual(context, base,
                        fmt::format("{} was partitioned: re-create it and its partitions by hand "
                                    "({})",
                                    original, context.snapshot_sentence()));
            continue;
        }
        std::vector<std::string> parts;
        std::string caveats;
        for (const auto& column : before_table->columns) {
            Column copy = column;
            if (copy.default_expression &&
                copy.default_expression->find("nextval(") != std::string::npos) {
                copy.default_expression.reset();
                caveats += fmt::format("; the default of {} used a sequence that went with the "
                                       "table: re-create it",
                                       column.name);
            }
            parts.push_back(column_sql(copy, true));
        }
        for (const auto& constraint : before_table->constraints) {
            parts.push_back(fmt::format("CONSTRAINT {} {}", quote_ident(constraint.name),
                                        without_not_valid(constraint.definition)));
            context.handled.insert(key(original, constraint.name));
        }
        std::string body;
        for (const auto& part : parts) {
            body += (body.empty() ? "\n    " : ",\n    ") + part;
        }
        Step create = base;
        create.safety = DataSafety::needs_snapshot;
        create.sql = fmt::format("CREATE TABLE {} ({}\n)", quoted_table(original), body);
        create.note = fmt::format("the structure comes back empty: {}; foreign keys of other "
                                  "tables that referenced it are not restored{}",
                                  context.snapshot_sentence(), caveats);
        context.late.push_back(create);
        for (const auto& index_def : before_table->indexes) {
            context.handled.insert(key(original, index_def.name));
            if (before_table->constraint(index_def.name) != nullptr) {
                continue; // made by its constraint
            }
            Step build = base;
            build.safety = DataSafety::lossless;
            build.sql = index_def.definition; // the table is new and empty: no CONCURRENTLY
            context.late.push_back(build);
        }
    }
}

} // namespace migsafe::compensate::detail
