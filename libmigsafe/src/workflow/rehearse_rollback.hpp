#pragma once
// Private: running a rollback in a rehearsal database: a migration's down file, or the
// compensation migsafe computes for it. Either way the history row of the migration goes,
// as a runner's own rollback removes it.

#include "workflow/rehearse_state.hpp"

#include <migsafe/model/migration_set.hpp>
#include <migsafe/workflow/rehearse.hpp>

#include <chrono>
#include <string>

namespace migsafe::workflow::detail {

/// Runs `down` (read with model::read_down) on `session`: in one transaction with the
/// history row's delete, or statement by statement when it says `no-transaction`. A
/// failure sets the step's error (the statement's line and PostgreSQL's message).
void run_down(StepResult& step, platform::Session& session, const model::Migration& migration,
              const model::MigrationFile& down, std::chrono::milliseconds lock_timeout);

/// Computes the compensation of `migration` on `session`'s database (workflow::compensate)
/// and runs it there. Fills `claims` with what it archives and
/// what it declares lost; a compensation with manual steps is not run (status manual, the steps
/// named).
void run_compensation(StepResult& step, RollbackClaims& claims, platform::Session& session,
                      const model::MigrationSet& set, const model::Migration& migration,
                      std::chrono::milliseconds lock_timeout);

} // namespace migsafe::workflow::detail
