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

bool contains(const std::vector<std::string>& items, const std::string& item)
{
    return std::find(items.begin(), items.end(), item) != items.end();
}

// Whether the static plan says anything about `relation`.
bool mentioned(const plan::StatementPlan& statement, const std::string& relation)
{
    return named(statement, relation) || contains(statement.rewrites, relation) ||
           contains(statement.scans, relation);
}

// The relation a traced effect on `relation` counts for: itself when the static plan
// mentions it, else its nearest ancestor (partition or inheritance parent) that the static
// plan locks, else itself.
std::string counted_as(const StatementTrace& trace, const plan::StatementPlan& claimed,
                       const std::string& relation)
{
    if (mentioned(claimed, relation)) {
        return relation;
    }
    std::string current = relation;
    for (std::size_t depth = 0; depth < trace.inherits.size(); ++depth) {
        const auto link =
            std::find_if(trace.inherits.begin(), trace.inherits.end(),
                         [&](const InheritanceLink& l) { return l.child == current; });
        if (link == trace.inherits.end()) {
            break;
        }
        current = link->parent;
        if (named(claimed, current)) {
            return current;
        }
    }
    return relation;
}

std::vector<std::string> counted_list(const StatementTrace& trace,
                                      const plan::StatementPlan& claimed,
                                      const std::vector<std::string>& relations)
{
    std::vector<std::string> out;
    for (const auto& relation : relations) {
        auto counted = counted_as(trace, claimed, relation);
        if (!contains(out, counted)) {
            out.push_back(std::move(counted));
        }
    }
    std::sort(out.begin(), out.end());
    return out;
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
        auto [at, inserted] =
            strongest.emplace(counted_as(trace, claimed, lock.relation), lock.mode);
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
        const auto& claimed = static_plan.statements[i];
        // An index rebuilt counts only where the static plan names it (as with locks).
        std::vector<std::string> rewrites = traced.rewrites;
        for (const auto& index : traced.rebuilt_indexes) {
            if (contains(claimed.rewrites, index)) {
                rewrites.push_back(index);
            }
        }
        statement.rewrites = counted_list(traced, claimed, rewrites);
        // A relation empty before the statement reads nothing: its scan is not compared.
        std::vector<std::string> scans;
        for (const auto& relation : traced.scans) {
            if (!contains(traced.empty, relation) || contains(claimed.scans, relation)) {
                scans.push_back(relation);
            }
        }
        statement.scans = counted_list(traced, claimed, scans);
        // A read of an empty relation starts no scan that the trace could see.
        for (const auto& relation : claimed.scans) {
            if (contains(traced.empty, relation) && !contains(statement.scans, relation)) {
                statement.scans.push_back(relation);
            }
        }
        std::sort(statement.scans.begin(), statement.scans.end());
    }
    return observed;
}

} // namespace migsafe::trace
