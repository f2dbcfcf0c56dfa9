// The health checks: one query each, on the current database, read-only. Sessions are
// named by pid, user, application and client, never by their query text (it may carry
// secrets).
#include "platform/catalog/integrity_queries.hpp"

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

using platform::quote_ident;
using platform::quote_literal;
using platform::Session;
using Row = std::vector<platform::Value>;

constexpr std::string_view k_user_schema =
    "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)'";
/// Sessions of this database only, the checking one left out.
constexpr std::string_view k_this_database =
    "a.datname = pg_catalog.current_database() AND a.pid <> pg_catalog.pg_backend_pid() "
    "AND a.backend_type = 'client backend'";
/// Transaction IDs wrap around at 2^31; PostgreSQL stops taking writes shortly before.
constexpr double k_xid_limit = 2147483648.0;

std::string text(const platform::Value& value)
{
    return value.value_or("");
}

std::int64_t number(const platform::Value& value)
{
    return value && !value->empty() ? std::stoll(*value) : 0;
}

/// For SQL and for people alike: `public.orders`, `"x.y".z` (quoted where needed, so two
/// tables never read the same).
std::string qualified(const std::string& schema, const std::string& name)
{
    return platform::qualified_name(schema, name);
}

std::string named(const platform::Value& schema, const platform::Value& name)
{
    return qualified(text(schema), text(name));
}

/// `pid 4242 (user app, application 'web', from 10.0.0.7)`.
std::string who(const Row& row)
{
    return fmt::format("pid {} (user {}, application '{}', from {})", text(row[0]), text(row[1]),
                       text(row[2]), text(row[3]));
}

constexpr std::string_view k_who_columns =
    "a.pid::text, coalesce(a.usename, ''), coalesce(a.application_name, ''), "
    "coalesce(host(a.client_addr), 'local socket')";

