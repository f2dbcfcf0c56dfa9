// trace::observed_plan: the trace projected onto what a static plan can claim.
#include <migsafe/trace/trace.hpp>

#include <doctest/doctest.h>

#include <vector>

namespace plan = migsafe::plan;
namespace trace = migsafe::trace;
using plan::LockMode;
using trace::RelationKind;

namespace {

plan::PlanReport claimed(std::vector<plan::Lock> locks)
{
    plan::PlanReport report;
    report.statements.push_back({.file = "0001.sql", .line = 1, .locks = std::move(locks)});
    return report;
}

trace::TraceReport traced(std::vector<trace::ObservedLock> locks,
                          std::vector<trace::ObservedLock> held = {})
{
    trace::TraceReport report;
    report.statements.push_back(
        {.file = "0001.sql", .line = 1, .locks = std::move(locks), .held_before = std::move(held)});
    return report;
}

} // namespace

TEST_CASE("trace::observed_plan keeps the strongest mode taken on each relation")
{
    const auto observed = trace::observed_plan(
        traced({{"public.t", LockMode::access_exclusive, RelationKind::table},
                {"public.t", LockMode::share, RelationKind::table},
                {"public.t_pkey", LockMode::access_exclusive, RelationKind::index},
                {"public.t_id_seq", LockMode::access_share, RelationKind::sequence}}),
        claimed({{"public.t", LockMode::access_exclusive}}));
    CHECK(observed.statements.at(0).locks ==
          std::vector<plan::Lock>{{"public.t", LockMode::access_exclusive}});
}

TEST_CASE("trace::observed_plan keeps index locks the static plan names")
{
    const auto observed = trace::observed_plan(
        traced({{"public.t", LockMode::access_exclusive, RelationKind::table},
                {"public.t_idx", LockMode::access_exclusive, RelationKind::index}}),
        claimed({{"public.t_idx", LockMode::access_exclusive}}));
    CHECK(observed.statements.at(0).locks ==
          std::vector<plan::Lock>{{"public.t", LockMode::access_exclusive},
                                  {"public.t_idx", LockMode::access_exclusive}});
}

TEST_CASE("trace::observed_plan accepts a claimed mode the transaction already held")
{
    const trace::ObservedLock held{"public.t", LockMode::access_exclusive, RelationKind::table};
    const auto observed = trace::observed_plan(traced({}, {held}),
                                               claimed({{"public.t", LockMode::access_exclusive}}));
    CHECK(observed.statements.at(0).locks ==
          std::vector<plan::Lock>{{"public.t", LockMode::access_exclusive}});
    // Not held before and not seen: the claim is not confirmed.
    const auto unseen =
        trace::observed_plan(traced({}), claimed({{"public.t", LockMode::access_exclusive}}));
    CHECK(unseen.statements.at(0).locks.empty());
}

TEST_CASE("trace::observed_plan copies a statement that was not traced")
{
    auto report = traced({});
    report.statements[0].traced = false;
    const auto static_plan = claimed({{"public.t", LockMode::share_update_exclusive}});
    CHECK(trace::observed_plan(report, static_plan) == static_plan);
}
