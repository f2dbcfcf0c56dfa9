// ALTER COLUMN: TYPE (rewrite or not), SET/DROP NOT NULL, SET/DROP DEFAULT.
#include "plan/alter_actions.hpp"
#include "plan/type_change.hpp"

#include <migsafe/model/catalog_facts.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace migsafe::plan::detail {
namespace {

using ActionKind = model::AlterTableAction::Kind;

const KnownColumn* known_column(const std::string& table, const std::string& column,
                                const Context& context)
{
    auto table_it = context.release.columns.find(table);
    if (table_it == context.release.columns.end()) {
        return nullptr;
    }
    auto it = table_it->second.find(column);
    return it == table_it->second.end() ? nullptr : &it->second;
}

void plan_type(const ActionScope& scope, const model::AlterTableAction& action, Context& context,
               Effects& effects)
{
    const KnownColumn* known = known_column(scope.table, action.column, context);
    const model::ColumnFacts* live = context.existing_column(scope.table, action.column);
    const std::string from = known != nullptr ? known->type : live != nullptr ? live->type : "";
    const std::string what =
        fmt::format("ALTER COLUMN {}.{} TYPE {}", scope.table, action.column, action.new_type);
    const TypeChangeContext change{context.options().pg_version, context.file.timezone_utc};
    // A domain column changed to (a type binary-coercible from) the domain's base type:
    // the stored values stay as they are (`--db` knows the base type).
    const bool to_domain_base = known == nullptr && live != nullptr && !live->domain_base.empty() &&
                                binary_coercible(live->domain_base, action.new_type, change);
    const bool safe =
        !action.has_using && (to_domain_base || binary_coercible(from, action.new_type, change));
    if (known != nullptr) {
        context.release.columns[scope.table][action.column].type = action.new_type;
    } else if (live != nullptr) { // later statements see the new type, not the catalog's
        context.release.columns[scope.table][action.column] = {action.new_type, live->not_null, ""};
    }
    if (scope.table_is_new) {
        return;
    }
    // The foreign keys through the column are rebuilt (and a validated one checked again).
    touch_column_foreign_keys(scope.table, action.column, true, context, effects);
    if (safe && live != nullptr && known == nullptr) {
        // No rewrite, but a CHECK naming the column is checked again, and on a partitioned
        // table each partition's index of the column is rebuilt: both read the rows.
        const model::TableFacts* table = context.existing(scope.table);
        const bool indexed =
            table != nullptr && table->kind == 'p' &&
            std::any_of(table->indexes.begin(), table->indexes.end(), [&](const auto& index) {
                return std::find(index.columns.begin(), index.columns.end(), action.column) !=
                       index.columns.end();
            });
        if (live->checked || indexed) {
            effects.scan(context, scope.table);
        }
    }
    if (safe) {
        effects.at_least(Phase::expand);
        effects.find("MS-COL-08",
                     blocking(what, scope.table, LockMode::access_exclusive) +
                         fmt::format(" briefly; no rewrite{}",
                                     from.empty() ? " (assuming the column is varchar or "
                                                    "text; --db checks the real type)"
                                                  : " from " + from),
                     "SET lock_timeout = '2s';");
        return;
    }
    effects.at_least(Phase::contract);
    effects.rewrite(context, scope.table);
    effects.scan(context, scope.table);
    // The tables whose foreign keys through the column are checked again (read in full).
    std::vector<std::string> checked_again;
    for (const auto& other : effects.scans) {
        if (other != scope.table) {
            checked_again.push_back(other);
        }
    }
    effects.find("MS-COL-07",
                 blocking(what, scope.table, LockMode::access_exclusive) +
                     " while the table is rewritten and every index rebuilt" +
                     (checked_again.empty()
                          ? std::string()
                          : fmt::format("; the foreign keys of {} through the column are "
                                        "checked again, reading them in full",
                                        fmt::join(checked_again, ", "))),
                 fmt::format("ALTER TABLE {0} ADD COLUMN {1}_new {2};\n-- keep {1}_new in "
                             "sync with a trigger, backfill in batches, then swap the names "
                             "in one short transaction and drop {1} in a later release",
                             scope.table, action.column, action.new_type));
}

void plan_set_not_null(const ActionScope& scope, const model::AlterTableAction& action,
                       Context& context, Effects& effects)
{
    effects.at_least(Phase::contract);
    const KnownColumn* known = known_column(scope.table, action.column, context);
    const bool checked = context.options().pg_version >= 12 &&
                         context.release.checked_not_null.contains({scope.table, action.column});
    const model::ColumnFacts* live = context.existing_column(scope.table, action.column);
    const bool live_checked =
        live != nullptr && live->validated_not_null_check && context.options().pg_version >= 12;
    const bool already_not_null =
        known != nullptr ? known->not_null : live != nullptr && live->not_null;
    if (known != nullptr) {
        context.release.columns[scope.table][action.column].not_null = true;
    }
    if (scope.table_is_new || checked || already_not_null) {
        return;
    }
    if (live_checked) {
        return; // the live catalog's validated CHECK (c IS NOT NULL) proves it: no scan
    }
    effects.scan(context, scope.table);
    const std::string name = fmt::format("{}_{}_not_null", short_name(scope.table), action.column);
    const std::string fix =
        context.options().pg_version >= 12
            ? fmt::format("ALTER TABLE {0} ADD CONSTRAINT {1} CHECK ({2} IS NOT NULL) NOT "
                          "VALID;\n-- in a later migration (a separate transaction):\nALTER "
                          "TABLE {0} VALIDATE CONSTRAINT {1};\nALTER TABLE {0} ALTER COLUMN {2} "
                          "SET NOT NULL;\nALTER TABLE {0} DROP CONSTRAINT {1};",
                          scope.table, name, action.column)
            : fmt::format("-- PostgreSQL {} has no scan-free SET NOT NULL: keep a CHECK ({} IS "
                          "NOT NULL) NOT VALID + VALIDATE instead, or upgrade to 12+",
                          context.options().pg_version, action.column);
    effects.find("MS-COL-01",
                 blocking(fmt::format("SET NOT NULL on {}.{}", scope.table, action.column),
                          scope.table, LockMode::access_exclusive) +
                     " while the whole table is scanned for NULLs",
                 fix);
}

} // namespace