std::string seconds(std::chrono::milliseconds duration)
{
    return fmt::format("{:.3f}", static_cast<double>(duration.count()) / 1000.0);
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

    void invalid_indexes()
    {
        // An index being built CONCURRENTLY right now is INVALID too: not a leftover.
        const bool progress_view = session.server_version() >= 120000;
        const auto rows = session.query(fmt::format(
            "SELECT n.nspname, c.relname, tn.nspname, t.relname "
            "FROM pg_catalog.pg_index i "
            "JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_catalog.pg_class t ON t.oid = i.indrelid "
            "JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace "
            "WHERE NOT i.indisvalid AND {} {} ORDER BY 1, 2",
            k_user_schema,
            progress_view
                ? "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_progress_create_index "
                  "p WHERE p.index_relid = i.indexrelid)"
                : ""));
        for (const auto& row : rows.rows) {
            add("invalid-index", HealthSeverity::warning, named(row[0], row[1]),
                fmt::format("index {} on {} is INVALID (left by a failed CREATE INDEX "
                            "CONCURRENTLY?): every write maintains it, no query uses it",
                            named(row[0], row[1]), named(row[2], row[3])),
                fmt::format("DROP INDEX CONCURRENTLY {}; then create it again CONCURRENTLY",
                            qualified(text(row[0]), text(row[1]))));
        }
    }

    void unvalidated_constraints()
    {
        // The integrity engine's query: verify and health see the same constraints.
        for (const auto& row : platform::catalog::list_unvalidated_constraints(session)) {
            const std::string table = qualified(row.table_schema, row.table_name);
            add("unvalidated-constraint", HealthSeverity::warning, table + "." + row.name,
                fmt::format("constraint {} on {} is NOT VALID: rows written before it was "
                            "added were never checked",
                            row.name, table),
                fmt::format("ALTER TABLE {} VALIDATE CONSTRAINT {}; (ShareUpdateExclusiveLock: "
                            "reads and writes go on)",
                            qualified(row.table_schema, row.table_name), quote_ident(row.name)));
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

    /// The sessions of this database matching `condition` whose `since` column (a
    /// pg_stat_activity timestamp) is older than `threshold`, oldest first: the four `who`
    /// columns, the age in whole seconds, then `extra`.
    std::vector<Row> sessions(std::string_view since, std::string_view condition,
                              std::chrono::milliseconds threshold, std::string_view extra = "''")
    {
        return session
            .query(fmt::format("SELECT {0}, extract(epoch FROM pg_catalog.now() - a.{1})::bigint, "
                               "{2} FROM pg_catalog.pg_stat_activity a WHERE {3} AND {4} AND "
                               "a.{1} < pg_catalog.now() - make_interval(secs => $1::float8) "
                               "ORDER BY a.{1}",
                               k_who_columns, since, extra, k_this_database, condition),
                   {seconds(threshold)})
            .rows;
    }

    // Sessions waiting for a lock are lock-wait findings, idle ones idle-in-transaction.
    void long_transactions()
    {
        const auto rows = sessions("xact_start",
                                   "a.state NOT LIKE 'idle in transaction%' AND "
                                   "a.wait_event_type IS DISTINCT FROM 'Lock'",
                                   options.long_transaction);
        const auto error_after =
            std::chrono::duration_cast<std::chrono::seconds>(options.long_transaction * 12);
        for (const auto& row : rows) {
            const auto age = number(row[4]);
            add("long-transaction",
                age >= error_after.count() ? HealthSeverity::error : HealthSeverity::warning,
                "pid " + text(row[0]),
                fmt::format("{} has had a transaction open for {} s: a migration's lock would "
                            "queue behind it, and every query behind the migration",
                            who(row), age),
                fmt::format("let it finish, or end it: SELECT pg_cancel_backend({});",
                            text(row[0])));
        }
    }

    void idle_in_transaction()
    {
        const auto rows = sessions("state_change", "a.state LIKE 'idle in transaction%'",
                                   options.idle_in_transaction);
        for (const auto& row : rows) {
            add("idle-in-transaction", HealthSeverity::warning, "pid " + text(row[0]),
                fmt::format("{} has been idle in a transaction for {} s, holding its locks and "
                            "holding back vacuum",
                            who(row), number(row[4])),
                fmt::format("fix the client (commit or roll back), or end it: SELECT "
                            "pg_terminate_backend({}); idle_in_transaction_session_timeout "
                            "does it automatically",
                            text(row[0])));
        }
    }

    void lock_waits()
    {
        const auto rows =
            sessions("state_change", "a.wait_event_type = 'Lock'", options.lock_wait,
                     "pg_catalog.array_to_string(pg_catalog.pg_blocking_pids(a.pid), ', ')");
        for (const auto& row : rows) {
            add("lock-wait", HealthSeverity::warning, "pid " + text(row[0]),
                fmt::format("{} has waited {} s for a lock, blocked by pid {}", who(row),
                            number(row[4]), text(row[5])),
                "find what the blocking sessions are doing (pg_stat_activity) before running "
                "DDL: a migration would queue behind them too");
        }
    }

    void prepared_transactions()
    {
        const auto rows = session.query(
            "SELECT gid, owner, extract(epoch FROM pg_catalog.now() - prepared)::bigint "
            "FROM pg_catalog.pg_prepared_xacts WHERE database = pg_catalog.current_database() "
            "AND prepared < pg_catalog.now() - make_interval(secs => $1::float8) ORDER BY "
            "prepared",
            {seconds(options.long_transaction)});
        for (const auto& row : rows.rows) {
            add("prepared-transaction", HealthSeverity::error, "transaction " + text(row[0]),
                fmt::format("prepared transaction '{}' (owner {}) has waited {} s for COMMIT "
                            "PREPARED: it keeps its locks and holds back vacuum until then",
                            text(row[0]), text(row[1]), number(row[2])),
                fmt::format("COMMIT PREPARED {}; or ROLLBACK PREPARED {}; (ask its "
                            "transaction manager which)",
                            quote_literal(text(row[0])), quote_literal(text(row[0]))));
        }
    }

    void sequences()
    {
        // The limit is the sequence's own maximum or its column's type, whichever is lower
        // (a bigint sequence behind an integer column fails at 2^31 - 1).
        const auto rows = session.query(fmt::format(
            "SELECT s.schemaname, s.sequencename, s.last_value::text, s.increment_by::text, "
            "  CASE WHEN s.increment_by > 0 THEN least(s.max_value, CASE a.atttypid "
            "    WHEN 'int2'::regtype THEN 32767 WHEN 'int4'::regtype THEN 2147483647 "
            "    ELSE s.max_value END) ELSE greatest(s.min_value, CASE a.atttypid "
            "    WHEN 'int2'::regtype THEN -32768 WHEN 'int4'::regtype THEN -2147483648 "
            "    ELSE s.min_value END) END::text, "
            "  s.start_value::text, coalesce(tn.nspname, ''), coalesce(t.relname, ''), "
            "  coalesce(a.attname, ''), coalesce(pg_catalog.format_type(a.atttypid, NULL), '') "
            "FROM pg_catalog.pg_sequences s "
            "JOIN pg_catalog.pg_namespace n ON n.nspname = s.schemaname "
            "JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = s.sequencename "
            "LEFT JOIN pg_catalog.pg_depend d ON d.classid = 'pg_class'::regclass "
            "  AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass "
            "  AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i') "
            "LEFT JOIN pg_catalog.pg_class t ON t.oid = d.refobjid "
            "LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace "
            "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid "
            "  AND a.attnum = d.refobjsubid "
            "WHERE s.last_value IS NOT NULL AND {} ORDER BY 1, 2",
            k_user_schema));
        for (const auto& row : rows.rows) {
            const auto last = static_cast<double>(number(row[2]));
            const auto limit = static_cast<double>(number(row[4]));
            const auto start = static_cast<double>(number(row[5]));
            const double span = limit - start;
            const double used = span == 0 ? 1.0 : (last - start) / span;
            if (used < options.sequence_warning) {
                continue;
            }
            const auto sequence = qualified(text(row[0]), text(row[1]));
            const bool owned = !text(row[7]).empty();
            const std::string column = owned ? fmt::format(" for {}.{} ({})", named(row[6], row[7]),
                                                           text(row[8]), text(row[9]))
                                             : "";
            const bool narrow_column = text(row[9]) == "integer" || text(row[9]) == "smallint";
            add("sequence-exhaustion",
                used >= options.sequence_error ? HealthSeverity::error : HealthSeverity::warning,
                named(row[0], row[1]),
                fmt::format("sequence {} is at {} of {} ({:.0f}% used){}: inserts fail when it "
                            "runs out",
                            named(row[0], row[1]), text(row[2]), text(row[4]),
                            std::floor(used * 100), column),
                narrow_column
                    ? fmt::format("move {}.{} to bigint (a rewrite under ACCESS EXCLUSIVE: plan "
                                  "it with migsafe plan; a new bigint column backfilled in "
                                  "batches avoids the long lock), then ALTER SEQUENCE {} AS "
                                  "bigint",
                                  named(row[6], row[7]), text(row[8]), sequence)
                    : fmt::format("ALTER SEQUENCE {} AS bigint MAXVALUE 9223372036854775807;",
                                  sequence));
        }
    }

    void wraparound()
    {
        const auto rows = session.query(
            "SELECT pg_catalog.age(datfrozenxid)::text, pg_catalog.mxid_age(datminmxid)::text "
            "FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database()");
        if (rows.rows.empty()) {
            return;
        }
        const std::pair<const char*, std::int64_t> ages[] = {
            {"transaction ID", number(rows.rows[0][0])}, {"multixact ID", number(rows.rows[0][1])}};
        for (const auto& [kind, age] : ages) {
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
        if (session.query_value("SELECT pg_catalog.pg_is_in_recovery()::text") == "true") {
            return; // a standby's WAL position is not its own to judge
        }
        const auto rows = session.query(
            "SELECT slot_name, slot_type, pg_catalog.pg_size_pretty(pg_catalog.pg_wal_lsn_diff("
            "pg_catalog.pg_current_wal_lsn(), restart_lsn)) FROM pg_catalog.pg_replication_slots "
            "WHERE NOT active AND restart_lsn IS NOT NULL AND (database IS NULL OR database = "
            "pg_catalog.current_database()) ORDER BY slot_name");
        for (const auto& row : rows.rows) {
            add("inactive-replication-slot", HealthSeverity::warning, "slot " + text(row[0]),
                fmt::format("{} replication slot {} is inactive and keeps {} of WAL (and holds "
                            "back vacuum); the disk fills while nobody reads it",
                            text(row[1]), text(row[0]), text(row[2])),
                fmt::format("reconnect its consumer, or drop it: SELECT "
                            "pg_drop_replication_slot({});",
                            quote_literal(text(row[0]))));
        }
    }
};

} // namespace

std::string_view to_string(HealthSeverity severity) noexcept
{
    return severity == HealthSeverity::error ? "error" : "warning";
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
    // Catalog reads only; a server that is stuck must not keep the check waiting.
    session.exec("SET statement_timeout = '30s'; SET lock_timeout = '5s'");
    HealthReport report;
    const auto facts = session.query(
        "SELECT pg_catalog.current_database(), pg_catalog.current_setting('server_version'), "
        "to_char(pg_catalog.now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')");
    report.database = text(facts.rows.at(0)[0]);
    report.server_version = text(facts.rows.at(0)[1]);
    report.checked_at = text(facts.rows.at(0)[2]);

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
    return report;
}

} // namespace migsafe::workflow
