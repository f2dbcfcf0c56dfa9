// CREATE TABLE, DROP INDEX / TABLE / other, TRUNCATE, and data changes.
#include "plan/alter_actions.hpp"
#include "plan/effects.hpp"
#include "plan/sql_text.hpp"

#include <fmt/format.h>

namespace migsafe::plan::detail {

void plan_create_table(const model::Statement& statement, Context& context, Effects& effects)
{
    effects.at_least(Phase::expand);
    const auto* create = statement.get_if<model::CreateTable>();
    if (create == nullptr) {
        return; // CREATE TABLE AS: the model keeps no details
    }
    const std::string table = create->table.qualified();
    context.release.created.emplace(table, context.file.file);
    if (create->partitioned) {
        context.release.partitioned.insert(table);
    }
    auto& columns = context.release.columns[table];
    auto reference = [&](const model::Constraint& constraint) {
        if (constraint.kind != model::Constraint::Kind::foreign_key || !constraint.references) {
            return;
        }
        const std::string parent = constraint.references->qualified();
        effects.lock(context, parent, LockMode::share_row_exclusive);
        remember_foreign_key(table, constraint, context);
        if (!context.is_new(parent) && parent != table) {
            effects.find("MS-CON-08",
                         fmt::format("CREATE TABLE {} REFERENCES {}: takes "
                                     "ShareRowExclusiveLock on {}, blocking its writes while "
                                     "it waits for the lock",
                                     table, parent, parent),
                         "SET lock_timeout = '2s';");
        }
    };
    for (const auto& column : create->columns) {
        columns[column.name] = {column.type, column.not_null, ""};
        for (const auto& constraint : column.constraints) {
            if (constraint.kind == model::Constraint::Kind::primary_key) {
                columns[column.name].not_null = true;
            }
            if (constraint.kind == model::Constraint::Kind::primary_key ||
                constraint.kind == model::Constraint::Kind::unique) {
                context.release.index_leading[table].push_back(column.name);
            }
            reference(constraint);
        }
    }
    for (const auto& constraint : create->constraints) {
        reference(constraint);
        const bool indexed = constraint.kind == model::Constraint::Kind::primary_key ||
                             constraint.kind == model::Constraint::Kind::unique;
        if (indexed && !constraint.columns.empty()) {
            context.release.index_leading[table].push_back(constraint.columns.front());
        }
        if (constraint.kind == model::Constraint::Kind::primary_key) {
            for (const auto& column : constraint.columns) {
                columns[column].not_null = true;
            }
        }
    }
}

void plan_drop(const model::Statement& statement, Context& context, Effects& effects)
{
    effects.at_least(Phase::contract);
    if (const auto* drop = statement.get_if<model::DropIndex>()) {
        for (const auto& index : drop->indexes) {
            const std::string name = index.qualified();
            const auto mode =
                drop->concurrently ? LockMode::share_update_exclusive : LockMode::access_exclusive;
            auto table = context.release.index_table.find(name);
            const bool known_table = table != context.release.index_table.end();
            if (known_table) {
                effects.lock(context, table->second, mode);
            }
            effects.lock(context, name, mode);
            if (drop->concurrently && context.in_transaction()) {
                effects.find("MS-IDX-04",
                             "DROP INDEX CONCURRENTLY " + name +
                                 " cannot run inside a transaction block",
                             statement.sql + ";\n-- alone in a migration marked -- "
                                             "migsafe:no-transaction");
            }
            if (!drop->concurrently && !context.is_new(name)) {
                effects.find("MS-IDX-02",
                             blocking("DROP INDEX " + name,
                                      known_table ? table->second : "its table",
                                      LockMode::access_exclusive),
                             fmt::format("DROP INDEX CONCURRENTLY{} {};\n-- alone in a "
                                         "migration marked -- migsafe:no-transaction",
                                         drop->if_exists ? " IF EXISTS" : "", name));
            }
        }
        return;
    }
    if (const auto* drop = statement.get_if<model::DropTable>()) {
        for (const auto& relation : drop->tables) {
            const std::string table = relation.qualified();
            effects.lock(context, table, LockMode::access_exclusive);
            auto created = context.release.created.find(table);
            if (created != context.release.created.end() && created->second == context.file.file) {
                context.release.created.erase(created); // a scratch table of this migration
            } else if (created != context.release.created.end()) {
                effects.find("MS-BRK-04",
                             fmt::format("DROP TABLE {} contracts a table created by {} in "
                                         "the same release: the contract step must ship in "
                                         "a later release than its expand",
                                         table, created->second),
                             "-- move the DROP TABLE to the next release's contract migration");
                context.release.created.erase(created);
            } else if (context.file.declared_phase != Phase::contract) {
                effects.find("MS-BRK-04",
                             blocking("DROP TABLE " + table, table, LockMode::access_exclusive) +
                                 "; application versions still using it fail and its rows "
                                 "are gone",
                             "-- stop using the table, then drop it in a later release, in a "
                             "file marked -- migsafe:phase contract");
            }
        }
        return;
    }
    const auto words = words_of(statement.sql);
    if (words.size() > 1 && (words[1].text == "SCHEMA" || words[1].text == "DATABASE")) {
        effects.find("MS-BRK-05",
                     fmt::format("DROP {} drops every object inside it, with no way back but "
                                 "a restore",
                                 words[1].text),
                     "-- drop the objects one by one in contract steps");
    }
}

void plan_data(const model::Statement& statement, Context& context, Effects& effects)
{
    effects.at_least(Phase::backfill);
    if (const auto* truncate = statement.get_if<model::Truncate>()) {
        const bool cascade = has_word(words_of(statement.sql), "CASCADE");
        for (const auto& relation : truncate->tables) {
            const std::string table = relation.qualified();
            effects.lock(context, table, LockMode::access_exclusive);
            effects.rewrite(context, table);
            if (!context.is_new(table)) {
                effects.find("MS-BRK-06",
                             blocking("TRUNCATE " + table, table, LockMode::access_exclusive) +
                                 (cascade ? ", and on every foreign-key child reached by "
                                            "CASCADE; the rows are gone"
                                          : "; the rows are gone"),
                             "-- list the tables explicitly, or DELETE in batches");
            }
        }
        return;
    }
    const auto target = statement.target_table();
    if (!target) {
        return;
    }
    const std::string table = target->qualified();
    effects.lock(context, table, LockMode::row_exclusive);
    const auto* change = statement.get_if<model::DataChange>();
    if (change != nullptr && !change->has_where) {
        effects.scan(context, table);
        if (!context.is_new(table)) {
            effects.find(
                "MS-OPS-04",
                fmt::format("{} of every row of {} in one statement: row locks on "
                            "every row, a WAL spike and bloat",
                            statement.kind == model::StatementKind::update ? "UPDATE" : "DELETE",
                            table),
                "-- batch by primary-key range outside the DDL transaction, in a "
                "file marked -- migsafe:phase backfill");
        }
    }
}

} // namespace migsafe::plan::detail
