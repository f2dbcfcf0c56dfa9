// The health checks: one catalog read each (platform/catalog/health_queries.hpp), on the
// current database, read-only. Sessions are named by pid, user, application and client,
// never by their query text (it may carry secrets).
#include "model/version_format.hpp"
#include "platform/catalog/health_queries.hpp"
#include "platform/catalog/index_queries.hpp"
#include "platform/catalog/integrity_queries.hpp"
#include "platform/enum_names.hpp"

#include <migsafe/flags/json.hpp>
#include <migsafe/flags/store.hpp>
#include <migsafe/platform/duration.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/session.hpp>
#include <migsafe/workflow/health.hpp>
#include <migsafe/workflow/history.hpp>

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <functional>

namespace migsafe::workflow {
namespace {

namespace catalog = platform::catalog;
using platform::quote_ident;
using platform::quote_literal;
using platform::Session;

/// Transaction IDs wrap around at 2^31; PostgreSQL stops taking writes shortly before.
constexpr double k_xid_limit = 2147483648.0;

/// For SQL and for people alike: `public.orders`, `"x.y".z` (quoted where needed, so two
/// tables never read the same).
std::string qualified(const std::string& schema, const std::string& name)
{
    return platform::qualified_name(schema, name);
}

/// `pid 4242 (user app, application 'web', from 10.0.0.7)`.
std::string who(const catalog::SessionRow& row)
{
    return fmt::format("pid {} (user {}, application '{}', from {})", row.session.pid,
                       row.session.user, row.session.application, row.session.client);
}

struct Checker {
    Session& session;
    const HealthOptions& options;
    HealthReport& report;

    void add(std::string_view check, HealthSeverity severity, std::string object,
             std::string message, std::string fix)
    {
        report.findings.push_back({.check = std::string(check),
                                   .severity = severity,
                                   .object = std::move(object),
                                   .message = std::move(message),
                                   .fix = std::move(fix)});
    }

    /// Flags fully on or fully off in an environment for longer than their expiry: the
    /// code path behind them is dead or permanent, and the flag only adds risk.
    void stale_flags()
    {
        const auto now = options.now.value_or(std::chrono::system_clock::now());
        for (const auto& flag : flags::list_flags(session)) {
            for (const auto& state : flag.environments) {
                if (!flag.stale_in(state.env, now)) {
                    continue;
                }
                const bool on = state.fully_on();
                const auto since = state.steady_since.value_or(now);
                const auto hours =
                    std::chrono::duration_cast<std::chrono::hours>(now - since).count();
                add("stale-flag", HealthSeverity::warning,
                    fmt::format("flag {} in {}", flag.key, state.env),
                    fmt::format("flag {} (owner {}) has been fully {} in {} since {} ({}), longer "
                                "than its expiry of {}",
                                flag.key, flag.owner, on ? "on" : "off", state.env,
                                flags::format_time(since),
                                hours >= 24 ? fmt::format("{} days", hours / 24)
                                            : fmt::format("{} hours", hours),
                                format_duration(flag.expiry)),
                    on ? fmt::format("remove the code path behind it, then migsafe flag archive "
                                     "{} --reason TEXT",
                                     flag.key)
                       : fmt::format("remove the unused code path and archive it (migsafe flag "
                                     "archive {} --reason TEXT), or roll it out",
                                     flag.key));
            }
        }
    }

    void invalid_indexes()
    {
        for (const auto& row :
             catalog::invalid_indexes(session, {.skip_builds_in_progress = true})) {
            const auto index = qualified(row.index_schema, row.index_name);
            add("invalid-index", HealthSeverity::warning, index,
                fmt::format("index {} on {} is INVALID (left by a failed CREATE INDEX "
                            "CONCURRENTLY?): every write maintains it, no query uses it",
                            index, qualified(row.table_schema, row.table_name)),
                fmt::format("DROP INDEX CONCURRENTLY {}; then create it again CONCURRENTLY",
                            index));
        }
    }

    void unvalidated_constraints()
    {
        // The integrity engine's query: verify and health see the same constraints.
        for (const auto& row : catalog::list_unvalidated_constraints(session)) {
            const std::string table = qualified(row.table_schema, row.table_name);
            add("unvalidated-constraint", HealthSeverity::warning, table + "." + row.name,
                fmt::format("constraint {} on {} is NOT VALID: rows written before it was "
                            "added were never checked",
                            row.name, table),
                fmt::format("ALTER TABLE {} VALIDATE CONSTRAINT {}; (ShareUpdateExclusiveLock: "
                            "reads and writes go on)",
                            table, quote_ident(row.name)));
        }
    }

