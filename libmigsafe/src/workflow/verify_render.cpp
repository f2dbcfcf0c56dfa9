// The documents of a verify run (include/migsafe/workflow/verify.hpp): its JSON
// (docs/json.md) and its text.
#include <migsafe/integrity/diff.hpp>
#include <migsafe/workflow/verify.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

namespace migsafe::workflow {
namespace {

std::string render_differences(const std::vector<integrity::Difference>& differences)
{
    std::string text;
    for (const auto& d : differences) {
        text += "  " + d.describe() + "\n";
    }
    return text;
}

std::string render_report(const integrity::IntegrityReport& report)
{
    std::string text = fmt::format("{:<48} {:>12}  {}\n", "table", "rows", "checksum");
    for (const auto& t : report.tables) {
        text += fmt::format("{:<48} {:>12}  {}\n", t.qualified_name(), t.checksum.rows,
                            t.checksum.sums_hex());
    }
    return text;
}

std::string amcheck_text(const integrity::AmcheckResult& amcheck)
{
    return amcheck.corruption_found ? fmt::format("pg_amcheck found corruption:\n  {}\n",
                                                  fmt::join(amcheck.problems, "\n  "))
                                    : "pg_amcheck found no corruption\n";
}

} // namespace

std::string VerifyResult::to_json() const
{
    if (comparison) {
        return comparison->to_json();
    }
    nlohmann::json amcheck_json;
    if (amcheck) {
        amcheck_json = {{"corruption_found", amcheck->corruption_found},
                        {"problems", amcheck->problems}};
    }
    nlohmann::json document = {
        {"integrity", nlohmann::json::parse(report.to_json())},
        {"differences", nlohmann::json::parse(integrity::differences_to_json(differences))},
        {"baseline", baseline ? nlohmann::json(baseline_path.string()) : nlohmann::json()},
        {"amcheck", amcheck_json},
        {"localisations", nlohmann::json::parse(integrity::localisations_to_json(localisations))}};
    return document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string VerifyResult::to_text() const
{
    if (comparison) {
        std::string text =
            comparison->equal()
                ? fmt::format("the two databases agree: {} tables\n", comparison->a.tables.size())
                : fmt::format("{} difference(s):\n", comparison->differences.size()) +
                      render_differences(comparison->differences);
        for (const auto& table : comparison->tables) {
            text += table.to_text();
        }
        return text;
    }
    std::string text = render_report(report);
    text += differences.empty() ? (baseline ? "matches the baseline\n" : "no problems found\n")
                                : fmt::format("{} difference(s):\n", differences.size()) +
                                      render_differences(differences);
    for (const auto& table : localisations) {
        text += table.to_text();
    }
    if (amcheck) {
        text += amcheck_text(*amcheck);
    }
    return text;
}

} // namespace migsafe::workflow
