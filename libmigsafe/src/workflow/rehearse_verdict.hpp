#pragma once
// Private: the one definition of what fails a rehearsal, shared by RehearseReport::failed(),
// its text summary and its JUnit XML, so the three never disagree.

#include <migsafe/workflow/rehearse.hpp>

#include <string>
#include <string_view>

namespace migsafe::workflow::detail {

/// Which step of a migration a StepResult is: the verdict of a lossy step depends on it.
enum class StepRole {
    up,
    down,         ///< the migration's own down file
    compensation, ///< migsafe's generated compensation
    redo,
    resume,   ///< an interruption, run again to completion
    rollback, ///< an interruption, rolled back from the interrupted state
};

/// `up`, `down`, `compensation`, `redo`, `resume`, `rollback`.
std::string_view to_string(StepRole role) noexcept;

/// True when `step` fails the verdict under `fail_on`: it failed; or, under FailOn::failure,
/// it is the down file and lost data it neither archives nor declares (`-- migsafe:allow`);
/// or, under FailOn::lossy, it is lossy at all. `missing`, `manual`,
/// `skipped` and `not-applicable` never fail.
bool step_fails(const StepResult& step, StepRole role, FailOn fail_on) noexcept;

/// True when the interruption step of `migration` fails the verdict: its status is failed,
/// or one of its interruptions' resume or rollback fails (step_fails).
bool interrupt_fails(const MigrationRehearsal& migration, FailOn fail_on) noexcept;

/// How one migration came out, for the summary: `failed` (a step fails the verdict),
/// `lossy` (none fails, but a rollback lost data) or `passed`.
enum class MigrationOutcome { passed, failed, lossy };

MigrationOutcome outcome(const MigrationRehearsal& migration, FailOn fail_on) noexcept;

/// `passed`, `failed`, `lossy`.
std::string_view to_string(MigrationOutcome outcome) noexcept;

/// `VERSION_name` (`0004_create_reviews`): the migration as the JUnit suite names it.
std::string suite_name(const MigrationRehearsal& migration);

} // namespace migsafe::workflow::detail
