#include "platform/catalog/flag_queries.hpp"

#include <migsafe/platform/transaction.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace migsafe::platform::catalog {
namespace {

// The store. `flag_store` holds one row, the change counter: triggers bump it in the
// transaction of every change (a sequence would show a change before it commits), and
// notify the listeners, so a change made with plain SQL is seen too. The event table is
// append-only: UPDATE, DELETE and TRUNCATE raise.
constexpr std::string_view k_create_store = R"(
CREATE SCHEMA IF NOT EXISTS migsafe;
CREATE TABLE IF NOT EXISTS migsafe.flag_store (
    id         boolean PRIMARY KEY DEFAULT true CONSTRAINT flag_store_one_row CHECK (id),
    generation bigint NOT NULL DEFAULT 0
);
INSERT INTO migsafe.flag_store (id) VALUES (true) ON CONFLICT DO NOTHING;
CREATE TABLE IF NOT EXISTS migsafe.flag (
    key            text PRIMARY KEY
        CONSTRAINT flag_key_check CHECK (key ~ '^[a-z0-9][a-z0-9._-]{0,99}$'),
    description    text NOT NULL DEFAULT '',
    owner          text NOT NULL CONSTRAINT flag_owner_check CHECK (btrim(owner) <> ''),
    kind           text NOT NULL
        CONSTRAINT flag_kind_check CHECK (kind IN ('release', 'ops', 'cut-over')),
    criteria       text NOT NULL CONSTRAINT flag_criteria_check CHECK (btrim(criteria) <> ''),
    expiry_seconds bigint NOT NULL CONSTRAINT flag_expiry_check CHECK (expiry_seconds > 0),
    rollout_group  text NOT NULL DEFAULT '',
    version        bigint NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    archived_at    timestamptz
);
CREATE TABLE IF NOT EXISTS migsafe.flag_environment (
    flag_key     text NOT NULL REFERENCES migsafe.flag (key),
    env          text NOT NULL
        CONSTRAINT flag_environment_env_check CHECK (env ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$'),
    enabled      boolean NOT NULL DEFAULT false,
    rollout      integer NOT NULL DEFAULT 0
        CONSTRAINT flag_environment_rollout_check CHECK (rollout BETWEEN 0 AND 100),
    on_list      text[] NOT NULL DEFAULT '{}',
    off_list     text[] NOT NULL DEFAULT '{}',
    constraints  jsonb NOT NULL DEFAULT '[]',
    version      bigint NOT NULL DEFAULT 1,
    changed_at   timestamptz,
    steady_since timestamptz,
    PRIMARY KEY (flag_key, env)
);
CREATE TABLE IF NOT EXISTS migsafe.flag_event (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    actor    text NOT NULL CONSTRAINT flag_event_actor_check CHECK (btrim(actor) <> ''),
    flag_key text NOT NULL,
    env      text NOT NULL DEFAULT '',
    action   text NOT NULL,
    before   jsonb,
    after    jsonb NOT NULL,
    reason   text NOT NULL CONSTRAINT flag_event_reason_check CHECK (btrim(reason) <> '')
);
CREATE INDEX IF NOT EXISTS flag_event_flag_env ON migsafe.flag_event (flag_key, env, id);
CREATE OR REPLACE FUNCTION migsafe.flag_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE migsafe.flag_store SET generation = generation + 1;
    PERFORM pg_catalog.pg_notify('migsafe_flags', TG_TABLE_NAME);
    RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION migsafe.flag_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'migsafe.flag_event is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
DROP TRIGGER IF EXISTS flag_changed ON migsafe.flag;
CREATE TRIGGER flag_changed AFTER INSERT OR UPDATE OR DELETE ON migsafe.flag
    FOR EACH STATEMENT EXECUTE FUNCTION migsafe.flag_changed();
DROP TRIGGER IF EXISTS flag_changed ON migsafe.flag_environment;
CREATE TRIGGER flag_changed AFTER INSERT OR UPDATE OR DELETE ON migsafe.flag_environment
    FOR EACH STATEMENT EXECUTE FUNCTION migsafe.flag_changed();
DROP TRIGGER IF EXISTS flag_event_append_only ON migsafe.flag_event;
CREATE TRIGGER flag_event_append_only BEFORE UPDATE OR DELETE ON migsafe.flag_event
    FOR EACH ROW EXECUTE FUNCTION migsafe.flag_event_append_only();
DROP TRIGGER IF EXISTS flag_event_no_truncate ON migsafe.flag_event;
CREATE TRIGGER flag_event_no_truncate BEFORE TRUNCATE ON migsafe.flag_event
    FOR EACH STATEMENT EXECUTE FUNCTION migsafe.flag_event_append_only();
)";

/// Epoch milliseconds of a timestamptz expression, as text.
#define MIGSAFE_MS(column) "(extract(epoch FROM " column ") * 1000)::bigint"

constexpr std::string_view k_flag_columns =
    "key, description, owner, kind, criteria, rollout_group, expiry_seconds, version, " MIGSAFE_MS(
        "created_at") ", " MIGSAFE_MS("archived_at");
constexpr std::string_view k_environment_columns =
    "flag_key, env, enabled, rollout, pg_catalog.to_jsonb(on_list)::text, "
    "pg_catalog.to_jsonb(off_list)::text, constraints::text, version, " MIGSAFE_MS(
        "changed_at") ", " MIGSAFE_MS("steady_since");
constexpr std::string_view k_event_columns =
    "id, " MIGSAFE_MS("at") ", actor, flag_key, env, action, coalesce(before::text, ''), "
                            "after::text, reason";

#undef MIGSAFE_MS

std::string text(const Value& value)
{
    return value.value_or("");
}

std::int64_t number(const Value& value)
{
    return value && !value->empty() ? std::stoll(*value) : 0;
}

std::optional<std::int64_t> optional_number(const Value& value)
{
    if (!value || value->empty()) {
        return std::nullopt;
    }
    return std::stoll(*value);
}

std::vector<std::string> strings(const Value& json_text)
{
    std::vector<std::string> out;
    if (json_text) {
        for (const auto& item : nlohmann::json::parse(*json_text)) {
            out.push_back(item.get<std::string>());
        }
    }
    return out;
}

std::string json_array(const std::vector<std::string>& values)
{
    return nlohmann::json(values).dump();
}

FlagRow flag_row(const std::vector<Value>& row)
{
    return FlagRow{text(row[0]),   text(row[1]),           text(row[2]),   text(row[3]),
                   text(row[4]),   text(row[5]),           number(row[6]), number(row[7]),
                   number(row[8]), optional_number(row[9])};
}

FlagEnvironmentRow environment_row(const std::vector<Value>& row)
{
    FlagEnvironmentRow out;
    out.key = text(row[0]);
    out.env = text(row[1]);
    out.enabled = text(row[2]) == "t";
    out.rollout = static_cast<int>(number(row[3]));
    out.on_list = strings(row[4]);
    out.off_list = strings(row[5]);
    out.constraints_json = text(row[6]);
    out.version = number(row[7]);
    out.changed_ms = optional_number(row[8]);
    out.steady_ms = optional_number(row[9]);
    return out;
}

FlagEventRow event_row(const std::vector<Value>& row)
{
    return FlagEventRow{number(row[0]), number(row[1]), text(row[2]), text(row[3]), text(row[4]),
                        text(row[5]),   text(row[6]),   text(row[7]), text(row[8])};
}

template <typename Row, typename Convert>
std::vector<Row> rows_of(const QueryResult& result, Convert convert)
{
    std::vector<Row> out;
    out.reserve(result.rows.size());
    for (const auto& row : result.rows) {
        out.push_back(convert(row));
    }
    return out;
}

Value optional_text(std::string_view value)
{
    return value.empty() ? Value{} : Value{std::string(value)};
}

} // namespace

