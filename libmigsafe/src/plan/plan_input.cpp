// From the model's migration files and directives to the planner's input.
#include "plan/context.hpp"
#include "platform/parallel.hpp"

#include <migsafe/model/directive.hpp>
#include <migsafe/model/migration_set.hpp>
#include <migsafe/model/parser.hpp>
#include <migsafe/plan/analyze.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/files.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <map>

namespace migsafe::plan {
namespace {

Phase to_plan_phase(model::Phase phase)
{
    switch (phase) {
    case model::Phase::expand:
        return Phase::expand;
    case model::Phase::backfill:
        return Phase::backfill;
    case model::Phase::contract:
        return Phase::contract;
    }
    return Phase::expand;
}

// The closest rule id to `id`, for the "did you mean" of an unknown one.
std::string_view closest_rule(std::string_view id)
{
    std::string_view best = rule_catalog().front().id;
    std::size_t best_score = 0;
    for (const auto& rule : rule_catalog()) {
        std::size_t score = 0;
        while (score < id.size() && score < rule.id.size() && id[score] == rule.id[score]) {
            ++score;
        }
        if (score > best_score) {
            best = rule.id;
            best_score = score;
        }
    }
    return best;
}

} // namespace

PlanInput plan_input(const model::Directives& directives, const std::filesystem::path& file)
{
    PlanInput input{.file = file};
    input.transaction = directives.transactional == model::Transactional::yes ? Transaction::wrapped
                                                                              : Transaction::none;
    if (directives.phase) {
        input.phase = to_plan_phase(*directives.phase);
    }
    for (const auto& allowed : directives.allowed) {
        const auto known = find_rule(allowed.rule_id);
        if (!known) {
            throw Error(
                "directive-malformed",
                fmt::format("`-- migsafe:allow` names the unknown rule {}", allowed.rule_id),
                {.file = file.string(), .line = allowed.line, .column = 1},
                fmt::format("did you mean {}? The rules are listed in docs/rules/",
                            closest_rule(allowed.rule_id)));
        }
        input.allows.push_back({std::string(known->id), allowed.reason});
    }
    return input;
}

PlanInput read_plan_directives(std::string_view sql, const std::filesystem::path& file)
{
    return plan_input(model::parse_directives(sql, file), file);
}

namespace {

std::vector<PlanInput> inputs_of(const model::MigrationSet& set)
{
    std::vector<PlanInput> inputs;
    inputs.reserve(set.migrations.size());
    for (const auto& migration : set.migrations) {
        const auto& up = migration.up;
        PlanInput input = plan_input(up.directives, up.relative_path);
        input.statements = up.statements;
        for (auto& statement : input.statements) {
            statement.file = up.relative_path;
        }
        inputs.push_back(std::move(input));
    }
    return inputs;
}

} // namespace

std::vector<PlanInput> read_plan_inputs(std::span<const std::filesystem::path> files)
{
    std::vector<PlanInput> inputs(files.size());
    platform::parallel_for(files.size(), platform::usable_cores(), [&](std::size_t i) {
        const auto& path = files[i];
        std::string text;
        try {
            text = platform::read_file(path);
        } catch (const Error& e) {
            if (e.code() != "input-not-found") {
                throw;
            }
            throw Error(e.code(), e.message(), e.context(),
                        "pass a migration directory or .sql files that exist");
        }
        inputs[i] = read_plan_directives(text, path);
        inputs[i].statements = model::parse_sql(text, path);
    });
    return inputs;
}

PlanReport analyze(const model::MigrationSet& set, const PlanOptions& options)
{
    return analyze(inputs_of(set), options);
}

PlanReport analyze_releases(const model::MigrationSet& set,
                            std::optional<model::Version> release_from, const PlanOptions& options)
{
    auto inputs = inputs_of(set);
    std::span<const PlanInput> all(inputs);
    PlanReport merged = analyze(std::span<const PlanInput>{}, options);
    std::size_t total = 0;
    for (const auto& input : inputs) {
        total += input.statements.size();
    }
    merged.statements.reserve(total);
    detail::ReleaseContext schema; // what the earlier releases built
    auto add = [&merged, &options, &schema](std::span<const PlanInput> release) {
        auto report = detail::analyze_release(release, options, schema);
        merged.statements.insert(merged.statements.end(),
                                 std::make_move_iterator(report.statements.begin()),
                                 std::make_move_iterator(report.statements.end()));
    };
    std::size_t i = 0;
    for (; i < set.migrations.size(); ++i) {
        if (release_from && set.migrations[i].version >= *release_from) {
            break;
        }
        add(all.subspan(i, 1));
    }
    if (i < set.migrations.size()) {
        add(all.subspan(i));
    }
    settle_verdict(merged);
    return merged;
}

} // namespace migsafe::plan
