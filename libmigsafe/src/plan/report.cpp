// Names of lock modes and phases, and the verdict.
#include "platform/enum_names.hpp"

#include <migsafe/plan/report.hpp>

namespace migsafe::plan {
namespace {

constexpr platform::EnumNames<LockMode, 8> k_lock_names{{{
    {LockMode::access_share, "AccessShareLock"},
    {LockMode::row_share, "RowShareLock"},
    {LockMode::row_exclusive, "RowExclusiveLock"},
    {LockMode::share_update_exclusive, "ShareUpdateExclusiveLock"},
    {LockMode::share, "ShareLock"},
    {LockMode::share_row_exclusive, "ShareRowExclusiveLock"},
    {LockMode::exclusive, "ExclusiveLock"},
    {LockMode::access_exclusive, "AccessExclusiveLock"},
}}};
static_assert(k_lock_names.unique());

constexpr platform::EnumNames<Phase, 4> k_phase_names{{{
    {Phase::expand, "expand"},
    {Phase::backfill, "backfill"},
    {Phase::contract, "contract"},
    {Phase::none, "none"},
}}};
static_assert(k_phase_names.unique());

constexpr platform::EnumNames<Verdict, 2> k_verdict_names{
    {{{Verdict::pass, "pass"}, {Verdict::fail, "fail"}}}};
static_assert(k_verdict_names.unique());

} // namespace

std::string_view to_string(LockMode mode) noexcept
{
    return k_lock_names.name(mode);
}

std::optional<LockMode> parse_lock_mode(std::string_view text) noexcept
{
    return k_lock_names.value(text);
}

std::string_view blocked_traffic(LockMode mode) noexcept
{
    switch (mode) {
    case LockMode::access_exclusive:
        return "reads and writes";
    case LockMode::exclusive:
    case LockMode::share_row_exclusive:
    case LockMode::share:
        return "writes";
    case LockMode::share_update_exclusive:
        return "DDL, VACUUM and ANALYZE";
    default:
        return "only ACCESS EXCLUSIVE locks";
    }
}

bool blocks_writes(LockMode mode) noexcept
{
    return mode >= LockMode::share;
}

std::string_view to_string(Phase phase) noexcept
{
    return k_phase_names.name(phase);
}

std::optional<Phase> parse_phase(std::string_view text) noexcept
{
    return k_phase_names.value(text);
}

std::string_view to_string(Verdict verdict) noexcept
{
    return k_verdict_names.name(verdict);
}

void settle_verdict(PlanReport& report)
{
    report.counts = Counts{.statements = static_cast<int>(report.statements.size())};
    report.verdict = Verdict::pass;
    for (const auto& statement : report.statements) {
        for (const auto& finding : statement.findings) {
            if (finding.allowed) {
                ++report.counts.allowed;
                continue;
            }
            switch (finding.severity) {
            case Severity::error:
                ++report.counts.errors;
                break;
            case Severity::warning:
                ++report.counts.warnings;
                break;
            case Severity::info:
                ++report.counts.infos;
                break;
            }
            if (finding.severity >= report.fail_on) {
                report.verdict = Verdict::fail;
            }
        }
    }
}

} // namespace migsafe::plan
