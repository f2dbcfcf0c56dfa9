// The cut-over gate, judged from the event log: the newest event of the environment says
// the state at `now`, and the unbroken run of fully-on `after` states that ends with it
// says since when. The store's `steady_since` is not trusted for this: the gate reads the
// same events a reviewer can read with `migsafe flag history`.
#include <migsafe/flags/gate.hpp>
#include <migsafe/flags/json.hpp>
#include <migsafe/flags/store.hpp>
#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <limits>
#include <set>

namespace migsafe::flags {
namespace {

/// `2026-12-01T10:00Z`: minutes are enough for a reviewer, the event log has the rest.
std::string short_time(TimePoint time)
{
    const std::time_t seconds = Clock::to_time_t(time);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}Z", utc.tm_year + 1900, utc.tm_mon + 1,
                       utc.tm_mday, utc.tm_hour, utc.tm_min);
}

/// `2d 3h`, `5h 10m`, `12m`, `40s`: the two largest units.
std::string span(std::chrono::seconds length)
{
    using namespace std::chrono;
    const auto total = std::max<std::int64_t>(length.count(), 0);
    const std::int64_t days = total / 86400;
    const std::int64_t hours = total % 86400 / 3600;
    const std::int64_t minutes = total % 3600 / 60;
    const std::int64_t secs = total % 60;
    auto pair = [](std::int64_t big, char big_unit, std::int64_t small, char small_unit) {
        return small == 0 ? fmt::format("{}{}", big, big_unit)
                          : fmt::format("{}{} {}{}", big, big_unit, small, small_unit);
    };
    if (days > 0) {
        return pair(days, 'd', hours, 'h');
    }
    if (hours > 0) {
        return pair(hours, 'h', minutes, 'm');
    }
    if (minutes > 0) {
        return pair(minutes, 'm', secs, 's');
    }
    return fmt::format("{}s", secs);
}

std::chrono::seconds between(TimePoint from, TimePoint to)
{
    return std::chrono::duration_cast<std::chrono::seconds>(to - from);
}

/// What keeps `state` from being fully on, for a person: `disabled`, `rollout 50 %`,
/// `2 ids on the off list`, `constraints country in NO`.
std::string describe(const EnvironmentState& state)
{
    std::vector<std::string> parts;
    parts.emplace_back(state.enabled ? "enabled" : "disabled");
    parts.push_back(fmt::format("rollout {} %", state.rollout));
    if (!state.off_list.empty()) {
        parts.push_back(fmt::format("{} id{} on the off list", state.off_list.size(),
                                    state.off_list.size() == 1 ? "" : "s"));
    }
    for (const auto& constraint : state.constraints) {
        parts.push_back("constraint " + to_string(constraint));
    }
    return fmt::format("{}", fmt::join(parts, ", "));
}

std::string needs(const model::FlagRequirement& requirement)
{
    return requirement.on_for.count() > 0
               ? fmt::format("needs fully on for {}", span(requirement.on_for))
               : std::string("needs fully on");
}

std::string create_command(const model::FlagRequirement& requirement)
{
    return fmt::format("create it: migsafe flag create {} --kind cut-over --owner WHO "
                       "--criteria TEXT --reason TEXT, then migsafe flag on {} --env {} "
                       "--reason TEXT and migsafe flag rollout {} 100 --env {} --reason TEXT",
                       requirement.key, requirement.key, requirement.env, requirement.key,
                       requirement.env);
}

std::string turn_on_command(const model::FlagRequirement& requirement)
{
    return fmt::format("turn it fully on when its criteria are met: migsafe flag on {} --env {} "
                       "--reason TEXT, migsafe flag rollout {} 100 --env {} --reason TEXT",
                       requirement.key, requirement.env, requirement.key, requirement.env);
}

GateVerdict unknown(const model::FlagRequirement& requirement, const std::string& why)
{
    GateVerdict verdict;
    verdict.requirement = requirement;
    verdict.message = fmt::format("flag {} does not exist{}; {}", requirement.key, why,
                                  create_command(requirement));
    return verdict;
}

} // namespace

