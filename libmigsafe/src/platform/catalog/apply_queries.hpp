#pragma once
// The catalog reads of the apply runner (its history table's statements apart, in
// workflow/history.cpp): who blocks a migration, what an interrupted run left running, which
// objects exist.

#include "platform/catalog/session_description.hpp"

#include <migsafe/platform/session.hpp>

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::platform::catalog {

/// A session holding a granted lock on one of the relations asked about.
struct LockHolder {
    SessionDescription session{};
    std::string state{};           ///< pg_stat_activity.state
    std::string transaction_age{}; ///< whole seconds since xact_start; empty outside one
    std::string mode{};            ///< e.g. AccessExclusiveLock
    std::string relation{};        ///< `schema.relation`, as the catalog spells it
};

/// Up to five sessions of this database (not this one, not `exclude_pid`) holding a
/// granted lock on one of `relations` (display forms), oldest transaction first.
std::vector<LockHolder> relation_lock_holders(Session& conn, const std::set<std::string>& relations,
                                              int exclude_pid);

/// A session still running a statement.
struct ActiveBackend {
    std::string pid{};
    std::string running_for{}; ///< whole seconds since query_start, `?` when unknown
};

/// The active sessions of this database named `application_name`, but `exclude_pids`, by
/// pid.
std::vector<ActiveBackend> active_backends_named(Session& conn, std::string_view application_name,
                                                 const std::vector<int>& exclude_pids);

/// Of `names` (display forms), those that exist now as a relation (table, view,
/// materialized view, sequence, index), a type or a function, as (schema, name) pairs.
std::vector<std::pair<std::string, std::string>>
existing_objects(Session& conn, const std::set<std::string>& names);

} // namespace migsafe::platform::catalog
