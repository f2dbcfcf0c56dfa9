#pragma once
// The description of tables as JSON (columns, constraints, indexes), written into
// migsafe.history's `objects_before` by apply and read again by compensate: one query, so
// the two always describe tables the same way.

#include <migsafe/platform/session.hpp>

#include <set>
#include <string>

namespace migsafe::platform::catalog {

/// Relation names travel as one newline-separated parameter (`$1`) and are matched
/// against `schema.name` exactly: never parsed as SQL, never pasted into it. This is that
/// parameter; `k_relation_in_list` is the condition on `n` (pg_namespace) and `c`
/// (pg_class) that matches it.
std::string relation_list(const std::set<std::string>& relations);
inline constexpr const char* k_relation_in_list =
    "n.nspname || '.' || c.relname = ANY (pg_catalog.string_to_array($1, E'\\n'))";

/// JSON text describing `relations` (schema-qualified names) as they are now:
/// `{"schema.name": {kind, columns [{name, type, not_null, default}], constraints [{name,
/// type, definition, validated}], indexes [{name, definition, valid}]}}`; an index
/// relation (a DROP INDEX locks the index, not its table) also has its `definition`, so that
/// it can be built again. Relations that do
/// not exist are left out; `{}` when none does. Cost: one catalog query.
std::string describe_objects(Session& session, const std::set<std::string>& relations);

} // namespace migsafe::platform::catalog
