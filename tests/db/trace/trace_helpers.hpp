#pragma once
// Helpers of the trace tests: SQL text to planner input, and lookups in a trace.

#include <migsafe/model/parser.hpp>
#include <migsafe/plan/analyze.hpp>
#include <migsafe/trace/trace.hpp>

#include <algorithm>
#include <string>

namespace migsafe::test {

/// `sql` as the planner's input for a file named `name`.
inline plan::PlanInput plan_input_of(const std::string& sql, const std::string& name)
{
    auto input = plan::read_plan_directives(sql, name);
    input.statements = model::parse_sql(sql, name);
    return input;
}

/// Whether `statement` newly took `mode` on `relation`.
inline bool took(const trace::StatementTrace& statement, const std::string& relation,
                 plan::LockMode mode)
{
    return std::any_of(statement.locks.begin(), statement.locks.end(), [&](const auto& lock) {
        return lock.relation == relation && lock.mode == mode;
    });
}

/// Whether `statement` took any lock on `relation`.
inline bool locked(const trace::StatementTrace& statement, const std::string& relation)
{
    return std::any_of(statement.locks.begin(), statement.locks.end(),
                       [&](const auto& lock) { return lock.relation == relation; });
}

} // namespace migsafe::test
