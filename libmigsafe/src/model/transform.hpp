#pragma once

// Turns one libpg_query JSON statement node into migsafe's statement model.

#include "model/parse_tree.hpp"

#include <migsafe/model/statement.hpp>

namespace migsafe::model::detail {

/// Sets `statement.kind` and `statement.details` from `node` (`{"CreateStmt": {...}}`).
void transform_statement(const Json& node, Statement& statement);

/// The ALTER TABLE details of an AlterTableStmt body.
AlterTable transform_alter_table(const Json& alter);

/// The ALTER TABLE details of a RenameStmt body that renames a table, column or
/// constraint; nullopt for other renames.
std::optional<AlterTable> transform_table_rename(const Json& rename);

} // namespace migsafe::model::detail
