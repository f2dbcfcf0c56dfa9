#pragma once

/// The flag store: tables in the `migsafe` schema beside the migration history
/// (docs/flags.md, "Store"). Every change is one transaction that checks the version the
/// writer read (optimistic), writes the new state, appends an event with the actor and
/// the reason, and notifies listeners (`pg_notify` on channel `migsafe_flags`) in the
/// same transaction.

#include <migsafe/export.hpp>
#include <migsafe/flags/flag.hpp>
#include <migsafe/platform/session.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::flags {

/// The NOTIFY channel a change is announced on; the payload is the flag's key.
inline constexpr std::string_view k_notify_channel = "migsafe_flags";

/// Who makes a change and why. `reason` is required (`flag-reason-required`).
struct Change {
    std::string actor;  ///< required: a user name, `panel:<name>`, `ci`, ...
    std::string reason; ///< required, free text
    /// The version the writer read (the environment's for an environment change, the
    /// flag's for a flag change). When set and the stored version differs, the change is
    /// refused with `flag-conflict`, naming who changed it meanwhile, and nothing is written.
    std::optional<std::int64_t> expected_version{};
};

/// What `create_flag` needs. `owner` and `criteria` are required.
struct NewFlag {
    std::string key;
    std::string description{};
    std::string owner{};
    Kind kind = Kind::release;
    std::string criteria{};
    std::chrono::seconds expiry{std::chrono::hours(24 * 30)};
    std::string group{};
};

/// Creates the store's tables, triggers and functions when they are missing (idempotent,
/// under an advisory lock). Cost: a few statements the first time, one query after.
MIGSAFE_API void ensure_store(platform::Session& session);
/// Whether the store exists in the session's database (no change made).
MIGSAFE_API bool store_exists(platform::Session& session);

/// Creates a flag, off in every environment. Throws `flag-invalid` (bad key, missing
/// owner or criteria, expiry not positive), `flag-reason-required`, `flag-exists`.
MIGSAFE_API Flag create_flag(platform::Session& session, const NewFlag& flag, const Change& change);

/// Every flag (archived ones only when asked), sorted by key, with their environments
/// and `steady_since` computed from the events. One query for flags, one for events.
MIGSAFE_API std::vector<Flag> list_flags(platform::Session& session, bool include_archived = false);

/// One flag. Throws `flag-unknown` with the closest keys as "did you mean".
MIGSAFE_API Flag get_flag(platform::Session& session, std::string_view key);

/// The environment switch (`on`/`off`, the panel's toggle and kill).
MIGSAFE_API Flag set_enabled(platform::Session& session, std::string_view key, std::string_view env,
                             bool enabled, const Change& change);
/// The rollout percentage. Throws `flag-invalid` outside 0..100.
MIGSAFE_API Flag set_rollout(platform::Session& session, std::string_view key, std::string_view env,
                             int percentage, const Change& change);

/// Which explicit list a target change is about.
enum class TargetList { on, off };
/// Adds subject ids to the on or off list (an id moves out of the other list).
MIGSAFE_API Flag add_targets(platform::Session& session, std::string_view key, std::string_view env,
                             TargetList list, const std::vector<std::string>& ids,
                             const Change& change);
/// Removes subject ids from the list.
MIGSAFE_API Flag remove_targets(platform::Session& session, std::string_view key,
                                std::string_view env, TargetList list,
                                const std::vector<std::string>& ids, const Change& change);
/// Replaces the environment's constraints (an empty vector removes them).
MIGSAFE_API Flag set_constraints(platform::Session& session, std::string_view key,
                                 std::string_view env, const std::vector<Constraint>& constraints,
                                 const Change& change);
/// Archives a flag: it evaluates as off everywhere and is hidden from `list_flags`.
/// The caller checks first that no pending contract migration requires it
/// (`flags::archive_blockers`, gate.hpp).
MIGSAFE_API Flag archive_flag(platform::Session& session, std::string_view key,
                              const Change& change);

/// The events of one flag (every environment, or only `env` when not empty), newest
/// first, at most `limit`.
MIGSAFE_API std::vector<Event> flag_history(platform::Session& session, std::string_view key,
                                            std::string_view env = {}, int limit = 100);
/// The newest events of every flag, newest first, at most `limit`.
MIGSAFE_API std::vector<Event> recent_events(platform::Session& session, int limit = 50);

/// The store's change counter: it grows with every committed change (a client compares
/// it to know whether its snapshot is current). Zero when the store does not exist.
MIGSAFE_API std::int64_t store_generation(platform::Session& session);

} // namespace migsafe::flags
