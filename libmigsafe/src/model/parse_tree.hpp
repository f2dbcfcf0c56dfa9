#pragma once

// Readers for libpg_query's JSON parse tree. This is the only place (with transform*.cpp)
// that knows libpg_query's node names; everything returned is migsafe's own model.

#include <migsafe/model/statement.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace migsafe::model::detail {

using Json = nlohmann::json;

/// The string field `key` of `node`, or "" (libpg_query leaves out empty fields).
std::string text_field(const Json& node, const char* key);

/// The boolean field `key` of `node` (absent means false).
bool flag_field(const Json& node, const char* key);

/// The `sval` of a `{"String": ...}` node, or "".
std::string string_value(const Json& node);

/// The `sval`s of a list of `{"String": ...}` nodes.
std::vector<std::string> string_values(const Json& list);

/// A RangeVar body as a relation name (schema `public` when not written).
RelationName relation_of(const Json& range_var);

/// A dotted name list (`[schema, name]` or `[name]`) as a relation name.
RelationName relation_of_names(const Json& names);

/// A TypeName body as display text (`bigint`, `varchar(100)`, `integer[]`).
std::string type_display(const Json& type_name);

/// How a default expression behaves (see DefaultKind).
DefaultKind classify_default(const Json& expr);

/// The functions an expression calls, schema-qualified when written so, in order.
std::vector<std::string> called_functions(const Json& expr);

/// A Constraint body as a migsafe constraint.
Constraint constraint_of(const Json& constraint);

/// A ColumnDef body as a column definition.
ColumnDefinition column_of(const Json& column_def);

} // namespace migsafe::model::detail
