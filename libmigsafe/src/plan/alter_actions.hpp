#pragma once

// The planners of single ALTER TABLE actions (plan_alter_table.cpp dispatches).

#include "plan/effects.hpp"

namespace migsafe::plan::detail {

/// The statement and table an action belongs to.
struct ActionScope {
    const model::Statement& statement;
    const std::string& table; ///< qualified
    bool table_is_new = false;
    bool single_action = false; ///< the ALTER has only this action (fixes can reuse the SQL)
};

/// ADD COLUMN.
void plan_add_column(const ActionScope& scope, const model::AlterTableAction& action,
                     Context& context, Effects& effects);
/// ADD CONSTRAINT.
void plan_add_constraint(const ActionScope& scope, const model::AlterTableAction& action,
                         Context& context, Effects& effects);
/// VALIDATE CONSTRAINT and DROP CONSTRAINT.
void plan_constraint_change(const ActionScope& scope, const model::AlterTableAction& action,
                            Context& context, Effects& effects);
/// ALTER COLUMN ... TYPE / SET NOT NULL / DROP NOT NULL / SET DEFAULT / DROP DEFAULT.
void plan_alter_column(const ActionScope& scope, const model::AlterTableAction& action,
                       Context& context, Effects& effects);

/// Records a foreign key so that the end of the plan can look for its index (MS-OPS-09).
void remember_foreign_key(const std::string& table, const model::Constraint& constraint,
                          Context& context);

} // namespace migsafe::plan::detail