GateVerdict judge_gate(const model::FlagRequirement& requirement, const Flag* flag,
                       const std::vector<Event>& events_oldest_first, TimePoint now)
{
    if (flag == nullptr) {
        return unknown(requirement, "");
    }
    GateVerdict verdict;
    verdict.requirement = requirement;
    const auto& key = requirement.key;
    const auto& env = requirement.env;
    if (flag->archived_at) {
        verdict.message =
            fmt::format("flag {} is archived (since {}): nothing evaluates it any more; a "
                        "migration gated on it needs a flag that is live and fully on",
                        key, short_time(*flag->archived_at));
        return verdict;
    }
    // The run of fully-on states that the newest event (at or before now) ends.
    std::optional<EnvironmentState> state;
    std::optional<TimePoint> changed_at;
    std::optional<TimePoint> on_since;
    for (const auto& event : events_oldest_first) {
        if (event.env != env || event.at > now || event.after.empty()) {
            continue;
        }
        state = environment_from_json(event.after);
        changed_at = event.at;
        if (!state->fully_on()) {
            on_since.reset();
        } else if (!on_since) {
            on_since = event.at;
        }
    }
    if (!state) {
        verdict.message =
            fmt::format("flag {} is not fully on in {}: never turned on there; {} ({})", key, env,
                        needs(requirement), turn_on_command(requirement));
        return verdict;
    }
    if (!on_since) {
        verdict.message = fmt::format(
            "flag {} is not fully on in {}: {}, since {} ({} ago); {} (enabled, 100 %, no off "
            "list, no constraints)",
            key, env, describe(*state), short_time(*changed_at), span(between(*changed_at, now)),
            needs(requirement));
        return verdict;
    }
    verdict.fully_on_since = on_since;
    const auto on_for = between(*on_since, now);
    verdict.pass = on_for >= requirement.on_for;
    verdict.message = fmt::format("flag {} in {}: fully on since {} ({})", key, env,
                                  short_time(*on_since), span(on_for));
    if (requirement.on_for.count() > 0) {
        verdict.message += ", needs " + span(requirement.on_for);
        if (!verdict.pass) {
            verdict.message += fmt::format(" ({} to go)", span(requirement.on_for - on_for));
        }
    }
    return verdict;
}

GateVerdict check_gate(platform::Session& session, const model::FlagRequirement& requirement,
                       TimePoint now)
{
    if (!store_exists(session)) {
        return unknown(requirement, ": this database has no flag store yet");
    }
    std::optional<Flag> flag;
    try {
        flag = get_flag(session, requirement.key);
    } catch (const Error& e) {
        if (e.code() != "flag-unknown") {
            throw;
        }
        // The store's hint starts with its "did you mean" when a key is close.
        const auto& hint = e.hint();
        const auto end = hint.find("? ");
        const std::string close = hint.starts_with("did you mean") && end != std::string::npos
                                      ? " (" + hint.substr(0, end + 1) + ")"
                                      : std::string();
        return unknown(requirement, close);
    }
    // Every event of the environment: the fully-on run may be older than the newest 100.
    auto events =
        flag_history(session, requirement.key, requirement.env, std::numeric_limits<int>::max());
    std::reverse(events.begin(), events.end());
    return judge_gate(requirement, &*flag, events, now);
}

std::vector<GateVerdict> check_gates(platform::Session& session,
                                     const std::vector<const model::Migration*>& migrations,
                                     TimePoint now)
{
    std::vector<GateVerdict> out;
    for (const auto* migration : migrations) {
        for (const auto& requirement : migration->up.directives.required_flags) {
            auto verdict = check_gate(session, requirement, now);
            verdict.file = migration->up.relative_path;
            verdict.message =
                fmt::format("{}:{}: {}", verdict.file, requirement.line, verdict.message);
            out.push_back(std::move(verdict));
        }
    }
    return out;
}

std::vector<std::string> archive_blockers(const model::MigrationSet& set,
                                          const std::vector<std::string>& applied_versions,
                                          std::string_view key)
{
    const std::set<std::string> applied(applied_versions.begin(), applied_versions.end());
    std::vector<std::string> out;
    for (const auto& migration : set.migrations) {
        if (applied.count(migration.version.text()) > 0) {
            continue;
        }
        const auto& required = migration.up.directives.required_flags;
        if (std::any_of(required.begin(), required.end(),
                        [&](const model::FlagRequirement& r) { return r.key == key; })) {
            out.push_back(migration.up.relative_path);
        }
    }
    return out;
}

} // namespace migsafe::flags
