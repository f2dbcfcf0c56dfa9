#pragma once

/// Flags and events as JSON: the CLI's `--json`, the panel's API, the last-known-good
/// file and the event table's before/after columns use these forms (docs/json.md, "flag").

#include <migsafe/export.hpp>
#include <migsafe/flags/flag.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace migsafe::flags {

MIGSAFE_API std::string to_json(const Flag& flag);
MIGSAFE_API std::string to_json(const std::vector<Flag>& flags);
MIGSAFE_API std::string to_json(const Event& event);
MIGSAFE_API std::string to_json(const std::vector<Event>& events);
/// An environment's state, as the event table stores it in `before`/`after`.
MIGSAFE_API std::string to_json(const EnvironmentState& state);

/// An environment's constraints (`[{attribute, operator, values}]`), as the store keeps them.
MIGSAFE_API std::string to_json(const std::vector<Constraint>& constraints);
MIGSAFE_API std::vector<Constraint> constraints_from_json(std::string_view text);

/// The inverse forms. Throw `flag-cache-invalid` when the text is not one.
MIGSAFE_API std::vector<Flag> flags_from_json(std::string_view text);
MIGSAFE_API EnvironmentState environment_from_json(std::string_view text);

/// An ISO 8601 UTC timestamp with milliseconds (`2026-12-06T19:31:01.123Z`).
MIGSAFE_API std::string format_time(TimePoint time);

} // namespace migsafe::flags
