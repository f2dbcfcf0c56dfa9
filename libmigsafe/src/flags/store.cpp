// The flag store (docs/flags.md, "Store"): each change is one transaction that locks the
// row, checks the version the writer read, writes the new state and appends its event;
// the store's triggers bump the change counter and notify listeners before it commits.
#include "model/did_you_mean.hpp"
#include "platform/catalog/flag_queries.hpp"

#include <migsafe/flags/json.hpp>
#include <migsafe/flags/store.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/transaction.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <functional>

namespace migsafe::flags {
namespace {

namespace catalog = platform::catalog;

std::optional<TimePoint> time_of(const std::optional<std::int64_t>& millis)
{
    if (!millis) {
        return std::nullopt;
    }
    return TimePoint(std::chrono::milliseconds(*millis));
}

EnvironmentState state_of(const catalog::FlagEnvironmentRow& row)
{
    return EnvironmentState{row.env,
                            row.enabled,
                            row.rollout,
                            row.on_list,
                            row.off_list,
                            constraints_from_json(row.constraints_json),
                            row.version,
                            time_of(row.changed_ms),
                            time_of(row.steady_ms)};
}

catalog::FlagEnvironmentRow row_of(std::string_view key, const EnvironmentState& state)
{
    catalog::FlagEnvironmentRow row;
    row.key = std::string(key);
    row.env = state.env;
    row.enabled = state.enabled;
    row.rollout = state.rollout;
    row.on_list = state.on_list;
    row.off_list = state.off_list;
    row.constraints_json = to_json(state.constraints);
    row.version = state.version;
    return row;
}

Flag flag_of(const catalog::FlagRow& row)
{
    Flag flag;
    flag.key = row.key;
    flag.description = row.description;
    flag.owner = row.owner;
    flag.kind = parse_kind(row.kind).value_or(Kind::release);
    flag.criteria = row.criteria;
    flag.expiry = std::chrono::seconds(row.expiry_seconds);
    flag.group = row.group;
    flag.version = row.version;
    flag.created_at = time_of(row.created_ms);
    flag.archived_at = time_of(row.archived_ms);
    return flag;
}

/// The flag's JSON without its environments, as a flag-level event stores it.
std::string flag_fields_json(const Flag& flag)
{
    Flag fields = flag;
    fields.environments.clear();
    return to_json(fields);
}

Event event_of(const catalog::FlagEventRow& row)
{
    return Event{row.id,          TimePoint(std::chrono::milliseconds(row.at_ms)),
                 row.actor,       row.key,
                 row.env,         row.action,
                 row.before_json, row.after_json,
                 row.reason};
}

std::string trimmed(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
        return {};
    }
    return std::string(text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1));
}

void require_change(const Change& change, std::string_view key)
{
    if (trimmed(change.reason).empty()) {
        throw Error("flag-reason-required",
                    "a change to flag `" + std::string(key) + "` needs a reason",
                    ErrorContext{.object = "--reason"});
    }
    if (trimmed(change.actor).empty()) {
        throw Error("flag-invalid",
                    "a change to flag `" + std::string(key) + "` needs an actor (who makes it)",
                    ErrorContext{.object = "--actor"},
                    "pass --actor NAME or set MIGSAFE_ACTOR; the CLI defaults to your user name");
    }
}

void require_env(std::string_view env)
{
    const bool valid = !env.empty() && env.size() <= 63 &&
                       std::all_of(env.begin(), env.end(),
                                   [](char c) {
                                       return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
                                              c == '.' || c == '_' || c == '-';
                                   }) &&
                       std::isalnum(static_cast<unsigned char>(env.front())) != 0;
    if (!valid) {
        throw Error("flag-invalid", "environment `" + std::string(env) + "` is not a valid name",
                    ErrorContext{.object = "--env"},
                    "name environments with letters, digits, `.`, `_` and `-` (e.g. production)");
    }
}