void create_flag_store(Session& conn)
{
    Transaction transaction(conn);
    conn.exec("SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('migsafe.flag_store'))");
    // Another session may have created it while this one waited for the lock: its DDL
    // again would wait for that session's changes to the tables, which could wait for this
    // one (a deadlock seen with two `flag create` on a new database).
    if (flag_store_exists(conn)) {
        transaction.commit();
        return;
    }
    conn.exec(k_create_store);
    transaction.commit();
}

bool flag_store_exists(Session& conn)
{
    // A scan of pg_class with this statement's snapshot, not to_regclass: its cached
    // catalog lookup can miss tables another session committed while this one waited for
    // an advisory lock (no relation lock was taken to refresh the cache).
    return conn.query_value("SELECT count(*) FROM pg_catalog.pg_class c JOIN "
                            "pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE "
                            "n.nspname = 'migsafe' AND c.relname IN ('flag', 'flag_store')") == "2";
}

std::int64_t flag_store_generation(Session& conn)
{
    if (conn.query_value("SELECT pg_catalog.to_regclass('migsafe.flag_store') IS NOT NULL") !=
        "t") {
        return 0;
    }
    return number(conn.query_value("SELECT generation FROM migsafe.flag_store"));
}

std::vector<FlagRow> select_flags(Session& conn, bool include_archived, std::string_view key)
{
    const std::string sql = "SELECT " + std::string(k_flag_columns) +
                            " FROM migsafe.flag WHERE ($1::boolean OR archived_at IS NULL) "
                            "AND ($2::text IS NULL OR key = $2) ORDER BY key";
    return rows_of<FlagRow>(
        conn.query(sql, {include_archived ? "true" : "false", optional_text(key)}), flag_row);
}

std::vector<FlagEnvironmentRow> select_flag_environments(Session& conn, std::string_view key)
{
    const std::string sql = "SELECT " + std::string(k_environment_columns) +
                            " FROM migsafe.flag_environment WHERE ($1::text IS NULL OR flag_key = "
                            "$1) ORDER BY flag_key, env";
    return rows_of<FlagEnvironmentRow>(conn.query(sql, {optional_text(key)}), environment_row);
}

