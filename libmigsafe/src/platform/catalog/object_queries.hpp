#pragma once
// The description of tables as JSON (columns, constraints, indexes), written into
// migsafe.history's `objects_before` by apply and read again by compensate: one query, so
// the two always describe tables the same way.

#include <migsafe/platform/session.hpp>

#include <set>
#include <string>

namespace migsafe::platform::catalog {

/// Relation names travel as one parameter (`$1`): a JSON array of [schema, name] pairs,
/// matched against pg_namespace.nspname and pg_class.relname separately (never joined with
/// a dot, where `x."y.z"` and `"x.y".z` would read the same), never parsed as SQL, never
/// pasted into it. This is that parameter, from display forms (platform::qualified_name);
/// `k_relation_in_list` is the condition on `n` (pg_namespace) and `c` (pg_class) that
/// matches it.
std::string relation_list(const std::set<std::string>& relations);
inline constexpr const char* k_relation_in_list =
    "(n.nspname, c.relname) IN (SELECT r.value ->> 0, r.value ->> 1 "
    "FROM pg_catalog.jsonb_array_elements($1::jsonb) AS r)";

/// JSON text describing `relations` (display forms) as they are now, keyed by display form
/// (quote_ident on each part, as platform::qualified_name writes it):
/// `{"schema.name": {schema, name, kind, columns [{name, type, not_null, default}], constraints
/// [{name, type, definition, validated}], indexes [{name, definition, valid}]}}`; an index relation
/// (a DROP INDEX locks the index, not its table) also has its `definition`, so that it can be built
/// again. Relations that do not exist are left out; `{}` when none does. Cost: one catalog query.
std::string describe_objects(Session& session, const std::set<std::string>& relations);

} // namespace migsafe::platform::catalog
