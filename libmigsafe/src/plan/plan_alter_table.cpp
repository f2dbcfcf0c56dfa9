// ALTER TABLE: the statement's lock is the strongest of its actions' locks; each action
// adds its own rewrites, scans and findings.
#include "plan/alter_actions.hpp"

#include <fmt/format.h>

namespace migsafe::plan::detail {
namespace {

using ActionKind = model::AlterTableAction::Kind;
using Other = model::AlterTableAction::Other;

// The lock an action takes on the altered table (reference, section 2.8).
LockMode table_lock(const model::AlterTableAction& action)
{
    switch (action.kind) {
    case ActionKind::add_constraint:
        return action.constraint && action.constraint->kind == model::Constraint::Kind::foreign_key
                   ? LockMode::share_row_exclusive
                   : LockMode::access_exclusive;
    case ActionKind::validate_constraint:
    case ActionKind::attach_partition:
    case ActionKind::set_storage_parameters:
        return LockMode::share_update_exclusive;
    case ActionKind::detach_partition:
        return action.concurrently ? LockMode::share_update_exclusive : LockMode::access_exclusive;
    case ActionKind::enable_trigger:
    case ActionKind::disable_trigger:
        return LockMode::share_row_exclusive;
    default:
        return LockMode::access_exclusive;
    }
}

void plan_drop_column(const ActionScope& scope, const model::AlterTableAction& action,
                      Context& context, Effects& effects)
{
    effects.at_least(Phase::contract);
    // Its foreign keys go with it (those referencing it only with CASCADE, else it fails).
    touch_column_foreign_keys(scope.table, action.column, false, context, effects);
    auto& columns = context.release.columns[scope.table];
    auto known = columns.find(action.column);
    if (scope.table_is_new || context.file.declared_phase == Phase::contract) {
        if (known != columns.end() && !known->second.added_in.empty()) {
            effects.find("MS-BRK-01",
                         fmt::format("DROP COLUMN {}.{} contracts a column added by {} in the "
                                     "same release: the contract step must ship in a later "
                                     "release than its expand",
                                     scope.table, action.column, known->second.added_in),
                         "-- move the DROP COLUMN to the next release's contract migration");
        }
    } else {
        effects.find("MS-BRK-01",
                     blocking(fmt::format("DROP COLUMN {}.{}", scope.table, action.column),
                              scope.table, LockMode::access_exclusive) +
                         "; application versions still using the column fail",
                     "-- stop using the column, then drop it in a later release, in a file "
                     "marked -- migsafe:phase contract");
    }
    if (known != columns.end()) {
        columns.erase(known);
    }
}

void plan_rename(const ActionScope& scope, const model::AlterTableAction& action, Context& context,
                 Effects& effects)
{
    effects.at_least(Phase::contract);
    if (action.kind == ActionKind::rename_constraint) {
        if (!scope.table_is_new) {
            effects.find("MS-OPS-08",
                         blocking("RENAME CONSTRAINT", scope.table, LockMode::access_exclusive),
                         "SET lock_timeout = '2s';");
        }
        return;
    }
    if (action.kind == ActionKind::rename_table) {
        const std::string renamed = platform::qualified_name(
            model::RelationName::from_qualified(scope.table).schema, action.name);
        if (scope.table_is_new) {
            context.release.created[renamed] = context.release.created[scope.table];
            return;
        }
        effects.find("MS-BRK-03",
                     fmt::format("RENAME {} TO {}: running application versions that use {} "
                                 "fail",
                                 scope.table, action.name, scope.table),
                     fmt::format("ALTER TABLE {0} RENAME TO {1};\nCREATE VIEW {0} AS SELECT * "
                                 "FROM {2};  -- same transaction; drop the view in a later "
                                 "release",
                                 scope.table, action.name, renamed));
        return;
    }
    auto& columns = context.release.columns[scope.table];
    if (auto it = columns.find(action.column); it != columns.end()) {
        columns[action.name] = it->second;
        columns.erase(it);
    }
    if (!scope.table_is_new) {
        effects.find("MS-BRK-02",
                     fmt::format("RENAME COLUMN {}.{} TO {}: running application versions that "
                                 "use {} fail",
                                 scope.table, action.column, action.name, action.column),
                     fmt::format("ALTER TABLE {0} ADD COLUMN {1} <type>;\n-- sync {2} and {1} "
                                 "with a trigger, backfill, switch the code, drop {2} in a "
                                 "later release",
                                 scope.table, action.name, action.column));
    }
}

void plan_partition(const ActionScope& scope, const model::AlterTableAction& action,
                    Context& context, Effects& effects)
{
    const std::string& partition = action.name;
    if (action.kind == ActionKind::attach_partition) {
        effects.at_least(Phase::expand);
        effects.lock(context, partition, LockMode::access_exclusive);
        lock_keys_into(scope.table, LockMode::share_row_exclusive, false, context, effects);
        if (!context.is_new(partition)) {
            effects.scan(context, partition);
            effects.find(
                "MS-PART-02",
                blocking("ATTACH PARTITION " + partition, partition, LockMode::access_exclusive) +
                    " while it is scanned to prove the partition bound",
                fmt::format("-- before attaching, on the standalone table:\nALTER "
                            "TABLE {0} ADD CONSTRAINT {1}_bound CHECK (<bound>) NOT "
                            "VALID;\nALTER TABLE {0} VALIDATE CONSTRAINT {1}_bound;",
                            partition, short_name(partition)));
        }
        return;
    }
    effects.at_least(Phase::contract);
    if (action.concurrently) {
        effects.lock(context, partition, LockMode::share_update_exclusive);
        if (context.in_transaction()) {
            effects.find("MS-IDX-04",
                         "DETACH PARTITION " + partition +
                             " CONCURRENTLY cannot run inside a transaction block",
                         scope.statement.sql +
                             ";\n-- alone in a migration marked -- migsafe:no-transaction");
        }
        return;
    }
    effects.lock(context, partition, LockMode::access_exclusive);
    // The rows referencing the detached partition's rows are checked: both are read.
    if (lock_keys_into(scope.table, LockMode::access_exclusive, true, context, effects)) {
        effects.scan(context, partition);
    }
    const auto default_partition = context.release.default_partition.find(scope.table);
    if (!scope.table_is_new && default_partition != context.release.default_partition.end()) {
        // PostgreSQL refuses DETACH ... CONCURRENTLY while a DEFAULT partition exists: the
        // brief exclusive lock is the only way, so this is no error.
        effects.find("MS-PART-01",
                     fmt::format("DETACH PARTITION takes AccessExclusiveLock on {} and {}: "
                                 "blocks reads and writes on the whole partitioned table "
                                 "briefly; CONCURRENTLY is refused while {} has the DEFAULT "
                                 "partition {}",
                                 scope.table, partition, scope.table, default_partition->second),
                     "SET lock_timeout = '2s';  -- and retry: the lock is brief");
        effects.findings.back().severity = Severity::warning;
    } else if (!scope.table_is_new) {
        effects.find("MS-PART-01",
                     fmt::format("DETACH PARTITION takes AccessExclusiveLock on {} and {}: "
                                 "blocks reads and writes on the whole partitioned table",
                                 scope.table, partition),
                     scope.statement.sql + " CONCURRENTLY;\n-- alone in a migration marked -- "
                                           "migsafe:no-transaction");
    }
}

// With `--db`: the table already has the persistence, tablespace or access method the
// action asks for, so PostgreSQL rewrites nothing (it still takes the lock).
bool already_so(const ActionScope& scope, const model::AlterTableAction& action,
                const Context& context)
{
    const model::TableFacts* facts = context.existing(scope.table);
    if (facts == nullptr) {
        return false;
    }
    switch (action.kind) {
    case ActionKind::set_logged:
        return !facts->unlogged;
    case ActionKind::set_unlogged:
        return facts->unlogged;
    case ActionKind::set_tablespace:
        return facts->kind == 'p' || action.name == facts->tablespace ||
               (facts->tablespace.empty() && action.name == "pg_default");
    default:
        break;
    }
    return action.other == Other::set_access_method && action.name == facts->access_method;
}

void plan_other_action(const ActionScope& scope, const model::AlterTableAction& action,
                       Context& context, Effects& effects)
{
    effects.at_least(Phase::expand);
    const bool rewrite_option =
        action.kind == ActionKind::set_tablespace || action.kind == ActionKind::set_logged ||
        action.kind == ActionKind::set_unlogged || action.other == Other::set_access_method;
    if (rewrite_option && !scope.table_is_new && !already_so(scope, action, context)) {
        effects.rewrite(context, scope.table);
        effects.scan(context, scope.table);
        effects.find(
            "MS-MAINT-03",
            blocking("ALTER TABLE " + scope.table, scope.table, LockMode::access_exclusive) +
                " while the table is rewritten",
            "-- build a new table and swap, or run in a maintenance window");
        return;
    }
    if (action.other == Other::no_inherit) {
        // NO INHERIT parent reads the parent's definition
        effects.lock(context, action.name, LockMode::access_share);
    }
    const bool misc_exclusive =
        action.other == Other::replica_identity || action.other == Other::row_security;
    if (action.kind == ActionKind::other && misc_exclusive && !scope.table_is_new) {
        effects.find(
            "MS-OPS-08",
            blocking("ALTER TABLE " + scope.table, scope.table, LockMode::access_exclusive),
            "SET lock_timeout = '2s';");
    }
}

} // namespace

void plan_alter_table(const model::Statement& statement, Context& context, Effects& effects)
{
    const auto& alter = statement.as<model::AlterTable>();
    const std::string table = alter.table.qualified();
    const ActionScope scope{statement, table, context.is_new(table), alter.actions.size() == 1};
    if (alter.if_exists && !scope.table_is_new && context.options().catalog != nullptr &&
        context.options().catalog->table(table) == nullptr) {
        return; // IF EXISTS, and the live catalog has no such table: nothing happens
    }
    for (const auto& action : alter.actions) {
        // SET STATISTICS, CLUSTER ON, SET WITHOUT CLUSTER and a column's SET / RESET
        // (attribute options) only take SUE.
        const bool light = action.other == Other::set_statistics ||
                           action.other == Other::cluster || action.other == Other::column_options;
        effects.lock(context, table, light ? LockMode::share_update_exclusive : table_lock(action));
        switch (action.kind) {
        case ActionKind::add_column:
            plan_add_column(scope, action, context, effects);
            break;
        case ActionKind::add_constraint:
            plan_add_constraint(scope, action, context, effects);
            break;
        case ActionKind::validate_constraint:
        case ActionKind::drop_constraint:
            plan_constraint_change(scope, action, context, effects);
            break;
        case ActionKind::alter_column_type:
        case ActionKind::set_not_null:
        case ActionKind::drop_not_null:
        case ActionKind::set_default:
        case ActionKind::drop_default:
            plan_alter_column(scope, action, context, effects);
            break;
        case ActionKind::drop_column:
            plan_drop_column(scope, action, context, effects);
            break;
        case ActionKind::rename_column:
        case ActionKind::rename_table:
        case ActionKind::rename_constraint:
            plan_rename(scope, action, context, effects);
            break;
        case ActionKind::attach_partition:
        case ActionKind::detach_partition:
            plan_partition(scope, action, context, effects);
            break;
        default:
            plan_other_action(scope, action, context, effects);
            break;
        }
    }
}

} // namespace migsafe::plan::detail
