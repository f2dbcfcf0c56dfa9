#pragma once
// Every SQL text the snapshot engine and the drill run.

#include <migsafe/platform/session.hpp>

#include <chrono>
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

/// Waits until no other transaction writes the table `schema`.`name` (a SHARE lock,
/// taken and released in a transaction of its own): once pg_restore has sent a table's
/// data, this returns when its COPY has committed. Throws `db-lock-timeout` after `wait`.
void wait_for_writers(Session& conn, const std::string& schema, const std::string& name,
                      std::chrono::milliseconds wait);

} // namespace migsafe::platform::catalog
