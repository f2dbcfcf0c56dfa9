// The trace in the shape of a plan, projected onto what a static plan can claim.
#include <migsafe/trace/trace.hpp>

#include <algorithm>
#include <map>

namespace migsafe::trace {
namespace {

bool named(const plan::StatementPlan& statement, const std::string& relation)
{
    return std::any_of(statement.locks.begin(), statement.locks.end(),
                       [&](const plan::Lock& lock) { return lock.relation == relation; });
}

bool held(const StatementTrace& trace, const plan::Lock& lock)
{
    return std::any_of(
        trace.held_before.begin(), trace.held_before.end(),
        [&](const ObservedLock& h) { return h.relation == lock.relation && h.mode == lock.mode; });
}

// The strongest mode taken per relation; indexes and sequences only where the static
// plan names them (it does not list the incidental locks on a table's indexes).
std::vector<plan::Lock> observed_locks(const StatementTrace& trace,
                                       const plan::StatementPlan& claimed)
{
    std::map<std::string, plan::LockMode> strongest;
    for (const auto& lock : trace.locks) {
        const bool auxiliary =
            lock.kind == RelationKind::index || lock.kind == RelationKind::sequence;
        if (auxiliary && !named(claimed, lock.relation)) {
            continue;
        }
        auto [at, inserted] = strongest.emplace(lock.relation, lock.mode);
        if (!inserted && lock.mode > at->second) {
            at->second = lock.mode;
        }
    }
    // A claimed mode the transaction already held cannot be seen to be taken again.
    for (const auto& lock : claimed.locks) {
        const auto at = strongest.find(lock.relation);
        if (held(trace, lock) && (at == strongest.end() || at->second < lock.mode)) {
            strongest[lock.relation] = lock.mode;
        }
    }
    std::vector<plan::Lock> locks;
    for (const auto& [relation, mode] : strongest) {
        locks.push_back({.relation = relation, .mode = mode});
    }
    return locks;
}

} // namespace

plan::PlanReport observed_plan(const TraceReport& trace, const plan::PlanReport& static_plan)
{
    plan::PlanReport observed = static_plan;
    const auto count = std::min(trace.statements.size(), observed.statements.size());
    for (std::size_t i = 0; i < count; ++i) {
        const auto& traced = trace.statements[i];
        auto& statement = observed.statements[i];
        if (!traced.traced) {
            continue;
        }
        statement.locks = observed_locks(traced, static_plan.statements[i]);
        statement.rewrites = traced.rewrites;
        statement.scans = traced.scans;
    }
    return observed;
}

} // namespace migsafe::trace
