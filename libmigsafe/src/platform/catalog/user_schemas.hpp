#pragma once
// Which schemas are the user's: the one filter every catalog read of "user objects" uses.

#include <string_view>

namespace migsafe::platform::catalog {

/// The condition on `n` (pg_namespace) that keeps the user's schemas: every schema but
/// pg_catalog, information_schema, pg_toast, pg_temp_N and pg_toast_temp_N (this
/// session's and others' temporary objects). Users cannot create a schema whose name starts
/// with `pg_`, so on a server these are all the `pg_*` schemas there are.
inline constexpr std::string_view k_user_schemas_predicate =
    "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)'";

/// `k_user_schemas_predicate` without migsafe's own schemas (migsafe, migsafe_archive):
/// what a rehearsal reports as the migration's objects.
inline constexpr std::string_view k_user_schemas_but_migsafe_predicate =
    "n.nspname NOT IN ('pg_catalog', 'information_schema', 'migsafe', 'migsafe_archive') "
    "AND n.nspname !~ '^pg_(toast|temp_)'";

} // namespace migsafe::platform::catalog
