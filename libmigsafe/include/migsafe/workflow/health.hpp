#pragma once

/// `migsafe health`: what in a live database would make a migration or a deploy go wrong,
/// read from the catalog and the statistics views (nothing is written): leftovers of failed
/// migrations (INVALID indexes, NOT VALID constraints, unfinished migsafe migrations),
/// sessions that would block DDL or hold back vacuum (long or idle transactions, lock
/// waits, old prepared transactions), and limits coming closer (sequences near their
/// type's maximum, transaction ID wraparound, replication slots holding WAL).

#include <migsafe/export.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::workflow {

/// How serious a health finding is. Errors fail the verdict (exit 1).
enum class HealthSeverity { warning, error };

/// `warning` or `error`.
MIGSAFE_API std::string_view to_string(HealthSeverity severity) noexcept;

/// One thing found. `check` is a stable id (docs/health.md lists them).
struct HealthFinding {
    std::string check{}; ///< e.g. `invalid-index`, `long-transaction`
    HealthSeverity severity = HealthSeverity::warning;
    std::string object{};  ///< what it is about: `public.orders_email_idx`, `pid 4242`
    std::string message{}; ///< one line for people, with the figures
    std::string fix{};     ///< what to do (SQL where there is one)
};

/// Thresholds. Fill it with designated initializers.
struct HealthOptions {
    /// A transaction open longer than this is reported (an error past 12 times this).
    std::chrono::milliseconds long_transaction = std::chrono::minutes(5);
    /// A session idle in a transaction longer than this is reported.
    std::chrono::milliseconds idle_in_transaction = std::chrono::minutes(1);
    /// A session waiting for a lock longer than this is reported.
    std::chrono::milliseconds lock_wait = std::chrono::seconds(10);
    /// Share of a sequence's range used from which it is a warning, and an error.
    double sequence_warning = 0.75;
    double sequence_error = 0.90;
    /// The time stale flags are judged at (`stale-flag`); nullopt: the clock. For tests.
    std::optional<std::chrono::system_clock::time_point> now{};
};

/// What `health` found.
struct HealthReport {
    static constexpr int k_schema_version = 1;
    std::string database{};            ///< current_database()
    std::string server_version{};      ///< e.g. `15.18`
    std::string checked_at{};          ///< RFC 3339 UTC
    std::vector<std::string> checks{}; ///< the ids of the checks that ran, in order
    std::vector<HealthFinding> findings{};

    /// Counts of findings by severity.
    MIGSAFE_API int count(HealthSeverity severity) const noexcept;
    /// True when no finding is an error.
    MIGSAFE_API bool healthy() const noexcept;
    /// The JSON form (docs/json.md): schema_version, database, server_version, checked_at,
    /// verdict, counts, checks, findings[...].
    MIGSAFE_API std::string to_json() const;
    /// The text form: one line per finding with its fix, then the verdict.
    MIGSAFE_API std::string to_text() const;
};

/// Connects to `conninfo` (read-only work) and runs every check. Throws
/// `db-connect-failed`, `db-query-failed`.
MIGSAFE_API HealthReport health(const std::string& conninfo, const HealthOptions& options = {});

} // namespace migsafe::workflow