    void unfinished_migrations()
    {
        for (const auto& entry : read_history(session)) {
            if (entry.status == HistoryStatus::partial) {
                add("migration-unfinished", HealthSeverity::error,
                    fmt::format("migration {}", entry.version),
                    fmt::format("migration {} ({}) stopped after {} of {} statements: the "
                                "schema is between two versions",
                                entry.version, entry.name, entry.statements_applied,
                                entry.statements_total),
                    "run migsafe apply again to resume it (fix the failed statement first)");
            } else if (entry.status == HistoryStatus::failed) {
                add("migration-unfinished", HealthSeverity::warning,
                    fmt::format("migration {}", entry.version),
                    fmt::format("migration {} ({}) failed and was rolled back", entry.version,
                                entry.name),
                    "fix the migration and run migsafe apply again");
            }
        }
    }

    // Sessions waiting for a lock are lock-wait findings, idle ones idle-in-transaction.
    void long_transactions()
    {
        const auto error_after =
            std::chrono::duration_cast<std::chrono::seconds>(options.long_transaction * 12);
        for (const auto& row : catalog::sessions_older_than(
                 session, catalog::SessionState::in_transaction, options.long_transaction)) {
            add("long-transaction",
                row.age_seconds >= error_after.count() ? HealthSeverity::error
                                                       : HealthSeverity::warning,
                "pid " + row.session.pid,
                fmt::format("{} has had a transaction open for {} s: a migration's lock would "
                            "queue behind it, and every query behind the migration",
                            who(row), row.age_seconds),
                fmt::format("let it finish, or end it: SELECT pg_cancel_backend({});",
                            row.session.pid));
        }
    }

    void idle_in_transaction()
    {
        for (const auto& row :
             catalog::sessions_older_than(session, catalog::SessionState::idle_in_transaction,
                                          options.idle_in_transaction)) {
            add("idle-in-transaction", HealthSeverity::warning, "pid " + row.session.pid,
                fmt::format("{} has been idle in a transaction for {} s, holding its locks and "
                            "holding back vacuum",
                            who(row), row.age_seconds),
                fmt::format("fix the client (commit or roll back), or end it: SELECT "
                            "pg_terminate_backend({}); idle_in_transaction_session_timeout "
                            "does it automatically",
                            row.session.pid));
        }
    }

    void lock_waits()
    {
        for (const auto& row : catalog::sessions_older_than(
                 session, catalog::SessionState::waiting_for_lock, options.lock_wait)) {
            add("lock-wait", HealthSeverity::warning, "pid " + row.session.pid,
                fmt::format("{} has waited {} s for a lock, blocked by pid {}", who(row),
                            row.age_seconds, row.blocked_by),
                "find what the blocking sessions are doing (pg_stat_activity) before running "
                "DDL: a migration would queue behind them too");
        }
    }

    void prepared_transactions()
    {
        for (const auto& row :
             catalog::prepared_transactions_older_than(session, options.long_transaction)) {
            add("prepared-transaction", HealthSeverity::error, "transaction " + row.gid,
                fmt::format("prepared transaction '{}' (owner {}) has waited {} s for COMMIT "
                            "PREPARED: it keeps its locks and holds back vacuum until then",
                            row.gid, row.owner, row.age_seconds),
                fmt::format("COMMIT PREPARED {}; or ROLLBACK PREPARED {}; (ask its "
                            "transaction manager which)",
                            quote_literal(row.gid), quote_literal(row.gid)));
        }
    }

    void sequences()
    {
        for (const auto& row : catalog::sequence_usage(session)) {
            const auto last = static_cast<double>(row.last_value);
            const auto limit = static_cast<double>(row.limit);
            const auto start = static_cast<double>(row.start);
            const double span = limit - start;
            const double used = span == 0 ? 1.0 : (last - start) / span;
            if (used < options.sequence_warning) {
                continue;
            }
            const auto sequence = qualified(row.schema, row.name);
            const auto table = qualified(row.owner_schema, row.owner_table);
            const bool owned = !row.owner_table.empty();
            const std::string column =
                owned ? fmt::format(" for {}.{} ({})", table, row.owner_column, row.owner_type)
                      : "";
            const bool narrow_column = row.owner_type == "integer" || row.owner_type == "smallint";
            add("sequence-exhaustion",
                used >= options.sequence_error ? HealthSeverity::error : HealthSeverity::warning,
                sequence,
                fmt::format("sequence {} is at {} of {} ({:.0f}% used){}: inserts fail when it "
                            "runs out",
                            sequence, row.last_value, row.limit, std::floor(used * 100), column),
                narrow_column
                    ? fmt::format("move {}.{} to bigint (a rewrite under ACCESS EXCLUSIVE: plan "
                                  "it with migsafe plan; a new bigint column backfilled in "
                                  "batches avoids the long lock), then ALTER SEQUENCE {} AS "
                                  "bigint",
                                  table, row.owner_column, sequence)
                    : fmt::format("ALTER SEQUENCE {} AS bigint MAXVALUE 9223372036854775807;",
                                  sequence));
        }
    }

