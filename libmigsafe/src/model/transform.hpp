#pragma once

// Turns one libpg_query JSON statement node into migsafe's statement model.

#include "model/parse_tree.hpp"

#include <migsafe/model/statement.hpp>

#include <string>
#include <string_view>

namespace migsafe::model::detail {

/// Sets `statement.kind` and `statement.details` from `node` (`{"CreateStmt": {...}}`).
void transform_statement(const Json& node, Statement& statement);

/// The ALTER TABLE details of an AlterTableStmt body.
AlterTable transform_alter_table(const Json& alter);

/// The ALTER TABLE details of a RenameStmt body that renames a table, column or
/// constraint; nullopt for other renames.
std::optional<AlterTable> transform_table_rename(const Json& rename);

/// Sets `statement.details` for maintenance, LOCK, COMMENT, ALTER DOMAIN / TYPE, policies,
/// triggers, ALTER INDEX / SEQUENCE and other CREATEs (node `type`, its `body`); false when
/// `type` is none of those. `statement.kind` must already be set.
bool transform_misc(std::string_view type, const Json& body, Statement& statement);

/// `OBJECT_MATVIEW` -> `matview`.
std::string lowercase_object_type(std::string type);

} // namespace migsafe::model::detail
