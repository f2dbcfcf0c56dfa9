// migsafe sum [DIR] [--check]: writes or checks migsafe.sum.
#include "command.hpp"
#include "layout_option.hpp"

#include <migsafe/model/migration_set.hpp>
#include <migsafe/model/sum_file.hpp>

#include <fmt/format.h>

namespace migsafe::cli {
namespace {

struct SumArgs {
    std::string dir = "migrations";
    std::string layout;
    bool check = false;
    bool json = false;
};

/// A version as every JSON document writes it (docs/json.md): a number when it is one.
nlohmann::json version_json(const model::Version& version)
{
    return version.is_number() ? nlohmann::json(version.major()) : nlohmann::json(version.text());
}

nlohmann::json entries_json(const model::SumFile& sum)
{
    nlohmann::json entries = nlohmann::json::array();
    for (const auto& e : sum.entries) {
        entries.push_back(
            {{"version", version_json(e.version)}, {"hash", e.hash.to_hex()}, {"path", e.path}});
    }
    return entries;
}

Outcome run_sum(const SumArgs& args)
{
    // Parsing every statement first means a set with a syntax error or a bad directive
    // never gets a sum file.
    auto set = model::load_migration_set(args.dir, load_options_for(args.layout));
    auto sum = model::compute_sum(set);
    Outcome outcome;
    outcome.report = {{"directory", args.dir},
                      {"written", !args.check},
                      {"set_hash", sum.set_hash.to_hex()},
                      {"entries", entries_json(sum)},
                      {"differences", nlohmann::json::array()}};
    if (!args.check) {
        model::write_sum_file(args.dir);
        outcome.text =
            fmt::format("wrote {}/{}: {} files, set {}\n", args.dir, model::k_sum_file_name,
                        sum.entries.size(), sum.set_hash.to_hex());
        return outcome;
    }
    auto differences = model::check_sum_file(set);
    for (const auto& d : differences) {
        outcome.report["differences"].push_back({{"kind", std::string(model::to_string(d.kind))},
                                                 {"version", version_json(d.version)},
                                                 {"path", d.path},
                                                 {"detail", d.detail}});
        outcome.text += fmt::format("{}: {} {}\n", model::to_string(d.kind), d.path, d.detail);
    }
    outcome.exit_code = differences.empty() ? 0 : 1;
    outcome.text +=
        differences.empty()
            ? fmt::format("{}/{} matches the {} migrations\n", args.dir, model::k_sum_file_name,
                          set.migrations.size())
            : fmt::format("{}/{} disagrees: {} difference(s); review the changes, "
                          "then run `migsafe sum {}`\n",
                          args.dir, model::k_sum_file_name, differences.size(), args.dir);
    return outcome;
}

} // namespace

void register_sum(CLI::App& app, Selected& selected)
{
    auto args = std::make_shared<SumArgs>();
    auto* sub = app.add_subcommand("sum", "Write or check migsafe.sum, the checksums of a "
                                          "migration set");
    sub->add_option("DIR", args->dir, "The migration directory (default: ./migrations)");
    add_layout_option(*sub, args->layout);
    sub->add_flag("--check", args->check,
                  "Compare with the existing sum file instead of writing; exit 1 on a "
                  "difference");
    sub->add_flag("--json", args->json, "Print the report as one JSON document");
    sub->footer("Examples:\n"
                "  migsafe sum db/migrations            # after reviewing a new migration\n"
                "  migsafe sum --check db/migrations    # in CI: exit 1 if a migration changed");
    sub->callback([&selected, args] {
        selected = {.name = "sum",
                    .format = args->json ? OutputFormat::json : OutputFormat::text,
                    .body = [args] { return run_sum(*args); }};
    });
}

} // namespace migsafe::cli
