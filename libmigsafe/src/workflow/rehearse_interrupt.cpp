// The interruptions of a no-transaction file or a backfill: the runner stopped at each
// boundary as a killed one would, rolled back from there, resumed to the end.
#include "workflow/rehearse_context.hpp"
#include "workflow/rehearse_rollback.hpp"

#include <migsafe/integrity/diff.hpp>
#include <migsafe/integrity/schema.hpp>
#include <migsafe/platform/error.hpp>

#include <algorithm>

namespace migsafe::workflow::detail {
namespace {

/// The boundaries to interrupt at: 1..count, at most `limit` of them, evenly spread, the
/// first and the last always in.
std::vector<int> boundaries(int count, int limit)
{
    std::vector<int> out;
    if (count <= 0 || limit <= 0) {
        return out;
    }
    if (count <= limit) {
        for (int k = 1; k <= count; ++k) {
            out.push_back(k);
        }
        return out;
    }
    for (int i = 0; i < limit; ++i) {
        const int k = 1 + static_cast<int>((static_cast<long long>(count - 1) * i) / (limit - 1));
        if (out.empty() || out.back() != k) {
            out.push_back(k);
        }
    }
    return out;
}

/// What ran last before an abandoned run stopped, from apply's message.
std::string stopped_after(const Error& error)
{
    std::string after = error.message();
    const std::string cut = "stopped as asked after ";
    if (after.rfind(cut, 0) == 0) {
        after = after.substr(cut.size());
        after = after.substr(0, after.find(", as a killed"));
    }
    return after;
}

} // namespace

/// The interruptions of a no-transaction file or a backfill, on one copy of `pristine`
/// (the state before it): the run stops after the first boundary; a copy of that state is
/// rolled back with the down file; the next run resumes from there and stops at the next
/// boundary, and so on; the last run resumes to completion and must leave the schema and
/// the data of an uninterrupted run. Each resume is thus tested from its own boundary,
/// with one database copy per boundary for the rollback (none without a down file).
void interrupt_everywhere(MigrationRehearsal& out, const Context& context,
                          const model::Migration& migration,
                          const std::optional<model::MigrationFile>& down,
                          RehearsalDatabase& pristine, const DatabaseState& before,
                          const DatabaseState& after_up, int count, const DataScope& scope)
{
    auto& server = context.server;
    out.interrupt = StepStatus::ok;
    RehearsalDatabase stopped(server, pristine.copy());
    int done = 0;
    bool finished = false;
    for (int k : boundaries(count, context.options.max_interruptions)) {
        stop_if_interrupted();
        auto options = context.apply_options(migration.version);
        options.abandon_after = k - done;
        const auto start = Clock::now();
        StepResult* resumed =
            out.interruptions.empty() ? nullptr : &out.interruptions.back().resume;
        try {
            apply(stopped.session(), stopped.conninfo(), context.set, options);
            finished = true; // fewer boundaries than counted: this run went to the end
            break;
        } catch (const Error& error) {
            stop_if_interrupted();
            if (error.code() != "apply-abandoned") {
                StepResult failed;
                fail_step(failed, migration.up.relative_path, error.context().line,
                          error.message());
                if (resumed != nullptr) {
                    *resumed = std::move(failed);
                } else {
                    Interruption point{.boundary = k, .resume = std::move(failed)};
                    out.interruptions.push_back(std::move(point));
                }
                out.interrupt = StepStatus::failed;
                stopped.drop();
                return;
            }
            if (resumed != nullptr) {
                resumed->status = StepStatus::ok;
                resumed->duration_ms = ms_since(start);
            }
            Interruption point{.boundary = k, .after = stopped_after(error)};
            done = k;
            // Rolled back from the interrupted state, on a copy.
            if (down) {
                RehearsalDatabase rolled(server, stopped.copy());
                run_down(point.rollback, rolled.session(), migration, *down,
                         context.options.lock_timeout);
                if (point.rollback.status != StepStatus::failed) {
                    judge_schema(point.rollback, before.schema,
                                 integrity::read_schema(rolled.session()));
                }
                rolled.drop();
            } else {
                point.rollback.status = StepStatus::missing;
                point.rollback.reason = "no down file; a compensation needs a finished migration";
            }
            if (point.rollback.status == StepStatus::failed) {
                out.interrupt = StepStatus::failed;
            }
            out.interruptions.push_back(std::move(point));
        }
    }
    if (!out.interruptions.empty()) {
        // The last resume, to completion: the state of an uninterrupted run.
        auto& last = out.interruptions.back().resume;
        if (finished ||
            apply_up(last, context, stopped, migration, context.apply_options(migration.version))) {
            last.status = StepStatus::ok;
            const auto now = read_state(stopped.session(), scope);
            judge_schema(last, after_up.schema, now.schema);
            // An invalid index or NOT VALID constraint the uninterrupted run leaves too is
            // the migration's doing, not the interruption's.
            const auto already = integrity::problems(after_up.data);
            for (const auto& difference : integrity::diff(after_up.data, now.data)) {
                if (std::find(already.begin(), already.end(), difference) != already.end()) {
                    continue;
                }
                last.differences.push_back(difference.describe());
                last.status = StepStatus::failed;
            }
        }
        if (last.status == StepStatus::failed) {
            out.interrupt = StepStatus::failed;
        }
    }
    stopped.drop();
}

} // namespace migsafe::workflow::detail