Error unknown_flag(platform::Session& session, std::string_view key)
{
    const std::vector<std::string> keys = catalog::select_flag_keys(session);
    std::vector<std::string_view> candidates(keys.begin(), keys.end());
    const std::string suggestion = model::detail::did_you_mean(key, candidates);
    return Error("flag-unknown", "no flag has the key `" + std::string(key) + "`",
                 ErrorContext{.object = std::string(key)},
                 suggestion + "list the flags with `migsafe flag list`, or create it with "
                              "`migsafe flag create`");
}

enum class Steadiness { on, off, partial };

Steadiness steadiness(const EnvironmentState& state)
{
    if (state.fully_on()) {
        return Steadiness::on;
    }
    return state.fully_off() ? Steadiness::off : Steadiness::partial;
}

Error conflict(platform::Session& session, std::string_view key, std::string_view env,
               std::int64_t expected, std::int64_t stored)
{
    std::string who;
    const auto events = catalog::select_flag_events(session, key, env, 1);
    if (!events.empty()) {
        const Event last = event_of(events.front());
        who = fmt::format("; the last change was `{}` by {} at {} ({})", last.action, last.actor,
                          format_time(last.at), last.reason);
    }
    return Error("flag-conflict",
                 fmt::format("flag `{}`{} is at version {}, not {} as read{}; nothing was written",
                             key, env.empty() ? "" : " in " + std::string(env), stored, expected,
                             who),
                 ErrorContext{.object = std::string(key)});
}

/// Runs one environment change: locks, checks, edits with `edit`, writes, appends the
/// event. Returns the flag as committed.
Flag change_environment(platform::Session& session, std::string_view key, std::string_view env,
                        std::string_view action, const Change& change,
                        const std::function<void(EnvironmentState&)>& edit)
{
    require_change(change, key);
    require_env(env);
    ensure_store(session);
    {
        platform::Transaction transaction(session);
        const auto flag_row = catalog::lock_flag(session, key);
        if (!flag_row) {
            throw unknown_flag(session, key);
        }
        if (flag_row->archived_ms) {
            throw Error("flag-archived", "flag `" + std::string(key) + "` is archived",
                        ErrorContext{.object = std::string(key)});
        }
        const auto stored = catalog::lock_flag_environment(session, key, env);
        EnvironmentState before;
        before.env = std::string(env);
        std::optional<std::int64_t> keep_steady = flag_row->created_ms; // off since created
        if (stored) {
            before = state_of(*stored);
            keep_steady = stored->steady_ms;
        }
        if (change.expected_version && *change.expected_version != before.version) {
            throw conflict(session, key, env, *change.expected_version, before.version);
        }
        EnvironmentState after = before;
        edit(after);
        after.version = before.version + 1;
        const Steadiness was = steadiness(before);
        const Steadiness now = steadiness(after);
        catalog::FlagEnvironmentRow row = row_of(key, after);
        row.steady_ms = keep_steady;
        catalog::upsert_flag_environment(session, row, was != now, now != Steadiness::partial);
        catalog::insert_flag_event(
            session,
            catalog::FlagEventRow{0, 0, trimmed(change.actor), std::string(key), std::string(env),
                                  std::string(action), stored ? to_json(before) : std::string(),
                                  to_json(after), trimmed(change.reason)});
        transaction.commit();
    }
    return get_flag(session, key);
}

std::vector<std::string>& list_of(EnvironmentState& state, TargetList list)
{
    return list == TargetList::on ? state.on_list : state.off_list;
}

std::vector<std::string> checked_ids(const std::vector<std::string>& ids)
{
    std::vector<std::string> out;
    for (const auto& id : ids) {
        std::string value = trimmed(id);
        if (value.empty()) {
            throw Error("flag-invalid", "an empty subject id was given",
                        ErrorContext{.object = "ID"}, "pass the user ids to add or remove");
        }
        out.push_back(std::move(value));
    }
    if (out.empty()) {
        throw Error("flag-invalid", "no subject id was given", ErrorContext{.object = "ID"},
                    "pass the user ids to add or remove");
    }
    return out;
}

} // namespace