void plan_alter_column(const ActionScope& scope, const model::AlterTableAction& action,
                       Context& context, Effects& effects)
{
    const KnownColumn* known = known_column(scope.table, action.column, context);
    const bool column_is_new = known != nullptr && !known->added_in.empty();
    switch (action.kind) {
    case ActionKind::alter_column_type:
        plan_type(scope, action, context, effects);
        return;
    case ActionKind::set_not_null:
        plan_set_not_null(scope, action, context, effects);
        return;
    case ActionKind::drop_not_null:
        effects.at_least(Phase::expand);
        if (known != nullptr) {
            context.release.columns[scope.table][action.column].not_null = false;
        }
        if (!scope.table_is_new && !column_is_new) {
            effects.find("MS-COL-10",
                         fmt::format("DROP NOT NULL on {}.{}: readers that assume it is never "
                                     "NULL may break",
                                     scope.table, action.column),
                         "-- deploy readers that handle NULL first");
        }
        return;
    case ActionKind::set_default:
        effects.at_least(Phase::expand);
        if (!scope.table_is_new && !column_is_new) {
            effects.find("MS-COL-11",
                         fmt::format("SET DEFAULT on {}.{}: application versions with a cached "
                                     "schema keep writing the old default",
                                     scope.table, action.column),
                         "-- deploy the application change first");
        }
        return;
    default:
        effects.at_least(Phase::expand);
        return;
    }
}

} // namespace migsafe::plan::detail
