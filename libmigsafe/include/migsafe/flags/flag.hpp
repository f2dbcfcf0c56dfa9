#pragma once

/// Cut-over flags: what a flag is, per environment, and the events that changed it
/// (docs/flags.md). The store (`store.hpp`) reads and writes them in the `migsafe` schema;
/// the snapshot (`snapshot.hpp`) evaluates them in memory.

#include <migsafe/export.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::flags {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;

/// What a flag is for. A cut-over flag guards "stop using the old shape" before a
/// contract migration (`-- migsafe:requires-flag`).
enum class Kind { release, ops, cut_over };

/// `release`, `ops` or `cut-over`.
MIGSAFE_API std::string_view to_string(Kind kind) noexcept;
/// The kind named `text`, or nullopt.
MIGSAFE_API std::optional<Kind> parse_kind(std::string_view text) noexcept;

/// A condition on one attribute of the evaluation context: `country in NO,SE`,
/// `plan not-in free`. Every constraint of an environment must hold for the flag to be on.
struct Constraint {
    std::string attribute;           ///< context attribute name (`user_id` is the subject)
    bool negated = false;            ///< `not-in` instead of `in`
    std::vector<std::string> values; ///< at least one

    friend bool operator==(const Constraint&, const Constraint&) = default;
};

/// `attribute in a,b` / `attribute not-in a,b`.
MIGSAFE_API std::string to_string(const Constraint& constraint);
/// Parses the form above. Throws `flag-invalid` naming the text.
MIGSAFE_API Constraint parse_constraint(std::string_view text);

/// A flag's state in one environment (`production`, `staging`, ...). A flag has no
/// state in an environment until a change names it; it is then off.
struct EnvironmentState {
    std::string env;
    bool enabled = false;                  ///< the environment's switch (the kill switch)
    int rollout = 0;                       ///< percentage 0..100 of subjects' buckets
    std::vector<std::string> on_list{};    ///< subject ids always on (when enabled)
    std::vector<std::string> off_list{};   ///< subject ids always off
    std::vector<Constraint> constraints{}; ///< all must hold
    std::int64_t version = 0;              ///< bumped by every change (optimistic checks)
    std::optional<TimePoint> changed_at{}; ///< the last change
    /// Since when it has been fully on, or fully off, without interruption (set by the
    /// store with each change; empty while partly rolled out).
    std::optional<TimePoint> steady_since{};

    /// On for every subject: enabled, 100 %, no off list, no constraints.
    bool fully_on() const noexcept;
    /// Off for every subject: disabled, or 0 % with no on list.
    bool fully_off() const noexcept;

    friend bool operator==(const EnvironmentState&, const EnvironmentState&) = default;
};

/// One flag, with its state in every environment that has one.
struct Flag {
    std::string key; ///< `[a-z0-9][a-z0-9._-]*`, at most 100 characters
    std::string description{};
    std::string owner{}; ///< required: who answers for it
    Kind kind = Kind::release;
    std::string criteria{}; ///< required: when it may be fully rolled out
    std::chrono::seconds expiry{std::chrono::hours(24 * 30)}; ///< fully on/off longer: stale
    std::string group{};      ///< rollout group (stickiness); empty means the key
    std::int64_t version = 0; ///< bumped by every change to the flag's own fields
    std::optional<TimePoint> created_at{};
    std::optional<TimePoint> archived_at{};
    std::vector<EnvironmentState> environments{}; ///< sorted by env

    /// The state in `env`, or nullptr when the flag has none there (off).
    const EnvironmentState* environment(std::string_view env) const noexcept;
    /// The rollout group: `group`, or the key.
    std::string_view rollout_group() const noexcept;
    /// Whether the state in `env` has been fully on or fully off for longer than the
    /// expiry at `now` (and the flag is not archived).
    bool stale_in(std::string_view env, TimePoint now) const noexcept;

    friend bool operator==(const Flag&, const Flag&) = default;
};

/// One row of the append-only event table: who changed what, when, and why.
struct Event {
    std::int64_t id = 0;
    TimePoint at{};
    std::string actor{};
    std::string key{};
    std::string env{};    ///< empty for a change to the flag itself (create, archive)
    std::string action{}; ///< create, enable, disable, rollout, target-add, target-remove,
                          ///< constrain, edit, archive
    std::string before{}; ///< JSON of the state before (empty for create)
    std::string after{};  ///< JSON of the state after
    std::string reason{};
};

/// Whether `key` is a valid flag key (see `Flag::key`).
MIGSAFE_API bool valid_key(std::string_view key) noexcept;

} // namespace migsafe::flags
