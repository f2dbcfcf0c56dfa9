// The runner's advisory lock (see runner_lock.hpp).
#include "workflow/runner_lock.hpp"

#include "platform/logging.hpp"

#include <migsafe/platform/error.hpp>
#include <migsafe/platform/interrupt.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <thread>

namespace migsafe::workflow::detail {
namespace {

using Clock = std::chrono::steady_clock;

const std::string k_key = std::to_string(k_runner_lock_key);

} // namespace

std::string runner_lock_holder(platform::Session& session)
{
    auto result = session.query(
        "SELECT a.pid::text, coalesce(a.usename, ''), coalesce(a.application_name, ''), "
        "coalesce(host(a.client_addr), 'local socket'), "
        "coalesce(to_char(a.backend_start AT TIME ZONE 'UTC', "
        "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '') "
        "FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted "
        "AND l.database = (SELECT oid FROM pg_catalog.pg_database "
        "WHERE datname = pg_catalog.current_database()) "
        "AND l.classid = ($1::bigint >> 32)::oid AND l.objid = ($1::bigint & 4294967295)::oid "
        "AND l.objsubid = 1",
        {k_key});
    if (result.rows.empty()) {
        return {};
    }
    const auto& row = result.rows.front();
    return fmt::format("pid {} (user {}, application '{}', from {}, connected since {})",
                       row[0].value_or("?"), row[1].value_or("?"), row[2].value_or(""),
                       row[3].value_or("?"), row[4].value_or("?"));
}

RunnerLock::RunnerLock(platform::Session& session, std::chrono::milliseconds wait)
    : m_session(session)
{
    auto start = Clock::now();
    std::mt19937 random(std::random_device{}());
    auto pause = std::chrono::milliseconds(50);
    int tries = 0;
    while (true) {
        ++tries;
        if (session.query_value("SELECT pg_catalog.pg_try_advisory_lock($1::bigint)", {k_key})
                .value_or("f") == "t") {
            m_waited = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
            migsafe::detail::log_debug("apply lock taken after {} tries ({} ms)", tries,
                                       m_waited.count());
            return;
        }
        auto elapsed = Clock::now() - start;
        if (elapsed >= wait || migsafe::interrupt::requested()) {
            std::string holder = runner_lock_holder(session);
            throw Error(
                "apply-lock-busy",
                fmt::format("another migsafe apply holds the lock of this database{}; "
                            "waited {} ms",
                            holder.empty() ? "" : ": " + holder,
                            std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()),
                {.object = "pg_advisory_lock(" + k_key + ")"});
        }
        // Full jitter: runners that started together do not retry together.
        std::uniform_int_distribution<long> jitter(pause.count() / 2, pause.count());
        auto sleep = std::min(std::chrono::milliseconds(jitter(random)),
                              std::chrono::duration_cast<std::chrono::milliseconds>(
                                  wait - elapsed + std::chrono::milliseconds(1)));
        std::this_thread::sleep_for(sleep);
        pause = std::min(pause * 2, std::chrono::milliseconds(1000));
    }
}

RunnerLock::~RunnerLock()
{
    try {
        m_session.query_value("SELECT pg_catalog.pg_advisory_unlock($1::bigint)", {k_key});
    } catch (const std::exception& error) {
        migsafe::detail::log_warn("could not release the apply lock: {}", error.what());
    }
}

void RunnerLock::check() const
{
    platform::Value held;
    try {
        held = m_session.query_value(
            "SELECT count(*) FROM pg_catalog.pg_locks WHERE locktype = 'advisory' AND granted "
            "AND pid = pg_catalog.pg_backend_pid() AND classid = ($1::bigint >> 32)::oid "
            "AND objid = ($1::bigint & 4294967295)::oid AND objsubid = 1",
            {k_key});
    } catch (const Error& error) {
        throw Error("apply-lock-lost",
                    fmt::format("the session holding the apply lock failed: {}", error.message()));
    }
    if (held.value_or("0") == "0") {
        throw Error("apply-lock-lost", "the apply lock is no longer held by this run");
    }
}

} // namespace migsafe::workflow::detail