std::vector<std::string> select_flag_keys(Session& conn)
{
    std::vector<std::string> keys;
    for (const auto& row : conn.query("SELECT key FROM migsafe.flag ORDER BY key").rows) {
        keys.push_back(text(row[0]));
    }
    return keys;
}

std::optional<FlagRow> lock_flag(Session& conn, std::string_view key)
{
    const std::string sql =
        "SELECT " + std::string(k_flag_columns) + " FROM migsafe.flag WHERE key = $1 FOR UPDATE";
    const auto result = conn.query(sql, {std::string(key)});
    if (result.rows.empty()) {
        return std::nullopt;
    }
    return flag_row(result.rows.front());
}

std::optional<FlagEnvironmentRow> lock_flag_environment(Session& conn, std::string_view key,
                                                        std::string_view env)
{
    const std::string sql = "SELECT " + std::string(k_environment_columns) +
                            " FROM migsafe.flag_environment WHERE flag_key = $1 AND env = $2 "
                            "FOR UPDATE";
    const auto result = conn.query(sql, {std::string(key), std::string(env)});
    if (result.rows.empty()) {
        return std::nullopt;
    }
    return environment_row(result.rows.front());
}

bool insert_flag(Session& conn, const FlagRow& row)
{
    return conn.exec_params("INSERT INTO migsafe.flag (key, description, owner, kind, criteria, "
                            "rollout_group, expiry_seconds) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                            "ON CONFLICT (key) DO NOTHING",
                            {row.key, row.description, row.owner, row.kind, row.criteria, row.group,
                             std::to_string(row.expiry_seconds)}) == 1;
}

void upsert_flag_environment(Session& conn, const FlagEnvironmentRow& row, bool reset_steady,
                             bool steady)
{
    conn.exec_params(
        "INSERT INTO migsafe.flag_environment AS e (flag_key, env, enabled, rollout, on_list, "
        "off_list, constraints, version, changed_at, steady_since) VALUES ($1, $2, $3, $4, "
        "ARRAY(SELECT pg_catalog.jsonb_array_elements_text($5::jsonb)), "
        "ARRAY(SELECT pg_catalog.jsonb_array_elements_text($6::jsonb)), $7::jsonb, $8, "
        "pg_catalog.clock_timestamp(), "
        "CASE WHEN $9::boolean THEN CASE WHEN $10::boolean THEN pg_catalog.clock_timestamp() END "
        "ELSE pg_catalog.to_timestamp($11::bigint / 1000.0) END) "
        "ON CONFLICT (flag_key, env) DO UPDATE SET (enabled, rollout, on_list, off_list, "
        "constraints, version, changed_at, steady_since) = (EXCLUDED.enabled, EXCLUDED.rollout, "
        "EXCLUDED.on_list, EXCLUDED.off_list, EXCLUDED.constraints, EXCLUDED.version, "
        "EXCLUDED.changed_at, EXCLUDED.steady_since)",
        {row.key, row.env, row.enabled ? "true" : "false", std::to_string(row.rollout),
         json_array(row.on_list), json_array(row.off_list), row.constraints_json,
         std::to_string(row.version), reset_steady ? "true" : "false", steady ? "true" : "false",
         row.steady_ms ? Value{std::to_string(*row.steady_ms)} : Value{}});
}

void archive_flag_row(Session& conn, std::string_view key)
{
    conn.exec_params("UPDATE migsafe.flag SET archived_at = pg_catalog.clock_timestamp(), "
                     "version = version + 1 WHERE key = $1",
                     {std::string(key)});
}

std::int64_t insert_flag_event(Session& conn, const FlagEventRow& event)
{
    return number(conn.query_value(
        "INSERT INTO migsafe.flag_event (actor, flag_key, env, action, before, after, reason) "
        "VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7) RETURNING id",
        {event.actor, event.key, event.env, event.action, optional_text(event.before_json),
         event.after_json, event.reason}));
}

std::vector<FlagEventRow> select_flag_events(Session& conn, std::string_view key,
                                             std::string_view env, int limit)
{
    const std::string sql = "SELECT " + std::string(k_event_columns) +
                            " FROM migsafe.flag_event WHERE flag_key = $1 AND ($2::text IS NULL "
                            "OR env = $2) ORDER BY id DESC LIMIT $3";
    return rows_of<FlagEventRow>(
        conn.query(sql, {std::string(key), optional_text(env), std::to_string(limit)}), event_row);
}

std::vector<FlagEventRow> select_recent_flag_events(Session& conn, int limit)
{
    const std::string sql = "SELECT " + std::string(k_event_columns) +
                            " FROM migsafe.flag_event ORDER BY id DESC LIMIT $1";
    return rows_of<FlagEventRow>(conn.query(sql, {std::to_string(limit)}), event_row);
}

void listen_for_flag_changes(Session& conn)
{
    conn.exec("LISTEN migsafe_flags");
}

} // namespace migsafe::platform::catalog
