#pragma once
// The description of tables as JSON (columns, constraints, indexes), written into
// migsafe.history's `objects_before` by apply and read again by compensate: one query, so
// the two always describe tables the same way.

#include <migsafe/platform/session.hpp>

#include <set>
#include <string>

namespace migsafe::platform::catalog {

/// JSON text describing `relations` (schema-qualified names) as they are now:
/// `{"schema.name": {kind, columns [{name, type, not_null, default}], constraints [{name,
/// type, definition, validated}], indexes [{name, definition, valid}]}}`; an index
/// relation (a DROP INDEX locks the index, not its table) also has its `definition`, so that
/// it can be built again. Relations that do
/// not exist are left out; `{}` when none does. Cost: one catalog query.
std::string describe_objects(Session& session, const std::set<std::string>& relations);

} // namespace migsafe::platform::catalog