    void wraparound()
    {
        const auto ages = catalog::wraparound_ages(session);
        if (!ages) {
            return;
        }
        const std::pair<const char*, std::int64_t> pairs[] = {{"transaction ID", ages->xid_age},
                                                              {"multixact ID", ages->mxid_age}};
        for (const auto& [kind, age] : pairs) {
            const double used = static_cast<double>(age) / k_xid_limit;
            if (used < 0.5) {
                continue;
            }
            add("xid-wraparound", used >= 0.75 ? HealthSeverity::error : HealthSeverity::warning,
                report.database,
                fmt::format("the oldest unfrozen {} of this database is {} old ({:.0f}% of the "
                            "2^31 limit): PostgreSQL stops taking writes before it wraps",
                            kind, age, std::floor(used * 100)),
                "find what holds vacuum back (long transactions, prepared transactions, "
                "replication slots) and run VACUUM (FREEZE) on the oldest tables");
        }
    }

    void replication_slots()
    {
        if (catalog::in_recovery(session)) {
            return; // a standby's WAL position is not its own to judge
        }
        for (const auto& row : catalog::inactive_replication_slots(session)) {
            add("inactive-replication-slot", HealthSeverity::warning, "slot " + row.name,
                fmt::format("{} replication slot {} is inactive and keeps {} of WAL (and holds "
                            "back vacuum); the disk fills while nobody reads it",
                            row.type, row.name, row.retained),
                fmt::format("reconnect its consumer, or drop it: SELECT "
                            "pg_drop_replication_slot({});",
                            quote_literal(row.name)));
        }
    }
};

} // namespace

constexpr platform::EnumNames<HealthSeverity, 2> k_health_severity_names{
    {{{HealthSeverity::warning, "warning"}, {HealthSeverity::error, "error"}}}};
static_assert(k_health_severity_names.unique());

std::string_view to_string(HealthSeverity severity) noexcept
{
    return k_health_severity_names.name(severity);
}

int HealthReport::count(HealthSeverity severity) const noexcept
{
    int n = 0;
    for (const auto& finding : findings) {
        n += finding.severity == severity ? 1 : 0;
    }
    return n;
}

bool HealthReport::healthy() const noexcept
{
    return count(HealthSeverity::error) == 0;
}

namespace {

/// Thresholds past ten years are refused before connecting: the server computes now()
/// minus the threshold, which leaves the timestamp range ("timestamp out of range") for
/// values a person would not mean anyway.
void check_thresholds(const HealthOptions& options)
{
    constexpr std::chrono::milliseconds k_max = std::chrono::hours(24 * 3650);
    const std::pair<std::chrono::milliseconds, std::string_view> thresholds[] = {
        {options.long_transaction, "--long-transaction"},
        {options.idle_in_transaction, "idle_in_transaction"},
        {options.lock_wait, "--lock-wait"},
    };
    for (const auto& [value, option] : thresholds) {
        if (value > k_max || value.count() < 0) {
            throw Error("usage-invalid-option",
                        fmt::format("{} {} is out of range: at most {}", option,
                                    format_duration(value), format_duration(k_max)),
                        {.object = std::string(option)});
        }
    }
}

} // namespace

HealthReport health(const std::string& conninfo, const HealthOptions& options)
{
    check_thresholds(options);
    auto session = Session::connect(conninfo, {.application_name = "migsafe health"});
    catalog::bound_health_reads(session);
    HealthReport report;
    const auto facts = catalog::health_facts(session);
    report.database = facts.database;
    report.server_version = facts.server_version;
    report.checked_at = facts.checked_at;

    Checker checker{.session = session, .options = options, .report = report};
    const std::pair<std::string_view, void (Checker::*)()> checks[] = {
        {"migration-unfinished", &Checker::unfinished_migrations},
        {"invalid-index", &Checker::invalid_indexes},
        {"unvalidated-constraint", &Checker::unvalidated_constraints},
        {"long-transaction", &Checker::long_transactions},
        {"idle-in-transaction", &Checker::idle_in_transaction},
        {"lock-wait", &Checker::lock_waits},
        {"prepared-transaction", &Checker::prepared_transactions},
        {"sequence-exhaustion", &Checker::sequences},
        {"xid-wraparound", &Checker::wraparound},
        {"inactive-replication-slot", &Checker::replication_slots},
    };
    for (const auto& [id, run] : checks) {
        report.checks.emplace_back(id);
        (checker.*run)();
    }
    // Only a database with a flag store has flags to go stale (docs/flags.md).
    if (flags::store_exists(session)) {
        report.checks.emplace_back("stale-flag");
        checker.stale_flags();
    }
    return report;
}

} // namespace migsafe::workflow
