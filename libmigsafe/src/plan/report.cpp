// Names of lock modes and phases, and the verdict.
#include <migsafe/plan/report.hpp>

#include <array>
#include <utility>

namespace migsafe::plan {
namespace {

constexpr std::array<std::pair<LockMode, std::string_view>, 8> k_lock_names{{
    {LockMode::access_share, "AccessShareLock"},
    {LockMode::row_share, "RowShareLock"},
    {LockMode::row_exclusive, "RowExclusiveLock"},
    {LockMode::share_update_exclusive, "ShareUpdateExclusiveLock"},
    {LockMode::share, "ShareLock"},
    {LockMode::share_row_exclusive, "ShareRowExclusiveLock"},
    {LockMode::exclusive, "ExclusiveLock"},
    {LockMode::access_exclusive, "AccessExclusiveLock"},
}};

constexpr std::array<std::pair<Phase, std::string_view>, 4> k_phase_names{{
    {Phase::expand, "expand"},
    {Phase::backfill, "backfill"},
    {Phase::contract, "contract"},
    {Phase::none, "none"},
}};

} // namespace

std::string_view to_string(LockMode mode) noexcept
{
    return k_lock_names.at(static_cast<std::size_t>(mode)).second;
}

std::optional<LockMode> parse_lock_mode(std::string_view text) noexcept
{
    for (const auto& [mode, name] : k_lock_names) {
        if (name == text) {
            return mode;
        }
    }
    return std::nullopt;
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
    return k_phase_names.at(static_cast<std::size_t>(phase)).second;
}

std::optional<Phase> parse_phase(std::string_view text) noexcept
{
    for (const auto& [phase, name] : k_phase_names) {
        if (name == text) {
            return phase;
        }
    }
    return std::nullopt;
}

std::string_view to_string(Verdict verdict) noexcept
{
    return verdict == Verdict::pass ? "pass" : "fail";
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
