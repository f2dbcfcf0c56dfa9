#pragma once

/// The cut-over gate: a contract migration that says `-- migsafe:requires-flag KEY
/// [env=production] [on-for=7d]` runs only once the event log shows the flag fully on
/// (enabled, 100 %, no off list, no constraints) in that environment, without
/// interruption, for that long (docs/flags.md, "Cut-over gate").

#include <migsafe/export.hpp>
#include <migsafe/flags/flag.hpp>
#include <migsafe/model/directive.hpp>
#include <migsafe/model/migration_set.hpp>
#include <migsafe/platform/session.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::flags {

/// The verdict on one requirement.
struct GateVerdict {
    model::FlagRequirement requirement;
    std::string file{}; ///< the migration that requires the flag (`check_gates` fills it)
    bool pass = false;
    /// Since when the flag has been fully on without interruption, when it is.
    std::optional<TimePoint> fully_on_since{};
    /// One line for a reviewer: the flag, its state and since when, what is missing.
    std::string message;
};

/// Judges `requirement` from the flag (nullptr: unknown, or the store is absent) and its
/// events, oldest first (events of other environments, of the flag itself and after `now`
/// are ignored). The state at `now` is the `after` of the newest event of the environment;
/// it passes when that state is fully on and every event since the first of the unbroken
/// fully-on run is fully on too, at least `on_for` before `now`. An archived flag fails.
/// Pure; `now` is injected. Throws `flag-cache-invalid` for an event whose `after` is not
/// an environment's state.
MIGSAFE_API GateVerdict judge_gate(const model::FlagRequirement& requirement, const Flag* flag,
                                   const std::vector<Event>& events_oldest_first, TimePoint now);

/// Reads the flag and its events from the store and judges. A missing store or an unknown
/// flag fails the requirement (the message says "did you mean" and how to create the flag).
/// Cost: three queries. Throws the store's errors but `flag-unknown`.
MIGSAFE_API GateVerdict check_gate(platform::Session& session,
                                   const model::FlagRequirement& requirement, TimePoint now);

/// `check_gate` for every requirement of `migrations`, in order, each verdict naming its
/// migration's file (`file`); the messages start with `FILE:LINE: `.
MIGSAFE_API std::vector<GateVerdict>
check_gates(platform::Session& session, const std::vector<const model::Migration*>& migrations,
            TimePoint now);

/// The pending migrations of `set` (not applied according to `applied_versions`, version
/// texts as `model::Version::text` writes them) that require the flag `key`, as their up
/// files' relative paths; archiving the flag is refused while there is one. Pure.
MIGSAFE_API std::vector<std::string>
archive_blockers(const model::MigrationSet& set, const std::vector<std::string>& applied_versions,
                 std::string_view key);

} // namespace migsafe::flags
