// What a flag is: kinds, constraints, the fully-on / fully-off states (docs/flags.md).
#include "platform/enum_names.hpp"

#include <migsafe/flags/flag.hpp>
#include <migsafe/platform/error.hpp>

#include <algorithm>

namespace migsafe::flags {
namespace {

std::string_view trim(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

Error invalid_constraint(std::string_view text, std::string_view why)
{
    return Error("flag-invalid", "constraint `" + std::string(text) + "` " + std::string(why),
                 ErrorContext{.object = std::string(text)},
                 "write a constraint as `ATTRIBUTE in A,B` or `ATTRIBUTE not-in A,B`");
}

} // namespace

constexpr platform::EnumNames<Kind, 3> k_kind_names{
    {{{Kind::release, "release"}, {Kind::ops, "ops"}, {Kind::cut_over, "cut-over"}}}};
static_assert(k_kind_names.unique());

std::string_view to_string(Kind kind) noexcept
{
    return k_kind_names.name(kind);
}

std::optional<Kind> parse_kind(std::string_view text) noexcept
{
    return k_kind_names.value(text);
}

std::string to_string(const Constraint& constraint)
{
    std::string out = constraint.attribute + (constraint.negated ? " not-in " : " in ");
    for (std::size_t i = 0; i < constraint.values.size(); ++i) {
        out += (i == 0 ? "" : ",") + constraint.values[i];
    }
    return out;
}

Constraint parse_constraint(std::string_view text)
{
    const std::string_view whole = trim(text);
    const auto space = whole.find_first_of(" \t");
    if (space == std::string_view::npos) {
        throw invalid_constraint(text, "has no operator");
    }
    Constraint constraint;
    constraint.attribute = std::string(whole.substr(0, space));
    std::string_view rest = trim(whole.substr(space));
    const auto operator_end = rest.find_first_of(" \t");
    const std::string_view op = rest.substr(0, operator_end);
    if (op == "in") {
        constraint.negated = false;
    } else if (op == "not-in") {
        constraint.negated = true;
    } else {
        throw invalid_constraint(text, "has the operator `" + std::string(op) +
                                           "`; the operators are `in` and `not-in`");
    }
    rest = operator_end == std::string_view::npos ? std::string_view{}
                                                  : trim(rest.substr(operator_end));
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string_view value = trim(rest.substr(0, comma));
        if (value.empty()) {
            throw invalid_constraint(text, "has an empty value");
        }
        constraint.values.emplace_back(value);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
    if (constraint.values.empty()) {
        throw invalid_constraint(text, "lists no value");
    }
    return constraint;
}

bool EnvironmentState::fully_on() const noexcept
{
    return enabled && rollout == 100 && off_list.empty() && constraints.empty();
}

bool EnvironmentState::fully_off() const noexcept
{
    return !enabled || (rollout == 0 && on_list.empty());
}

const EnvironmentState* Flag::environment(std::string_view env) const noexcept
{
    const auto found =
        std::find_if(environments.begin(), environments.end(),
                     [&](const EnvironmentState& state) { return state.env == env; });
    return found == environments.end() ? nullptr : &*found;
}

std::string_view Flag::rollout_group() const noexcept
{
    return group.empty() ? std::string_view(key) : std::string_view(group);
}

bool Flag::stale_in(std::string_view env, TimePoint now) const noexcept
{
    if (archived_at) {
        return false;
    }
    const EnvironmentState* state = environment(env);
    // Never changed there: off since the flag was created.
    const std::optional<TimePoint> since = state != nullptr ? state->steady_since : created_at;
    if (!since) {
        return false; // partly rolled out: in use, not stale
    }
    return now - *since > expiry;
}

bool valid_key(std::string_view key) noexcept
{
    if (key.empty() || key.size() > 100) {
        return false;
    }
    const auto lower_or_digit = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    };
    if (!lower_or_digit(key.front())) {
        return false;
    }
    return std::all_of(key.begin(), key.end(), [&](char c) {
        return lower_or_digit(c) || c == '.' || c == '_' || c == '-';
    });
}

} // namespace migsafe::flags
