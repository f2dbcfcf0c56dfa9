// ADD / VALIDATE / DROP CONSTRAINT: which of them scan, and which lock a second table.
#include "model/scan.hpp"
#include "plan/alter_actions.hpp"

#include <migsafe/model/catalog_facts.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <optional>

namespace migsafe::plan::detail {
namespace {

using Kind = model::Constraint::Kind;

std::string constraint_name(const ActionScope& scope, const model::Constraint& constraint)
{
    if (!constraint.name.empty()) {
        return constraint.name;
    }
    std::string name = short_name(scope.table);
    for (const auto& column : constraint.columns) {
        name += "_" + column;
    }
    return name + (constraint.kind == Kind::foreign_key ? "_fkey" : "_check");
}

// `ALTER TABLE t ADD CONSTRAINT name <definition> NOT VALID;` then VALIDATE, later.
std::string not_valid_fix(const ActionScope& scope, const model::Constraint& constraint)
{
    const std::string name = constraint_name(scope, constraint);
    std::string definition = model::detail::text_from_keyword(
        scope.statement.sql, constraint.kind == Kind::check ? "CHECK" : "FOREIGN");
    if (!scope.single_action || definition.empty()) {
        definition = constraint.kind == Kind::check ? "CHECK (...)"
                                                    : "FOREIGN KEY (...) "
                                                      "REFERENCES ...";
    }
    return fmt::format("ALTER TABLE {0} ADD CONSTRAINT {1} {2} NOT VALID;\n-- in a later "
                       "migration (a separate transaction):\nALTER TABLE {0} VALIDATE "
                       "CONSTRAINT {1};",
                       scope.table, name, definition);
}

std::string using_index_fix(const ActionScope& scope, const model::Constraint& constraint)
{
    const bool unique = constraint.kind == Kind::unique;
    std::string name = constraint.name;
    if (name.empty()) {
        name = short_name(scope.table) + (unique ? "_key" : "_pkey");
    }
    return fmt::format("CREATE UNIQUE INDEX CONCURRENTLY {0} ON {1} ({2});  -- in a "
                       "no-transaction migration\nALTER TABLE {1} ADD CONSTRAINT {0} {3} USING "
                       "INDEX {0};",
                       name, scope.table, fmt::join(constraint.columns, ", "),
                       unique ? "UNIQUE" : "PRIMARY KEY");
}

bool nullable_in_release(const std::string& table, const std::vector<std::string>& columns,
                         const Context& context)
{
    auto known = context.release.columns.find(table);
    if (known == context.release.columns.end()) {
        return false;
    }
    return std::any_of(columns.begin(), columns.end(), [&](const std::string& column) {
        auto it = known->second.find(column);
        return it != known->second.end() && !it->second.not_null &&
               !context.release.checked_not_null.contains({table, column});
    });
}

void plan_foreign_key(const ActionScope& scope, const model::Constraint& constraint,
                      Context& context, Effects& effects)
{
    const std::string parent = constraint.references ? constraint.references->qualified() : "";
    effects.lock(context, scope.table, LockMode::share_row_exclusive);
    if (!parent.empty()) {
        effects.lock(context, parent, LockMode::share_row_exclusive);
    }
    remember_foreign_key(scope.table, constraint, context);
    if (constraint.not_valid || scope.table_is_new) {
        return;
    }
    effects.scan(context, scope.table);
    if (!parent.empty()) {
        effects.scan(context, parent);
    }
    effects.find("MS-CON-06",
                 fmt::format("ADD FOREIGN KEY on {} takes ShareRowExclusiveLock on {} and {} "
                             "while both are scanned: blocks writes on both",
                             scope.table, scope.table, parent),
                 not_valid_fix(scope, constraint));
}

void plan_unique(const ActionScope& scope, const model::Constraint& constraint, Context& context,
                 Effects& effects)
{
    const bool unique = constraint.kind == Kind::unique;
    const std::string what = unique ? "ADD UNIQUE" : "ADD PRIMARY KEY";
    if (!constraint.using_index.empty()) {
        const std::string index = platform::qualified_name(
            model::RelationName::from_qualified(scope.table).schema, constraint.using_index);
        // The index is renamed to the constraint's name (ShareUpdateExclusiveLock) only
        // when the names differ; otherwise it is only read (trace: AccessShareLock).
        const bool renamed = !constraint.name.empty() && constraint.name != constraint.using_index;
        effects.lock(context, index,
                     renamed ? LockMode::share_update_exclusive : LockMode::access_share);
        auto columns = context.release.index_columns.find(index);
        if (!unique && columns != context.release.index_columns.end() &&
            nullable_in_release(scope.table, columns->second, context) && !scope.table_is_new) {
            effects.scan(context, scope.table);
            effects.find("MS-CON-03",
                         blocking(what + " USING INDEX " + constraint.using_index, scope.table,
                                  LockMode::access_exclusive) +
                             " while nullable columns are scanned to set NOT NULL",
                         "-- first make each column NOT NULL through a validated CHECK "
                         "(c IS NOT NULL) (MS-COL-01)");
        }
        return;
    }
    if (scope.table_is_new) {
        return;
    }
    effects.scan(context, scope.table);
    effects.find(unique ? "MS-CON-01" : "MS-CON-02",
                 blocking(what, scope.table, LockMode::access_exclusive) +
                     " while the unique index is built",
                 using_index_fix(scope, constraint));
}

} // namespace

void remember_foreign_key(const std::string& table, const model::Constraint& constraint,
                          Context& context)
{
    if (constraint.references) {
        context.release.known_foreign_keys.push_back(
            {.table = table,
             .columns = constraint.columns,
             .referenced = constraint.references->qualified(),
             .referenced_columns = constraint.referenced_columns,
             .validated = !constraint.not_valid});
    }
    if (constraint.columns.empty()) {
        return;
    }
    if (!constraint.name.empty() && constraint.references) {
        context.release.constraints[table][constraint.name] = {
            .kind = Kind::foreign_key,
            .referenced = constraint.references->qualified(),
            .transaction = constraint.not_valid ? context.file.transaction_id : -1,
            .file = context.file.file};
    }
    // A table the release created, or (`--db`) an existing one: its indexes are known.
    if (context.is_new(table) || context.existing(table) != nullptr) {
        context.release.foreign_keys.push_back(
            {context.release.statement_index, table, constraint.columns.front()});
    }
}

void plan_add_constraint(const ActionScope& scope, const model::AlterTableAction& action,
                         Context& context, Effects& effects)
{
    if (!action.constraint) {
        return;
    }
    const auto& constraint = *action.constraint;
    effects.at_least(constraint.not_valid ? Phase::expand : Phase::contract);
    switch (constraint.kind) {
    case Kind::foreign_key:
        plan_foreign_key(scope, constraint, context, effects);
        return;
    case Kind::unique:
    case Kind::primary_key:
        plan_unique(scope, constraint, context, effects);
        return;
    case Kind::exclusion:
        if (!scope.table_is_new) {
            effects.scan(context, scope.table);
            effects.find("MS-CON-04",
                         blocking("ADD EXCLUDE", scope.table, LockMode::access_exclusive) +
                             " while the exclusion index is built; there is no online path",
                         "-- no mechanical fix: new table + dual write + backfill + swap, or "
                         "a maintenance window");
        }
        return;
    case Kind::check: {
        const std::string column = constraint.not_null_check_column;
        if (!constraint.name.empty()) {
            context.release.constraints[scope.table][constraint.name] = {
                .kind = Kind::check,
                .transaction = constraint.not_valid ? context.file.transaction_id : -1,
                .not_null_column = column,
                .file = context.file.file};
        }
        if (!constraint.not_valid && !column.empty()) {
            context.release.checked_not_null.insert({scope.table, column});
        }
        if (constraint.not_valid || scope.table_is_new) {
            return;
        }
        effects.scan(context, scope.table);
        effects.find("MS-CON-05",
                     blocking("ADD CHECK", scope.table, LockMode::access_exclusive) +
                         " while the whole table is scanned",
                     not_valid_fix(scope, constraint));
        return;
    }
    case Kind::not_null:
        return;
    }
}

namespace {

// The foreign key `name` of `table` in the live catalog (`--db`), or nullopt.
std::optional<model::ForeignKeyFacts>
live_foreign_key(const std::string& table, const std::string& name, const Context& context)
{
    const model::CatalogFacts* catalog = context.options().catalog;
    if (catalog == nullptr || context.is_new(table)) {
        return std::nullopt;
    }
    for (auto& key : catalog->foreign_keys_of(table)) {
        if (key.table == table && key.name == name) {
            return key;
        }
    }
    return std::nullopt;
}

// DROP CONSTRAINT <primary key or unique> CASCADE drops the foreign keys that reference
// it: AccessExclusiveLock on their tables (`--db`).
void drop_referencing_keys(const std::string& table, const std::string& name,
                           const model::TableFacts& facts, const Context& context, Effects& effects)
{
    const std::string index =
        platform::qualified_name(model::RelationName::from_qualified(table).schema, name);
    const bool key = std::any_of(facts.indexes.begin(), facts.indexes.end(), [&](const auto& i) {
        return i.name == index && (i.unique || i.primary);
    });
    if (!key) {
        return;
    }
    for (const auto& foreign : context.options().catalog->foreign_keys_of(table)) {
        if (foreign.referenced == table && foreign.table != table) {
            effects.lock(context, foreign.table, LockMode::access_exclusive);
        }
    }
}

} // namespace

void plan_constraint_change(const ActionScope& scope, const model::AlterTableAction& action,
                            Context& context, Effects& effects)
{
    auto& known = context.release.constraints[scope.table];
    auto it = known.find(action.name);
    const KnownConstraint* constraint = it == known.end() ? nullptr : &it->second;
    effects.at_least(Phase::contract);
    // Not made in this release: the live catalog (`--db`) may know it.
    const auto live_key =
        constraint == nullptr ? live_foreign_key(scope.table, action.name, context) : std::nullopt;
    const model::TableFacts* live_table = context.existing(scope.table);
    if (action.kind == model::AlterTableAction::Kind::drop_constraint) {
        const bool cascade = action.cascade;
        if (cascade && live_table != nullptr) {
            drop_referencing_keys(scope.table, action.name, *live_table, context, effects);
        }
        if (live_key && !scope.table_is_new) {
            effects.lock(context, live_key->referenced, LockMode::access_exclusive);
        }
        if (constraint != nullptr && constraint->kind == Kind::foreign_key && !scope.table_is_new) {
            effects.lock(context, constraint->referenced, LockMode::access_exclusive);
            effects.find("MS-CON-10",
                         fmt::format("DROP CONSTRAINT {} takes AccessExclusiveLock on {} and on "
                                     "the referenced {}: blocks reads and writes on both",
                                     action.name, scope.table, constraint->referenced),
                         "SET lock_timeout = '2s';  -- and retry with backoff\n" +
                             scope.statement.sql + ";");
        }
        if (it != known.end()) {
            known.erase(it);
        }
        return;
    }
    effects.lock(context, scope.table, LockMode::share_update_exclusive);
    if (constraint == nullptr) {
        // The catalog shows it validated already: PostgreSQL takes the lock, reads nothing.
        const bool validated =
            (live_key && live_key->validated) ||
            (live_table != nullptr &&
             std::find(live_table->validated_checks.begin(), live_table->validated_checks.end(),
                       action.name) != live_table->validated_checks.end());
        if (validated) {
            return;
        }
        effects.scan(context, scope.table);
        if (live_key) {
            effects.lock(context, live_key->referenced, LockMode::row_share);
            effects.scan(context, live_key->referenced);
        }
        return;
    }
    effects.scan(context, scope.table);
    if (constraint->kind == Kind::foreign_key) {
        effects.lock(context, constraint->referenced, LockMode::row_share);
        effects.scan(context, constraint->referenced);
    }
    if (constraint->transaction == context.file.transaction_id &&
        constraint->file == context.file.file && context.in_transaction() && !scope.table_is_new) {
        effects.find("MS-CON-09",
                     fmt::format("VALIDATE CONSTRAINT {} runs in the same transaction as its "
                                 "ADD ... NOT VALID: the ADD's lock on {} is held during the "
                                 "validation scan",
                                 action.name, scope.table),
                     fmt::format("-- move to a later migration:\nALTER TABLE {} VALIDATE "
                                 "CONSTRAINT {};",
                                 scope.table, action.name));
    }
    it->second.transaction = -1;
    if (!it->second.not_null_column.empty()) {
        context.release.checked_not_null.insert({scope.table, it->second.not_null_column});
    }
}

} // namespace migsafe::plan::detail