void ensure_store(platform::Session& session)
{
    if (!catalog::flag_store_exists(session)) {
        catalog::create_flag_store(session);
    }
}

bool store_exists(platform::Session& session)
{
    return catalog::flag_store_exists(session);
}

Flag create_flag(platform::Session& session, const NewFlag& flag, const Change& change)
{
    require_change(change, flag.key);
    if (!valid_key(flag.key)) {
        throw Error("flag-invalid", "`" + flag.key + "` is not a valid flag key",
                    ErrorContext{.object = flag.key},
                    "use lowercase letters, digits, `.`, `_` and `-`, starting with a letter or "
                    "digit, at most 100 characters");
    }
    if (trimmed(flag.owner).empty()) {
        throw Error("flag-invalid", "flag `" + flag.key + "` needs an owner",
                    ErrorContext{.object = "--owner"},
                    "name who answers for the flag with --owner (a team or a person)");
    }
    if (trimmed(flag.criteria).empty()) {
        throw Error("flag-invalid", "flag `" + flag.key + "` needs its rollout criteria",
                    ErrorContext{.object = "--criteria"},
                    "say with --criteria when it may be fully rolled out (e.g. `error rate "
                    "unchanged for 7 days at 100 %`)");
    }
    if (flag.expiry.count() <= 0) {
        throw Error("flag-invalid", "flag `" + flag.key + "` needs a positive expiry",
                    ErrorContext{.object = "--expiry"}, "give --expiry as a duration like 30d");
    }
    ensure_store(session);
    {
        platform::Transaction transaction(session);
        catalog::FlagRow row{flag.key,
                             flag.description,
                             trimmed(flag.owner),
                             std::string(to_string(flag.kind)),
                             trimmed(flag.criteria),
                             flag.group,
                             flag.expiry.count(),
                             1,
                             0,
                             std::nullopt};
        if (!catalog::insert_flag(session, row)) {
            throw Error("flag-exists", "a flag with the key `" + flag.key + "` already exists",
                        ErrorContext{.object = flag.key});
        }
        const auto created = catalog::lock_flag(session, flag.key);
        catalog::insert_flag_event(
            session,
            catalog::FlagEventRow{0, 0, trimmed(change.actor), flag.key, "", "create", "",
                                  flag_fields_json(flag_of(*created)), trimmed(change.reason)});
        transaction.commit();
    }
    return get_flag(session, flag.key);
}

std::vector<Flag> list_flags(platform::Session& session, bool include_archived)
{
    if (!catalog::flag_store_exists(session)) {
        return {};
    }
    std::vector<Flag> flags;
    for (const auto& row : catalog::select_flags(session, include_archived)) {
        flags.push_back(flag_of(row));
    }
    // Both lists are sorted by key: walk them together.
    auto flag = flags.begin();
    for (const auto& row : catalog::select_flag_environments(session)) {
        while (flag != flags.end() && flag->key < row.key) {
            ++flag;
        }
        if (flag != flags.end() && flag->key == row.key) {
            flag->environments.push_back(state_of(row));
        }
    }
    return flags;
}

Flag get_flag(platform::Session& session, std::string_view key)
{
    if (!catalog::flag_store_exists(session)) {
        throw Error("flag-unknown",
                    "no flag has the key `" + std::string(key) +
                        "`: this database has no flag store",
                    ErrorContext{.object = std::string(key)},
                    "create the flag with `migsafe flag create` (it creates the store)");
    }
    const auto rows = catalog::select_flags(session, true, key);
    if (rows.empty()) {
        throw unknown_flag(session, key);
    }
    Flag flag = flag_of(rows.front());
    for (const auto& row : catalog::select_flag_environments(session, key)) {
        flag.environments.push_back(state_of(row));
    }
    return flag;
}

Flag set_enabled(platform::Session& session, std::string_view key, std::string_view env,
                 bool enabled, const Change& change)
{
    return change_environment(session, key, env, enabled ? "enable" : "disable", change,
                              [&](EnvironmentState& state) { state.enabled = enabled; });
}

