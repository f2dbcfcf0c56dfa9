// migsafe adopt: another runner's history (Prisma, Flyway, golang-migrate, dbmate, Rails,
// diesel) imported into migsafe.history after checking it against the files.
#include "command.hpp"

#include <migsafe/adopt/tool.hpp>
#include <migsafe/model/migration_set.hpp>
#include <migsafe/platform/session.hpp>
#include <migsafe/workflow/adopt.hpp>

#include <fmt/format.h>

namespace migsafe::cli {
namespace {

struct AdoptArgs {
    std::string from;
    std::string db;
    std::string dir = "migrations";
    std::string schema;
    std::string table;
    std::string wait = "30s";
    bool dry_run = false;
    bool json = false;
};

std::string render(const workflow::AdoptReport& report)
{
    const bool color = use_color(stdout);
    std::string text =
        fmt::format("{} history {} ({} rows){}\n", adopt::to_string(report.tool), report.table,
                    report.rows, report.dry_run ? ", dry run: nothing written" : "");
    for (const auto& m : report.migrations) {
        switch (m.state) {
        case workflow::AdoptState::imported:
        case workflow::AdoptState::already_adopted: {
            std::string when = m.applied_at.empty() ? std::string() : " applied " + m.applied_at;
            if (!m.applied_by.empty()) {
                when += " by " + m.applied_by;
            }
            text += fmt::format("  {:<16} {:<24} {}{}\n",
                                paint(m.state == workflow::AdoptState::imported
                                          ? (report.written ? "imported" : "to import")
                                          : "already adopted",
                                      "32", color),
                                m.tool_version, m.file, when);
            break;
        }
        case workflow::AdoptState::refused:
            text += fmt::format("  {:<16} {}\n  {:<16} fix: {}\n", paint("refused", "31", color),
                                m.reason, "", m.fix);
            break;
        }
    }
    for (const auto& warning : report.warnings) {
        text += fmt::format("  {:<16} {}\n", paint("warning", "33", color), warning);
    }
    text += fmt::format(
        "{} {}, {} already adopted, {} refused{}\n", report.count(workflow::AdoptState::imported),
        report.written || report.count(workflow::AdoptState::imported) == 0 ? "imported"
                                                                            : "to import",
        report.count(workflow::AdoptState::already_adopted),
        report.count(workflow::AdoptState::refused),
        report.refused() ? ": nothing imported; fix the refused rows with the "
                           "tool's own command, then adopt again"
                         : "");
    return text;
}

Outcome run_adopt(const AdoptArgs& args)
{
    const auto tool = adopt::tool_from_option(args.from, "--from");
    const auto wait = duration_option(args.wait, "--wait");
    auto set = model::load_migration_set(args.dir);
    auto session = platform::Session::connect(resolve_conninfo(args.db),
                                              {.application_name = "migsafe adopt"});
    auto report = workflow::adopt(
        session, set,
        {.tool = tool,
         .schema = args.schema,
         .table = args.table,
         .mode = args.dry_run ? workflow::AdoptMode::dry_run : workflow::AdoptMode::write,
         .directory = args.dir,
         .wait = wait});
    Outcome outcome;
    outcome.exit_code = report.refused() ? 1 : 0;
    outcome.text = render(report);
    outcome.report_json = report.to_json();
    return outcome;
}

} // namespace

void register_adopt(CLI::App& app, Selected& selected)
{
    auto args = std::make_shared<AdoptArgs>();
    auto* sub = app.add_subcommand(
        "adopt", "Import another runner's history (Prisma, Flyway, ...) into migsafe.history");
    sub->add_option("--from", args->from,
                    "The runner: prisma, flyway, golang-migrate, dbmate, rails or diesel")
        ->required();
    sub->add_option("--db", args->db, "Connection string (else DATABASE_URL, else PG* variables)");
    sub->add_option("--dir", args->dir,
                    "The migration directory the runner uses (default: ./migrations)");
    sub->add_option("--schema", args->schema,
                    "The schema of the runner's history table (default: the current schema, "
                    "then public)");
    sub->add_option("--table", args->table,
                    "The runner's history table (default: the runner's own name)");
    sub->add_option("--wait", args->wait,
                    "How long to wait for a running migsafe apply's lock (default: 30s)");
    sub->add_flag("--dry-run", args->dry_run,
                  "Check and show what would be imported; write nothing");
    sub->add_flag("--json", args->json, "Print the report as one JSON document");
    sub->footer("Examples:\n"
                "  migsafe adopt --from prisma --db \"$DATABASE_URL\" --dir prisma/migrations "
                "--dry-run\n"
                "  migsafe adopt --from flyway --dir src/main/resources/db/migration\n"
                "Exit 1 when a row is refused (a failed or unfinished migration, an edited or "
                "missing file): nothing is imported then.");
    sub->callback([&selected, args] {
        selected = {.name = "adopt",
                    .format = args->json ? OutputFormat::json : OutputFormat::text,
                    .body = [args] { return run_adopt(*args); }};
    });
}

} // namespace migsafe::cli
