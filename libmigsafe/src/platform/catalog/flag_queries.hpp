#pragma once
// Every SQL text of the flag store (docs/flags.md, "Store"): its tables, triggers and
// functions in the `migsafe` schema, and the reads and writes of flags/store.cpp. Values
// travel as parameters; arrays as PostgreSQL array literals built by `array_literal`.

#include <migsafe/platform/session.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::platform::catalog {

/// Creates the store when missing; idempotent, serialised by an advisory lock.
void create_flag_store(Session& conn);
/// Whether `migsafe.flag` exists.
bool flag_store_exists(Session& conn);
/// The store's change counter (0 when the store is absent).
std::int64_t flag_store_generation(Session& conn);
/// `LISTEN migsafe_flags`: the store's triggers notify that channel on every change.
void listen_for_flag_changes(Session& conn);

/// One row of `migsafe.flag`, timestamps as epoch milliseconds.
struct FlagRow {
    std::string key, description, owner, kind, criteria, group;
    std::int64_t expiry_seconds = 0;
    std::int64_t version = 0;
    std::int64_t created_ms = 0;
    std::optional<std::int64_t> archived_ms;
};
/// One row of `migsafe.flag_environment`; lists as text arrays, constraints as JSON text.
struct FlagEnvironmentRow {
    std::string key, env;
    bool enabled = false;
    int rollout = 0;
    std::vector<std::string> on_list, off_list;
    std::string constraints_json;
    std::int64_t version = 0;
    std::optional<std::int64_t> changed_ms, steady_ms;
};
/// One row of `migsafe.flag_event`.
struct FlagEventRow {
    std::int64_t id = 0;
    std::int64_t at_ms = 0;
    std::string actor, key, env, action, before_json, after_json, reason;
};

/// Flags (archived ones when asked), sorted by key; `key` non-empty: only that flag.
std::vector<FlagRow> select_flags(Session& conn, bool include_archived, std::string_view key = {});
/// Their environments, sorted by key and env; `key` non-empty: only that flag's.
std::vector<FlagEnvironmentRow> select_flag_environments(Session& conn, std::string_view key = {});
/// Every key, archived ones too (for "did you mean").
std::vector<std::string> select_flag_keys(Session& conn);

/// Inside a transaction: the flag's row locked FOR UPDATE, or nullopt.
std::optional<FlagRow> lock_flag(Session& conn, std::string_view key);
/// Inside a transaction: the environment's row locked FOR UPDATE, or nullopt.
std::optional<FlagEnvironmentRow> lock_flag_environment(Session& conn, std::string_view key,
                                                        std::string_view env);

/// Inserts a new flag; returns false when the key exists (nothing written).
bool insert_flag(Session& conn, const FlagRow& row);
/// Writes an environment's state `row` with `row.version` (the caller bumped it) and
/// `changed_at` now. `reset_steady`: the state became fully on or fully off (`steady`,
/// then `steady_since` is now) or stopped being either (NULL); otherwise `steady_since`
/// keeps `row.steady_ms`.
void upsert_flag_environment(Session& conn, const FlagEnvironmentRow& row, bool reset_steady,
                             bool steady);
/// Marks the flag archived now and bumps its version.
void archive_flag_row(Session& conn, std::string_view key);
/// Appends an event; returns its id.
std::int64_t insert_flag_event(Session& conn, const FlagEventRow& event);

/// The events of one flag (every environment when `env` is empty), newest first.
std::vector<FlagEventRow> select_flag_events(Session& conn, std::string_view key,
                                             std::string_view env, int limit);
/// The newest events of every flag.
std::vector<FlagEventRow> select_recent_flag_events(Session& conn, int limit);

} // namespace migsafe::platform::catalog