Flag set_rollout(platform::Session& session, std::string_view key, std::string_view env,
                 int percentage, const Change& change)
{
    if (percentage < 0 || percentage > 100) {
        throw Error("flag-invalid",
                    fmt::format("rollout {} % for flag `{}` is outside 0..100", percentage, key),
                    ErrorContext{.object = "PCT"}, "give a percentage from 0 to 100");
    }
    return change_environment(session, key, env, "rollout", change,
                              [&](EnvironmentState& state) { state.rollout = percentage; });
}

Flag add_targets(platform::Session& session, std::string_view key, std::string_view env,
                 TargetList list, const std::vector<std::string>& ids, const Change& change)
{
    const std::vector<std::string> values = checked_ids(ids);
    return change_environment(
        session, key, env, "target-add", change, [&](EnvironmentState& state) {
            auto& into = list_of(state, list);
            auto& other = list_of(state, list == TargetList::on ? TargetList::off : TargetList::on);
            for (const auto& id : values) {
                std::erase(other, id);
                if (std::find(into.begin(), into.end(), id) == into.end()) {
                    into.push_back(id);
                }
            }
        });
}

Flag remove_targets(platform::Session& session, std::string_view key, std::string_view env,
                    TargetList list, const std::vector<std::string>& ids, const Change& change)
{
    const std::vector<std::string> values = checked_ids(ids);
    return change_environment(session, key, env, "target-remove", change,
                              [&](EnvironmentState& state) {
                                  auto& from = list_of(state, list);
                                  for (const auto& id : values) {
                                      std::erase(from, id);
                                  }
                              });
}

Flag set_constraints(platform::Session& session, std::string_view key, std::string_view env,
                     const std::vector<Constraint>& constraints, const Change& change)
{
    for (const auto& constraint : constraints) {
        if (constraint.attribute.empty() || constraint.values.empty()) {
            throw Error("flag-invalid",
                        "constraint `" + to_string(constraint) + "` needs an attribute and a value",
                        ErrorContext{.object = "--constraint"});
        }
    }
    return change_environment(session, key, env, "constrain", change,
                              [&](EnvironmentState& state) { state.constraints = constraints; });
}

Flag archive_flag(platform::Session& session, std::string_view key, const Change& change)
{
    require_change(change, key);
    ensure_store(session);
    {
        platform::Transaction transaction(session);
        const auto row = catalog::lock_flag(session, key);
        if (!row) {
            throw unknown_flag(session, key);
        }
        if (row->archived_ms) {
            throw Error("flag-archived", "flag `" + std::string(key) + "` is already archived",
                        ErrorContext{.object = std::string(key)});
        }
        if (change.expected_version && *change.expected_version != row->version) {
            throw conflict(session, key, {}, *change.expected_version, row->version);
        }
        const std::string before = flag_fields_json(flag_of(*row));
        catalog::archive_flag_row(session, key);
        const auto archived = catalog::lock_flag(session, key);
        catalog::insert_flag_event(
            session, catalog::FlagEventRow{0, 0, trimmed(change.actor), std::string(key), "",
                                           "archive", before, flag_fields_json(flag_of(*archived)),
                                           trimmed(change.reason)});
        transaction.commit();
    }
    return get_flag(session, key);
}

std::vector<Event> flag_history(platform::Session& session, std::string_view key,
                                std::string_view env, int limit)
{
    get_flag(session, key); // flag-unknown, with "did you mean"
    std::vector<Event> events;
    for (const auto& row : catalog::select_flag_events(session, key, env, limit)) {
        events.push_back(event_of(row));
    }
    return events;
}

std::vector<Event> recent_events(platform::Session& session, int limit)
{
    if (!catalog::flag_store_exists(session)) {
        return {};
    }
    std::vector<Event> events;
    for (const auto& row : catalog::select_recent_flag_events(session, limit)) {
        events.push_back(event_of(row));
    }
    return events;
}

std::int64_t store_generation(platform::Session& session)
{
    return catalog::flag_store_generation(session);
}

} // namespace migsafe::flags
