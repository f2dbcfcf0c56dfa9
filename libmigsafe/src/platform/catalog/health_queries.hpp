#pragma once
// Every SQL text `migsafe health` runs: read-only catalog and statistics views of the
// current database. Sessions are described by pid, user, application and client, never by
// their query text (it may carry secrets).

#include "platform/catalog/session_description.hpp"

#include <migsafe/platform/session.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace migsafe::platform::catalog {

/// Bounds the checks themselves: a stuck server must not keep `health` waiting.
void bound_health_reads(Session& conn);

/// The database's name, the server version (as the server spells it, packager's suffix
/// included) and the time now (RFC 3339, UTC, whole seconds): server_facts.
struct HealthFacts {
    std::string database{};
    std::string server_version{};
    std::string checked_at{};
};
HealthFacts health_facts(Session& conn);

/// Which sessions `sessions_older_than` lists.
enum class SessionState {
    in_transaction, ///< active in a transaction (not idle, not waiting for a lock), by xact_start
    idle_in_transaction, ///< idle in a transaction, by state_change
    waiting_for_lock,    ///< waiting for a lock, by state_change
};

/// A client session of this database (the checking one left out).
struct SessionRow {
    SessionDescription session{};
    std::int64_t age_seconds = 0; ///< how long it has been in the state
    std::string blocked_by{};     ///< waiting_for_lock: the blocking pids, comma-separated
};
/// The sessions in `state` for longer than `threshold`, oldest first.
std::vector<SessionRow> sessions_older_than(Session& conn, SessionState state,
                                            std::chrono::milliseconds threshold);

/// A prepared transaction of this database waiting for COMMIT/ROLLBACK PREPARED.
struct PreparedTransaction {
    std::string gid{}, owner{};
    std::int64_t age_seconds = 0;
};
std::vector<PreparedTransaction>
prepared_transactions_older_than(Session& conn, std::chrono::milliseconds threshold);

/// A user sequence that has been used, with the limit it really has: its own maximum or its
/// owning column's type, whichever is lower (a bigint sequence behind an integer column
/// fails at 2^31 - 1).
struct SequenceUsage {
    std::string schema{}, name{};
    std::int64_t last_value = 0, limit = 0, start = 0;
    std::string owner_schema{}, owner_table{}, owner_column{}; ///< empty when not owned
    std::string owner_type{};                                  ///< format_type of the column
};
std::vector<SequenceUsage> sequence_usage(Session& conn);

/// `age(datfrozenxid)` and `mxid_age(datminmxid)` of the current database.
struct WraparoundAges {
    std::int64_t xid_age = 0, mxid_age = 0;
};
std::optional<WraparoundAges> wraparound_ages(Session& conn);

/// Whether the server is a standby (pg_is_in_recovery()).
bool in_recovery(Session& conn);

/// An inactive replication slot of this database (or a physical one) holding back WAL.
struct InactiveSlot {
    std::string name{}, type{}, retained{}; ///< retained: WAL kept, pg_size_pretty form
};
std::vector<InactiveSlot> inactive_replication_slots(Session& conn);

} // namespace migsafe::platform::catalog
