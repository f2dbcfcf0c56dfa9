// The apply report's names and JSON form (docs/json.md).
#include "model/version_format.hpp"
#include "platform/enum_names.hpp"

#include <migsafe/workflow/apply.hpp>

#include <nlohmann/json.hpp>

namespace migsafe::workflow {

constexpr platform::EnumNames<PhaseFilter, 3> k_phase_filter_names{
    {{{PhaseFilter::all, "all"},
      {PhaseFilter::expand, "expand"},
      {PhaseFilter::contract, "contract"}}}};
static_assert(k_phase_filter_names.unique());

std::string_view to_string(PhaseFilter filter) noexcept
{
    return k_phase_filter_names.name(filter);
}

std::optional<PhaseFilter> parse_phase_filter(std::string_view text) noexcept
{
    return k_phase_filter_names.value(text);
}

constexpr platform::EnumNames<Outcome, 4> k_outcome_names{{{{Outcome::applied, "applied"},
                                                            {Outcome::resumed, "resumed"},
                                                            {Outcome::would_apply, "would-apply"},
                                                            {Outcome::held, "held"}}}};
static_assert(k_outcome_names.unique());

std::string_view to_string(Outcome outcome) noexcept
{
    return k_outcome_names.name(outcome);
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
