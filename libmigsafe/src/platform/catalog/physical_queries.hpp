#pragma once
// Every SQL text of the physical engines: the point a physical snapshot's report
// describes, and what a drill reads from a restored cluster (docs/snapshot.md,
// "Physical drills").

#include <migsafe/platform/session.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::platform::catalog {

/// The server's WAL insert position, as text (`0/3000060`).
std::string wal_insert_lsn(Session& conn);

/// The oldest transaction id (64 bit) still running in the current transaction's
/// snapshot. Run inside the report's REPEATABLE READ transaction.
std::uint64_t snapshot_xmin(Session& conn);

/// Where a finished recovery stopped.
struct RecoveryEnd {
    std::string replay_lsn{};     ///< pg_last_wal_replay_lsn(); empty after crash recovery only
    std::string last_commit_at{}; ///< pg_last_xact_replay_timestamp(), RFC 3339 UTC; empty: none
    int timeline = 0;             ///< the timeline the server runs on now
};
RecoveryEnd recovery_end(Session& conn);

/// CHECKPOINT: every page recovery changed is on disk afterwards.
void checkpoint(Session& conn);

/// A relation by schema and name, unquoted.
struct RelationName {
    std::string schema{};
    std::string name{};
};

/// The highest page LSN (as a 64-bit position) of the main fork of each of `relations`,
/// read from the page headers
/// on disk with pg_read_binary_file (superuser; no extension, no write). A relation with
/// no pages, or that does not exist, is nullopt. Run after `checkpoint`.
/// Cost: one 8-byte read per page.
std::vector<std::optional<std::uint64_t>> max_page_lsns(Session& conn,
                                                        const std::vector<RelationName>& relations);

/// The system catalogs whose rows describe the schema (pg_class, pg_attribute, ...), for
/// `max_page_lsns`.
const std::vector<RelationName>& schema_catalogs();

/// The xmin of the pg_class row of each of `relations` (32 bit); nullopt when missing.
std::vector<std::optional<std::uint32_t>>
class_row_xmins(Session& conn, const std::vector<RelationName>& relations);

/// `0/3000060` as a 64-bit position; nullopt when it is not one.
std::optional<std::uint64_t> parse_lsn(std::string_view text);
/// A 64-bit position as PostgreSQL writes it.
std::string format_lsn(std::uint64_t lsn);

} // namespace migsafe::platform::catalog
