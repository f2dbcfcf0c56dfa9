#pragma once

/// Living side by side: after `migsafe apply` ran a migration, the row the other tool would
/// have written for it, written exactly as the tool writes it, so that `prisma migrate
/// status`, `flyway info`, `dbmate status`, ... still agree and the team can switch back.

#include <migsafe/adopt/history_table.hpp>
#include <migsafe/adopt/tool.hpp>
#include <migsafe/export.hpp>
#include <migsafe/platform/session.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace migsafe::adopt {

/// A migration migsafe has just applied, in the terms the tool's row needs.
struct AppliedMigration {
    /// The tool's identity of the migration (see `tool_identity` in match.hpp): Prisma's
    /// folder name, Flyway's version (empty for a repeatable), dbmate's/Rails'/diesel's
    /// version string, golang-migrate's version number.
    std::string identity{};
    std::string file_name{};  ///< the up file's name as written (Flyway's `script`)
    std::string text{};       ///< the up file's bytes (checksums)
    std::string started_at{}; ///< RFC 3339 (Prisma's started_at); empty: now
    std::chrono::milliseconds execution_time{0}; ///< Flyway's execution_time
};

/// Flyway's description of a script name: the part after `__` without `.sql`, `_` as
/// spaces (`V1_2__Add_new_table.sql` -> `Add new table`). Pure.
MIGSAFE_API std::string flyway_description(std::string_view file_name);

/// Creates the tool's history table at `table.schema`.`table.table` with the tool's own DDL
/// when it does not exist yet (Rails: with `ar_internal_metadata`). Run it under the tool's
/// lock.
MIGSAFE_API void ensure_tool_history(platform::Session& session, const HistoryTable& table);

/// Writes the tool's row for `migration` into `table` (the tool's, see `is_tools`), in the
/// caller's transaction when there is one (so that it commits with the migration):
/// - prisma: id = a random UUID, checksum = SHA-256 hex of the script, started_at,
///   finished_at = now, migration_name = the folder, applied_steps_count = 1, logs NULL;
/// - flyway: installed_rank = max + 1, version, description, type `SQL`, script, its CRC32,
///   installed_by = current_user, installed_on = now(), execution_time, success = true;
/// - golang-migrate: its one row replaced by (version, dirty = false);
/// - dbmate, rails: (version); diesel: (version, run_on = CURRENT_TIMESTAMP).
/// Throws the errors of `Session::exec_params`.
MIGSAFE_API void write_tool_row(platform::Session& session, const HistoryTable& table,
                                const AppliedMigration& migration);

} // namespace migsafe::adopt
