#include "platform/catalog/health_queries.hpp"

#include "platform/catalog/integrity_queries.hpp"
#include "platform/catalog/timeouts.hpp"
#include "platform/catalog/user_schemas.hpp"

#include <fmt/format.h>

#include <string_view>

namespace migsafe::platform::catalog {
namespace {

/// Sessions of this database only, the checking one left out.
constexpr std::string_view k_this_database =
    "a.datname = pg_catalog.current_database() AND a.pid <> pg_catalog.pg_backend_pid() "
    "AND a.backend_type = 'client backend'";

std::string text(const Value& value)
{
    return value.value_or("");
}

std::int64_t number(const Value& value)
{
    return value && !value->empty() ? std::stoll(*value) : 0;
}

/// A threshold as the seconds parameter of make_interval.
std::string seconds(std::chrono::milliseconds duration)
{
    return fmt::format("{:.3f}", static_cast<double>(duration.count()) / 1000.0);
}

} // namespace

void bound_health_reads(Session& conn)
{
    set_timeouts(conn, SettingScope::session, std::chrono::seconds(5), std::chrono::seconds(30));
}

HealthFacts health_facts(Session& conn)
{
    auto facts = server_facts(conn);
    // `2026-12-07T05:00:00.123Z` to whole seconds: to_char truncates both ways.
    auto checked_at = facts.now_utc;
    if (const auto dot = checked_at.find('.'); dot != std::string::npos) {
        checked_at = checked_at.substr(0, dot) + "Z";
    }
    return {
        .database = facts.database, .server_version = facts.version_text, .checked_at = checked_at};
}

std::vector<SessionRow> sessions_older_than(Session& conn, SessionState state,
                                            std::chrono::milliseconds threshold)
{
    std::string_view since = "state_change";
    std::string_view condition;
    std::string_view extra = "''";
    switch (state) {
    case SessionState::in_transaction:
        since = "xact_start";
        condition = "a.state NOT LIKE 'idle in transaction%' AND "
                    "a.wait_event_type IS DISTINCT FROM 'Lock'";
        break;
    case SessionState::idle_in_transaction:
        condition = "a.state LIKE 'idle in transaction%'";
        break;
    case SessionState::waiting_for_lock:
        condition = "a.wait_event_type = 'Lock'";
        extra = "pg_catalog.array_to_string(pg_catalog.pg_blocking_pids(a.pid), ', ')";
        break;
    }
    const auto rows = conn.query(
        fmt::format("SELECT {0}, extract(epoch FROM pg_catalog.now() - a.{1})::bigint, "
                    "{2} FROM pg_catalog.pg_stat_activity a WHERE {3} AND {4} AND "
                    "a.{1} < pg_catalog.now() - make_interval(secs => $1::float8) "
                    "ORDER BY a.{1}",
                    k_session_description_columns, since, extra, k_this_database, condition),
        {seconds(threshold)});
    std::vector<SessionRow> out;
    for (const auto& row : rows.rows) {
        const auto at = k_session_description_width;
        out.push_back({.session = session_description(row),
                       .age_seconds = number(row[at]),
                       .blocked_by = text(row[at + 1])});
    }
    return out;
}

std::vector<PreparedTransaction>
prepared_transactions_older_than(Session& conn, std::chrono::milliseconds threshold)
{
    const auto rows = conn.query(
        "SELECT gid, owner, extract(epoch FROM pg_catalog.now() - prepared)::bigint "
        "FROM pg_catalog.pg_prepared_xacts WHERE database = pg_catalog.current_database() "
        "AND prepared < pg_catalog.now() - make_interval(secs => $1::float8) ORDER BY "
        "prepared",
        {seconds(threshold)});
    std::vector<PreparedTransaction> out;
    for (const auto& row : rows.rows) {
        out.push_back({.gid = text(row[0]), .owner = text(row[1]), .age_seconds = number(row[2])});
    }
    return out;
}

std::vector<SequenceUsage> sequence_usage(Session& conn)
{
    const auto rows = conn.query(fmt::format(
        "SELECT s.schemaname, s.sequencename, s.last_value::text, "
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
        k_user_schemas_predicate));
    std::vector<SequenceUsage> out;
    for (const auto& row : rows.rows) {
        out.push_back({.schema = text(row[0]),
                       .name = text(row[1]),
                       .last_value = number(row[2]),
                       .limit = number(row[3]),
                       .start = number(row[4]),
                       .owner_schema = text(row[5]),
                       .owner_table = text(row[6]),
                       .owner_column = text(row[7]),
                       .owner_type = text(row[8])});
    }
    return out;
}

std::optional<WraparoundAges> wraparound_ages(Session& conn)
{
    const auto rows = conn.query(
        "SELECT pg_catalog.age(datfrozenxid)::text, pg_catalog.mxid_age(datminmxid)::text "
        "FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database()");
    if (rows.rows.empty()) {
        return std::nullopt;
    }
    return WraparoundAges{.xid_age = number(rows.rows[0][0]), .mxid_age = number(rows.rows[0][1])};
}

bool in_recovery(Session& conn)
{
    return conn.query_value("SELECT pg_catalog.pg_is_in_recovery()::text") == "true";
}

std::vector<InactiveSlot> inactive_replication_slots(Session& conn)
{
    const auto rows = conn.query(
        "SELECT slot_name, slot_type, pg_catalog.pg_size_pretty(pg_catalog.pg_wal_lsn_diff("
        "pg_catalog.pg_current_wal_lsn(), restart_lsn)) FROM pg_catalog.pg_replication_slots "
        "WHERE NOT active AND restart_lsn IS NOT NULL AND (database IS NULL OR database = "
        "pg_catalog.current_database()) ORDER BY slot_name");
    std::vector<InactiveSlot> out;
    for (const auto& row : rows.rows) {
        out.push_back({.name = text(row[0]), .type = text(row[1]), .retained = text(row[2])});
    }
    return out;
}

} // namespace migsafe::platform::catalog
