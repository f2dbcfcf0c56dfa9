// Flags and events as JSON (docs/json.md, "flag"): one form for the CLI, the panel, the
// last-known-good file and the event table's before/after columns.
#include <migsafe/flags/json.hpp>
#include <migsafe/platform/error.hpp>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>

namespace migsafe::flags {
namespace {

using nlohmann::json;

Error invalid(std::string_view why)
{
    return Error("flag-cache-invalid", "flags JSON is not valid: " + std::string(why));
}

json time_json(const std::optional<TimePoint>& time)
{
    return time ? json(format_time(*time)) : json(nullptr);
}

std::optional<TimePoint> parse_time(const json& value)
{
    if (value.is_null()) {
        return std::nullopt;
    }
    const std::string text = value.get<std::string>();
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &year, &month, &day, &hour,
                    &minute, &second, &millis) != 7) {
        throw invalid("`" + text + "` is not a time like 2026-12-06T19:31:01.123Z");
    }
    const std::chrono::year_month_day date{std::chrono::year(year),
                                           std::chrono::month(static_cast<unsigned>(month)),
                                           std::chrono::day(static_cast<unsigned>(day))};
    if (!date.ok()) {
        throw invalid("`" + text + "` is not a date");
    }
    return TimePoint(std::chrono::sys_days(date).time_since_epoch() + std::chrono::hours(hour) +
                     std::chrono::minutes(minute) + std::chrono::seconds(second) +
                     std::chrono::milliseconds(millis));
}

json constraint_json(const Constraint& constraint)
{
    return {{"attribute", constraint.attribute},
            {"operator", constraint.negated ? "not-in" : "in"},
            {"values", constraint.values}};
}

json constraints_json(const std::vector<Constraint>& constraints)
{
    json out = json::array();
    for (const auto& constraint : constraints) {
        out.push_back(constraint_json(constraint));
    }
    return out;
}

std::vector<Constraint> constraints_from(const json& value)
{
    std::vector<Constraint> out;
    for (const auto& item : value) {
        out.push_back(Constraint{item.at("attribute").get<std::string>(),
                                 item.value("operator", "in") == "not-in",
                                 item.at("values").get<std::vector<std::string>>()});
    }
    return out;
}

json state_json(const EnvironmentState& state)
{
    const json constraints = constraints_json(state.constraints);
    return {{"env", state.env},
            {"enabled", state.enabled},
            {"rollout", state.rollout},
            {"on_list", state.on_list},
            {"off_list", state.off_list},
            {"constraints", constraints},
            {"version", state.version},
            {"changed_at", time_json(state.changed_at)},
            {"steady_since", time_json(state.steady_since)},
            {"fully_on", state.fully_on()},
            {"fully_off", state.fully_off()}};
}

json flag_json(const Flag& flag)
{
    json environments = json::array();
    for (const auto& state : flag.environments) {
        environments.push_back(state_json(state));
    }
    return {{"key", flag.key},
            {"description", flag.description},
            {"owner", flag.owner},
            {"kind", to_string(flag.kind)},
            {"criteria", flag.criteria},
            {"expiry_seconds", flag.expiry.count()},
            {"group", flag.group},
            {"version", flag.version},
            {"created_at", time_json(flag.created_at)},
            {"archived_at", time_json(flag.archived_at)},
            {"environments", environments}};
}

json parsed_or_null(const std::string& text)
{
    return text.empty() ? json(nullptr) : json::parse(text, nullptr, false);
}

json event_json(const Event& event)
{
    return {{"id", event.id},
            {"at", format_time(event.at)},
            {"actor", event.actor},
            {"key", event.key},
            {"env", event.env},
            {"action", event.action},
            {"before", parsed_or_null(event.before)},
            {"after", parsed_or_null(event.after)},
            {"reason", event.reason}};
}

EnvironmentState state_from(const json& value)
{
    EnvironmentState state;
    state.env = value.value("env", "");
    state.enabled = value.value("enabled", false);
    state.rollout = value.value("rollout", 0);
    state.on_list = value.value("on_list", std::vector<std::string>{});
    state.off_list = value.value("off_list", std::vector<std::string>{});
    state.constraints = constraints_from(value.value("constraints", json::array()));
    state.version = value.value("version", std::int64_t{0});
    state.changed_at = parse_time(value.value("changed_at", json(nullptr)));
    state.steady_since = parse_time(value.value("steady_since", json(nullptr)));
    return state;
}

Flag flag_from(const json& value)
{
    Flag flag;
    flag.key = value.at("key").get<std::string>();
    flag.description = value.value("description", "");
    flag.owner = value.value("owner", "");
    const auto kind = parse_kind(value.value("kind", "release"));
    if (!kind) {
        throw invalid("flag `" + flag.key + "` has an unknown kind");
    }
    flag.kind = *kind;
    flag.criteria = value.value("criteria", "");
    flag.expiry = std::chrono::seconds(value.value("expiry_seconds", std::int64_t{0}));
    flag.group = value.value("group", "");
    flag.version = value.value("version", std::int64_t{0});
    flag.created_at = parse_time(value.value("created_at", json(nullptr)));
    flag.archived_at = parse_time(value.value("archived_at", json(nullptr)));
    for (const auto& item : value.value("environments", json::array())) {
        flag.environments.push_back(state_from(item));
    }
    return flag;
}

} // namespace

std::string format_time(TimePoint time)
{
    const auto millis = std::chrono::floor<std::chrono::milliseconds>(time);
    return fmt::format(
        "{:%Y-%m-%dT%H:%M:%S}.{:03d}Z", std::chrono::floor<std::chrono::seconds>(millis),
        static_cast<int>((millis.time_since_epoch() % std::chrono::seconds(1)).count()));
}

std::string to_json(const Flag& flag)
{
    return flag_json(flag).dump();
}

std::string to_json(const std::vector<Flag>& flags)
{
    json out = json::array();
    for (const auto& flag : flags) {
        out.push_back(flag_json(flag));
    }
    return out.dump();
}

std::string to_json(const Event& event)
{
    return event_json(event).dump();
}

std::string to_json(const std::vector<Event>& events)
{
    json out = json::array();
    for (const auto& event : events) {
        out.push_back(event_json(event));
    }
    return out.dump();
}

std::string to_json(const EnvironmentState& state)
{
    return state_json(state).dump();
}

std::string to_json(const std::vector<Constraint>& constraints)
{
    return constraints_json(constraints).dump();
}

std::vector<Constraint> constraints_from_json(std::string_view text)
{
    try {
        return constraints_from(json::parse(text.empty() ? std::string_view("[]") : text));
    } catch (const json::exception& error) {
        throw invalid(error.what());
    }
}

std::vector<Flag> flags_from_json(std::string_view text)
{
    try {
        const json document = json::parse(text);
        if (!document.is_array()) {
            throw invalid("expected an array of flags");
        }
        std::vector<Flag> flags;
        for (const auto& item : document) {
            flags.push_back(flag_from(item));
        }
        return flags;
    } catch (const json::exception& error) {
        throw invalid(error.what());
    }
}

EnvironmentState environment_from_json(std::string_view text)
{
    try {
        return state_from(json::parse(text));
    } catch (const json::exception& error) {
        throw invalid(error.what());
    }
}

} // namespace migsafe::flags
