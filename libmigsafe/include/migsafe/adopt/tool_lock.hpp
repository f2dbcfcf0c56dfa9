#pragma once

/// The lock another runner takes while it migrates, taken by migsafe too, so that the tool
/// and `migsafe apply` never run at once (docs/adopt.md, "Locks").
///
/// | tool | lock | source |
/// |---|---|---|
/// | prisma | `pg_advisory_lock(72707369)` | prisma-engines
/// sql-schema-connector/src/flavour/postgres.rs | | flyway | `pg_try_advisory_lock(77431708279161 +
/// hashCode("schema"."table"))` | flyway-core PostgreSQLAdvisoryLockTemplate +
/// PostgreSQLConnection.lock | | golang-migrate | `pg_advisory_lock(crc32(schema\0table\0dbname) *
/// 1486364155 mod 2^32)` | database/util.go GenerateAdvisoryLockId, database/postgres/postgres.go
/// Lock | | rails | `pg_try_advisory_lock(2053462845 * crc32(current_database))` | activerecord
/// migration.rb generate_migrator_advisory_lock_id | | dbmate, diesel | none | |

#include <migsafe/adopt/history_table.hpp>
#include <migsafe/adopt/tool.hpp>
#include <migsafe/export.hpp>
#include <migsafe/platform/session.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::adopt {

/// The advisory lock keys `tool` takes for its history `schema.table` in database
/// `database`; empty for a tool without a lock. golang-migrate has two: the key its CLI
/// takes (the URL path `/dbname` as database name) and the one its library takes with
/// WithInstance (current_database()). Pure.
MIGSAFE_API std::vector<std::int64_t> tool_lock_keys(Tool tool, std::string_view database,
                                                     std::string_view schema,
                                                     std::string_view table);

/// Java's String.hashCode of UTF-8 `text` (over its UTF-16 code units). Pure.
MIGSAFE_API std::int32_t java_string_hash(std::string_view text) noexcept;

/// Holds `tool`'s own lock on a session while migsafe writes its history (RAII).
class MIGSAFE_API ToolLock {
public:
    /// Takes every key of `tool_lock_keys` on `session` (session-level, never in a
    /// transaction: see workflow/runner_lock.hpp), trying again until `wait` has passed.
    /// Throws `adopt-tool-lock-busy` (exit 3) naming the tool and the session that holds
    /// it. A tool without a lock takes nothing. Use a session of its own, as the runner lock
    /// does.
    ToolLock(platform::Session& session, const HistoryTable& table, std::chrono::milliseconds wait);
    /// Releases the keys; a failure is logged (the lock goes with the connection anyway).
    ~ToolLock();
    ToolLock(const ToolLock&) = delete;
    ToolLock& operator=(const ToolLock&) = delete;

    /// The keys held (empty for dbmate and diesel).
    const std::vector<std::int64_t>& keys() const { return m_held; }

private:
    platform::Session& m_session;
    std::vector<std::int64_t> m_held;
};

} // namespace migsafe::adopt
