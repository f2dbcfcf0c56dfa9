// CREATE TABLE, DROP INDEX / TABLE / other, TRUNCATE, and data changes.
#include "plan/alter_actions.hpp"
#include "plan/effects.hpp"
#include "plan/sql_text.hpp"

#include <migsafe/model/catalog_facts.hpp>

#include <fmt/format.h>

#include <algorithm>

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

namespace {

// DROP TABLE `table`: its foreign keys go with it, and dropping one takes
// AccessExclusiveLock on both of its tables (docs/locks.md, 2.8: "DROP a foreign key").
// Returns the clause a finding adds ("" when none is known).
std::string lock_foreign_key_neighbours(const std::string& table, Context& context,
                                        Effects& effects)
{
    std::vector<std::string> parts;
    for (const auto& neighbour : foreign_key_neighbours(context, table)) {
        effects.lock(context, neighbour.table, LockMode::access_exclusive);
        parts.push_back(fmt::format("{} ({})", neighbour.table, neighbour.constraint));
    }
    if (parts.empty()) {
        return {};
    }
    return fmt::format(", and on {}, as the foreign keys go with it", fmt::join(parts, ", "));
}

// DROP SCHEMA ... CASCADE: every table in it (the catalog's and the release's), and the
// tables outside it whose foreign keys reference them. Without a catalog only the tables
// the release created are known.
void lock_schema(const std::string& schema, Context& context, Effects& effects)
{
    const auto in_schema = [&schema](const std::string& name) {
        return model::RelationName::from_qualified(name).schema == schema;
    };
    std::vector<std::string> tables;
    if (const auto* catalog = context.options().catalog) {
        for (const auto& [name, table] : catalog->tables) {
            if (in_schema(name)) {
                tables.push_back(name);
            }
        }
    }
    for (const auto& [name, file] : context.release.created) {
        if (in_schema(name) && std::find(tables.begin(), tables.end(), name) == tables.end()) {
            tables.push_back(name);
        }
    }
    for (const auto& table : tables) {
        effects.lock(context, table, LockMode::access_exclusive);
        for (const auto& neighbour : foreign_key_neighbours(context, table)) {
            if (!in_schema(neighbour.table)) {
                effects.lock(context, neighbour.table, LockMode::access_exclusive);
            }
        }
    }
}

// TRUNCATE ... CASCADE also empties every table whose foreign key references a truncated
// one, transitively (`--db`, or foreign keys the release defined).
std::vector<std::string> truncate_cascade(const std::vector<std::string>& tables,
                                          const Context& context)
{
    std::vector<std::string> all = tables;
    for (std::size_t i = 0; i < all.size(); ++i) {
        for (const auto& neighbour : foreign_key_neighbours(context, all[i])) {
            if (neighbour.referencing &&
                std::find(all.begin(), all.end(), neighbour.table) == all.end()) {
                all.push_back(neighbour.table);
            }
        }
    }
    return {all.begin() + static_cast<std::ptrdiff_t>(tables.size()), all.end()};
}

// With a catalog: a WHERE that names no leading column of a valid, non-partial index
// (the catalog's or one the release built) reads the whole table.
bool where_is_indexed(const model::DataChange& change, const std::string& table,
                      const Context& context)
{
    auto leading = [&](const std::string& column) {
        if (const auto* facts = context.existing(table)) {
            for (const auto& index : facts->indexes) {
                if (index.valid && !index.partial && !index.columns.empty() &&
                    index.columns.front() == column) {
                    return true;
                }
            }
        }
        auto known = context.release.index_leading.find(table);
        return known != context.release.index_leading.end() &&
               std::find(known->second.begin(), known->second.end(), column) != known->second.end();
    };
    return std::any_of(change.where_columns.begin(), change.where_columns.end(), leading);
}

} // namespace

void plan_drop(const model::Statement& statement, Context& context, Effects& effects)
{
    effects.at_least(Phase::contract);
    if (const auto* drop = statement.get_if<model::DropIndex>()) {
        for (const auto& index : drop->indexes) {
            const std::string name = index.qualified();
            const auto mode =
                drop->concurrently ? LockMode::share_update_exclusive : LockMode::access_exclusive;
            // The index's table: known when the release created the index, or from the
            // catalog (`--db`); without either, unknown (the finding says "its table").
            std::string table;
            if (auto known = context.release.index_table.find(name);
                known != context.release.index_table.end()) {
                table = known->second;
            } else if (const auto* catalog = context.options().catalog;
                       catalog != nullptr && !context.is_new(name)) {
                if (const auto* owner = catalog->table_of_index(name)) {
                    table = owner->name;
                }
            }
            const bool known_table = !table.empty();
            if (known_table) {
                effects.lock(context, table, mode);
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
                             blocking("DROP INDEX " + name, known_table ? table : "its table",
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
            const auto neighbours = lock_foreign_key_neighbours(table, context, effects);
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
                                 neighbours +
                                 "; application versions still using it fail and its rows "
                                 "are gone",
                             "-- stop using the table, then drop it in a later release, in a "
                             "file marked -- migsafe:phase contract");
            }
        }
        return;
    }
    const auto words = words_of(statement.sql);
    if (const auto* drop = statement.get_if<model::DropObjects>();
        drop != nullptr && drop->object_type == "schema" && drop->cascade) {
        for (const auto& schema : drop->names) {
            lock_schema(schema, context, effects);
        }
    }
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
        std::vector<std::string> named;
        for (const auto& relation : truncate->tables) {
            named.push_back(relation.qualified());
        }
        const auto children =
            cascade ? truncate_cascade(named, context) : std::vector<std::string>{};
        std::string gone = "; the rows are gone";
        if (!children.empty()) {
            gone = fmt::format(", and on {} emptied by CASCADE{}", fmt::join(children, ", "), gone);
        } else if (cascade) {
            gone = ", and on every foreign-key child reached by CASCADE" + gone;
        }
        for (const auto& relation : truncate->tables) {
            const std::string table = relation.qualified();
            effects.lock(context, table, LockMode::access_exclusive);
            effects.rewrite(context, table);
            if (!context.is_new(table)) {
                effects.find("MS-BRK-06",
                             blocking("TRUNCATE " + table, table, LockMode::access_exclusive) +
                                 gone,
                             "-- list the tables explicitly, or DELETE in batches");
            }
        }
        for (const auto& child : children) {
            effects.lock(context, child, LockMode::access_exclusive);
            effects.rewrite(context, child);
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
    if (change != nullptr && change->has_where && context.existing(table) != nullptr &&
        !where_is_indexed(*change, table, context)) {
        effects.scan(context, table); // no index to find the rows: a sequential scan
    }
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
