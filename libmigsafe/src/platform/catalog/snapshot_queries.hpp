#pragma once
// Every SQL text the snapshot engine and the drill run.

#include <migsafe/platform/session.hpp>

#include <cstdint>
#include <string>

namespace migsafe::platform::catalog {

/// The identity of a source database.
struct SourceFacts {
    std::string database{};
    std::string server_version{};    ///< e.g. `15.18`
    std::string system_identifier{}; ///< empty when pg_control_system() is not allowed
};

/// Reads the source facts. Run it outside a transaction: a refused pg_control_system()
/// is caught and leaves `system_identifier` empty.
SourceFacts source_facts(Session& conn);

/// Begins the REPEATABLE READ transaction that holds a snapshot for pg_dump and the scan,
/// and exports it. Returns the snapshot id.
std::string hold_exported_snapshot(Session& conn);

/// The number of user objects (schemas other than public, relations, types, functions)
/// in the database: 0 means a restore target is empty.
std::int64_t count_user_objects(Session& conn);

} // namespace migsafe::platform::catalog
