// Fuzz target: a migration file. The first line of the input is the file's name (the
// layout classification reads it), the rest its text: directives, the SQL parser, the
// planner, and the plan's JSON, SARIF and text renderings (each JSON must parse back).
#include "fuzz_support.hpp"
#include "model/layout.hpp"

#include <migsafe/model/directive.hpp>
#include <migsafe/model/parser.hpp>
#include <migsafe/plan/analyze.hpp>
#include <migsafe/plan/render.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <span>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace migsafe;
    const auto input = fuzz::as_text(data, size);
    const auto newline = input.find('\n');
    const std::string name(input.substr(0, std::min<std::size_t>(newline, 255)));
    const auto sql =
        newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
    fuzz::expect_only_migsafe_errors([&] {
        if (!name.empty()) {
            model::detail::classify_entry(name, false);
        }
    });
    fuzz::expect_only_migsafe_errors([&] {
        const std::filesystem::path file = "migrations/0001_fuzz.sql";
        auto planned = plan::plan_input(model::parse_directives(sql, file), file);
        planned.statements = model::parse_sql(sql, file);
        const auto report = plan::analyze(std::span(&planned, 1));
        const auto json = report.to_json();
        fuzz::require(nlohmann::json::accept(json), "the plan's JSON parses");
        fuzz::require(plan::PlanReport::from_json(json).to_json() == json,
                      "the plan's JSON reads back to the same document");
        fuzz::require(nlohmann::json::accept(plan::render_sarif(report)), "SARIF parses");
        plan::render_text(report);
    });
    return 0;
}
