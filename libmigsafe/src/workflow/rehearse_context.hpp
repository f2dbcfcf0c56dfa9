#pragma once
// Private: what the parts of a rehearsal share (rehearse.cpp runs the steps of each
// migration, rehearse_interrupt.cpp the interruptions, rehearse_start.cpp the start state,
// rehearse_scope.cpp which tables' data a migration can change).

#include "platform/elapsed.hpp"
#include "workflow/rehearse_server.hpp"
#include "workflow/rehearse_state.hpp"

#include <migsafe/model/migration_set.hpp>
#include <migsafe/plan/report.hpp>
#include <migsafe/workflow/apply.hpp>
#include <migsafe/workflow/rehearse.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace migsafe::workflow::detail {

using Clock = std::chrono::steady_clock;

/// Milliseconds since `start`.
using platform::ms_since;

/// What every migration's rehearsal shares.
struct Context {
    const model::MigrationSet& set;
    const RehearseOptions& options;
    RehearsalServer& server;
    plan::PlanReport plan{};
    /// The start state, kept: `work` is rebuilt from it when a step leaves it unknown.
    std::string origin{};
    /// The index of the first migration rehearsed.
    std::size_t first = 0;

    void say(const model::Version& version, std::string message) const
    {
        if (options.progress) {
            options.progress({.version = version, .message = std::move(message)});
        }
    }

    /// apply's options for one migration: no snapshot, no integrity of its own (the
    /// rehearsal compares), no retries (nothing else runs on the scratch server).
    ApplyOptions apply_options(const model::Version& version) const
    {
        return ApplyOptions{.to = version,
                            .wait = std::chrono::seconds(30),
                            .lock_timeout = options.lock_timeout,
                            .retries = 0,
                            .snapshot = SnapshotPolicy::skip,
                            .verify = false,
                            .resume_command = "migsafe rehearse",
                            .plan = &plan,
                            .scratch = true};
    }
};

/// Throws `rehearse-interrupted` once SIGINT or SIGTERM arrived.
void stop_if_interrupted();

/// Applies up to `migration` on `database` with apply's runner; returns its run, or sets
/// the step's error (SIGINT is thrown, not reported as the migration's failure).
std::optional<MigrationRun> apply_up(StepResult& step, const Context& context,
                                     RehearsalDatabase& database, const model::Migration& migration,
                                     const ApplyOptions& options);

/// Rebuilds `work` at the state after `migration` when a rollback or a redo left it in
/// another: a copy of the start state, the migrations up to this one applied, rows.
void recover(const Context& context, RehearsalDatabase& work, const model::Migration& migration);

/// The interruptions of a no-transaction file or a backfill (rehearse_interrupt.cpp).
void interrupt_everywhere(MigrationRehearsal& out, const Context& context,
                          const model::Migration& migration,
                          const std::optional<model::MigrationFile>& down,
                          RehearsalDatabase& pristine, const DatabaseState& before,
                          const DatabaseState& after_up, int count, const DataScope& scope);

/// The tables whose data the up, the down file and the compensation of `migration` can
/// change (rehearse_scope.cpp).
DataScope data_scope(const Context& context, const model::Migration& migration,
                     const std::optional<model::MigrationFile>& down,
                     const integrity::SchemaFingerprint& schema);

/// Refuses a scratch database that holds another history (`rehearse-not-scratch`, unless
/// `confirmed`) or a failed or partial migration (`rehearse-dirty`) (rehearse_start.cpp).
void check_scratch(const std::string& conninfo, bool confirmed);

/// Builds the start state in `work`: the migrations before `first` (applied, or adopted
/// after copying a live schema), then rows. Returns how, for the report.
std::string build_start(const Context& context, RehearsalDatabase& work, std::size_t first);

} // namespace migsafe::workflow::detail
