// The apply report's names and JSON form (docs/json.md).
#include "model/version_format.hpp"

#include <migsafe/workflow/apply.hpp>

#include <nlohmann/json.hpp>

namespace migsafe::workflow {

std::string_view to_string(PhaseFilter filter) noexcept
{
    switch (filter) {
    case PhaseFilter::all:
        return "all";
    case PhaseFilter::expand:
        return "expand";
    case PhaseFilter::contract:
        return "contract";
    }
    return "all";
}

std::optional<PhaseFilter> parse_phase_filter(std::string_view text) noexcept
{
    for (auto filter : {PhaseFilter::all, PhaseFilter::expand, PhaseFilter::contract}) {
        if (to_string(filter) == text) {
            return filter;
        }
    }
    return std::nullopt;
}

std::string_view to_string(Outcome outcome) noexcept
{
    switch (outcome) {
    case Outcome::applied:
        return "applied";
    case Outcome::resumed:
        return "resumed";
    case Outcome::would_apply:
        return "would-apply";
    case Outcome::held:
        return "held";
    }
    return "held";
}

std::string ApplyReport::to_json(int indent) const
{
    nlohmann::json list = nlohmann::json::array();
    for (const auto& m : migrations) {
        nlohmann::json statements = nlohmann::json::array();
        for (const auto& s : m.statements) {
            nlohmann::json locks = nlohmann::json::array();
            for (const auto& lock : s.locks) {
                locks.push_back(
                    {{"relation", lock.relation}, {"mode", plan::to_string(lock.mode)}});
            }
            statements.push_back({{"line", s.line},
                                  {"sql", s.sql},
                                  {"locks", locks},
                                  {"estimated_seconds", s.estimated_seconds},
                                  {"runs_outside_transaction", s.runs_outside_transaction}});
        }
        list.push_back({{"version", m.version},
                        {"name", m.name},
                        {"file", m.file},
                        {"phase", m.phase},
                        {"transactional", m.transactional},
                        {"backfill", m.backfill},
                        {"risky", m.risky},
                        {"outcome", to_string(m.outcome)},
                        {"reason", m.reason},
                        {"statements_applied", m.statements_applied},
                        {"statements_total", m.statements_total},
                        {"attempts", m.attempts},
                        {"duration_ms", m.duration_ms},
                        {"backfill_rows", m.backfill_rows},
                        {"backfill_batches", m.backfill_batches},
                        {"untouched_changed", m.untouched_changed},
                        {"statements", statements}});
    }
    nlohmann::json out = {{"schema_version", k_schema_version},
                          {"run_id", run_id},
                          {"database", database},
                          {"dry_run", dry_run},
                          {"phase", phase},
                          {"snapshot_policy", snapshot_policy},
                          {"snapshot_id", snapshot_id},
                          {"verdict", plan::to_string(verdict)},
                          {"applied", applied},
                          {"pending_after", pending_after},
                          {"lock_wait_ms", lock_wait_ms},
                          {"duration_ms", duration_ms},
                          {"problems", problems},
                          {"migrations", list}};
    return out.dump(indent);
}

} // namespace migsafe::workflow
