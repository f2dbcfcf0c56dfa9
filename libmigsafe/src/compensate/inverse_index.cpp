// CREATE INDEX, DROP INDEX and renames.
#include "compensate/inverse_common.hpp"
#include "model/version_format.hpp"

#include <fmt/format.h>

namespace migsafe::compensate::detail {
void undo_create_index(Context& context, const model::Statement& statement,
                       const model::CreateIndex& create, std::size_t index)
{
    const std::string at_statement = create.table.qualified();
    const std::string original = context.renames.before(at_statement, index);
    const std::string final_name = context.renames.after(at_statement, index);
    if (context.created.contains(original)) {
        return;
    }
    Step base = context.step_for(statement);
    const Table* now_table = find_table(context.now, final_name);
    const Table* before_table = find_table(context.before, original);
    std::string name = create.name;
    if (name.empty() && now_table != nullptr) {
        std::vector<std::string> candidates;
        for (const auto& candidate : now_table->indexes) {
            if ((before_table == nullptr || before_table->index(candidate.name) == nullptr) &&
                now_table->constraint(candidate.name) == nullptr &&
                !context.claimed.contains(key(final_name, candidate.name)) &&
                !context.renamed_to.contains(candidate.name)) {
                candidates.push_back(candidate.name);
            }
        }
        if (candidates.size() == 1) {
            name = candidates.front();
        }
    }
    if (name.empty()) {
        push_manual(context, base,
                    fmt::format("the index has no name in the migration and migsafe cannot tell "
                                "which index of {} it is: drop it by hand (CONCURRENTLY)",
                                final_name));
        return;
    }
    context.claimed.insert(key(final_name, name));
    if (create.if_not_exists && before_table != nullptr && before_table->index(name) != nullptr) {
        base.note = fmt::format("index {} existed before the migration (IF NOT EXISTS): nothing "
                                "to undo",
                                name);
        context.steps.push_back(base);
        return;
    }
    const bool partitioned = (now_table != nullptr && now_table->kind == "p") ||
                             (before_table != nullptr && before_table->kind == "p");
    if (partitioned) {
        // PostgreSQL cannot drop a partitioned table's index CONCURRENTLY.
        base.sql = fmt::format("DROP INDEX IF EXISTS {}.{}", quote_ident(create.table.schema),
                               quote_ident(name));
        base.note = "a partitioned table's index cannot be dropped CONCURRENTLY: DROP INDEX "
                    "takes ACCESS EXCLUSIVE on the table and its partitions, briefly";
        context.steps.push_back(base);
        return;
    }
    base.part = Part::no_transaction;
    base.sql = fmt::format("DROP INDEX CONCURRENTLY IF EXISTS {}.{}",
                           quote_ident(create.table.schema), quote_ident(name));
    context.steps.push_back(base);
}

void undo_drop_index(Context& context, const model::Statement& statement,
                     const model::DropIndex& drop)
{
    for (const auto& dropped : drop.indexes) {
        Step base = context.step_for(statement);
        const Index* found = nullptr;
        std::string table;
        for (const auto& [name, described] : context.before) {
            if (schema_of(name) == dropped.schema) {
                if (const Index* index = described.index(dropped.name)) {
                    found = index;
                    table = name;
                    break;
                }
            }
        }
        // A migration that only drops the index locked (and recorded) the index itself.
        Index alone;
        if (const Table* relation = find_table(context.before, dropped.qualified());
            found == nullptr && relation != nullptr && !relation->definition.empty()) {
            alone = {.name = dropped.name, .definition = relation->definition};
            found = &alone;
        }
        if (found == nullptr && added_earlier(context, dropped.name, context.current_statement)) {
            base.note = fmt::format("index {} was created by the same migration: nothing to put "
                                    "back",
                                    dropped.qualified());
            context.steps.push_back(base);
            continue;
        }
        if (found == nullptr) {
            push_undescribed(
                context, base, drop.if_exists, "index " + dropped.qualified(),
                context.not_recorded(fmt::format("the definition of index {}", dropped.qualified()),
                                     "re-create it by hand"));
            continue;
        }
        context.handled.insert(key(table, found->name));
        base.part = Part::no_transaction;
        base.sql = concurrently(found->definition);
        base.note = "built again from its definition, without blocking writes";
        context.steps.push_back(base);
    }
}

void undo_rename(Context& context, const model::Statement& statement, const model::Rename& rename)
{
    Step base = context.step_for(statement);
    if (rename.object_type != "index") {
        push_manual(context, base,
                    fmt::format("migsafe has no inverse for renaming a {}: rename it back by hand",
                                rename.object_type));
        return;
    }
    const std::string& from = rename.from; // a display form: schema_of/name_of split it
    base.sql = fmt::format("ALTER INDEX {}.{} RENAME TO {}", quote_ident(schema_of(from)),
                           quote_ident(rename.to), quote_ident(name_of(from)));
    for (const auto& [name, described] : context.before) {
        if (schema_of(name) == schema_of(from) && described.index(name_of(from)) != nullptr) {
            context.handled.insert(key(name, name_of(from)));
        }
    }
    context.steps.push_back(base);
}

} // namespace migsafe::compensate::detail
