#pragma once
// Private: one `migsafe apply` at a time per database. A session-level advisory lock taken
// with pg_try_advisory_lock in a retry loop, on a connection of its own that never opens a
// transaction: a blocking or transaction-scoped lock would hold a snapshot, and CREATE
// INDEX CONCURRENTLY in the runner's other session would wait for it forever (the
// deadlock of flyway#1654).

#include <migsafe/platform/session.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace migsafe::workflow::detail {

/// The advisory lock key (both 32-bit halves positive, so pg_locks shows them as written:
/// classid 1835624307, objid 1634100481, objsubid 1).
inline constexpr std::int64_t k_runner_lock_key = 0x6D69677361666501;

/// Who holds the runner lock of the session's database now, in one line (pid, user,
/// application, client, connected since); empty when nobody does.
std::string runner_lock_holder(platform::Session& session);

class RunnerLock {
public:
    /// Takes the lock on `session`, trying again with a growing, jittered pause until
    /// `wait` has passed. Throws `apply-lock-busy` naming the session that holds it (pid,
    /// user, application, client, since when).
    RunnerLock(platform::Session& session, std::chrono::milliseconds wait);
    /// Releases the lock; a failure is logged (the lock goes with the connection anyway).
    ~RunnerLock();
    RunnerLock(const RunnerLock&) = delete;
    RunnerLock& operator=(const RunnerLock&) = delete;

    /// Throws `apply-lock-lost` unless this session still holds the lock (its connection
    /// may have broken, and with it the lock). Cost: one round trip.
    void check() const;

    /// How long acquiring took.
    std::chrono::milliseconds waited() const { return m_waited; }

private:
    platform::Session& m_session;
    std::chrono::milliseconds m_waited{0};
};

} // namespace migsafe::workflow::detail
