// migsafe demo: the whole flow on an ephemeral cluster and the podiatry fixtures.
#include "command.hpp"

#include <migsafe/workflow/demo.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>

namespace migsafe::cli {
namespace {

struct DemoArgs {
    std::string fixtures;
    bool keep = false;
    bool json = false;
};

/// The podiatry fixtures of this source tree, else of the installed tree.
std::filesystem::path default_fixtures()
{
    std::filesystem::path source = std::filesystem::path(MIGSAFE_SOURCE_DIR) / "sql-fixtures";
    if (std::filesystem::exists(source / "podiatry")) {
        return source;
    }
    return std::filesystem::path(MIGSAFE_INSTALL_DATADIR) / "migsafe" / "sql-fixtures";
}

std::string render_text(const workflow::DemoReport& report, bool color)
{
    std::string out = fmt::format("{} ephemeral PostgreSQL {}.{} started in {:.0f} ms\n",
                                  paint("cluster", "1", color), report.server_version / 10000,
                                  report.server_version % 100, report.cluster_start_ms);
    out += fmt::format("{} {} ({} migrations, migsafe.sum matches)\n", paint("set", "1", color),
                       report.fixtures, report.migrations.size());
    out += fmt::format("{} verdict {} ({}); `migsafe plan` shows each finding and its fix\n",
                       paint("plan", "1", color), report.plan_verdict, report.plan_summary);
    out += fmt::format("{} {} statements run on a scratch cluster and rolled back: {} agree "
                       "with the static plan; `migsafe plan --trace` lists the rest\n\n",
                       paint("trace", "1", color), report.trace_compared, report.trace_agreed);
    std::size_t statements = 0;
    for (const auto& m : report.migrations) {
        std::string tags = m.phase ? "phase " + *m.phase : "phase from the plan";
        if (!m.transactional) {
            tags += ", no-transaction";
        }
        for (const auto& rule : m.allowed) {
            tags += ", allows " + rule;
        }
        std::string applied =
            m.run == 0 ? std::string("not applied")
                       : fmt::format("applied by run {} in {:.0f} ms", m.run, m.apply_ms);
        if (m.backfill_batches > 0) {
            applied += fmt::format(" ({} rows in {} batches)", m.backfill_rows, m.backfill_batches);
        }
        out += fmt::format("{} {}  [{}]  {}\n", paint(m.version.padded(), "1;36", color), m.name,
                           tags, applied);
        for (const auto& s : m.statements) {
            out += fmt::format("    {}:{}:{}  {:<16} {}\n", s.file, s.line, s.column, s.kind,
                               s.summary);
            out += fmt::format("        plan: {}, {}{}{}\n", s.phase,
                               s.lock.empty() ? "no lock" : s.lock, s.findings.empty() ? "" : "; ",
                               fmt::format("{}", fmt::join(s.findings, ", ")));
        }
        statements += m.statements.size();
    }
    if (!report.gate.empty()) {
        out += fmt::format("\n{} the contract waits for its cut-over flag:\n",
                           paint("gate", "1", color));
        for (const auto& line : report.gate) {
            out += "    " + line + "\n";
        }
    }
    out += fmt::format("\n{} migsafe apply, in {} runs as the runbook deploys releases:\n",
                       paint("apply", "1", color), report.runs.size());
    for (std::size_t i = 0; i < report.runs.size(); ++i) {
        const auto& r = report.runs[i];
        out += fmt::format("    run {} --phase {:<8} {:<36} {} applied{}\n", i + 1, r.phase, r.step,
                           r.applied, r.snapshot_id.empty() ? "" : ", snapshot " + r.snapshot_id);
        if (!r.held.empty()) {
            out += "        stopped before " + r.held + "\n";
        }
    }
    out += fmt::format("\n{} statements in {} migrations applied", statements,
                       report.migrations.size() - static_cast<std::size_t>(report.pending_after));
    if (!report.seed.empty()) {
        out += fmt::format(", then the seed {}", report.seed);
    }
    out += fmt::format("; {:.0f} ms in all\n", report.total_ms);
    if (!report.tables.empty()) {
        out += fmt::format("\n{} before and after the seed ({:.0f} ms for both scans)\n",
                           paint("verify", "1", color), report.verify_ms);
        for (const auto& t : report.tables) {
            out += fmt::format("    {:<36} {:>7} -> {:<7} {}\n", t.table, t.rows_before,
                               t.rows_after, t.checksum_after);
        }
        out += fmt::format("    {} difference(s) between the two reports, as expected from "
                           "the seed\n",
                           report.verify_differences.size());
    }
    if (!report.snapshot_id.empty()) {
        out += fmt::format("\n{} {} ({} bytes stored), verified at level {}\n",
                           paint("snapshot", "1", color), report.snapshot_id,
                           report.snapshot_stored_bytes, report.snapshot_verified_level);
        out += fmt::format("{} restored into a scratch cluster and compared with the manifest: "
                           "{}, RTO {} ms\n",
                           paint("drill", "1", color), report.drill_passed ? "passed" : "FAILED",
                           report.drill_rto_ms);
    }
    if (!report.check_verdict.empty()) {
        out += fmt::format("\n{} the gate the next release would meet (migsafe check): {}\n",
                           paint("check", "1", color), report.check_verdict);
        for (const auto& item : report.check_items) {
            out += "    " + item + "\n";
        }
    }
    if (!report.rehearsal_verdict.empty()) {
        out += fmt::format("\n{} every migration applied, rolled back, applied again and "
                           "interrupted on a cluster of its own (migsafe rehearse): {}\n",
                           paint("rehearse", "1", color), report.rehearsal_verdict);
        for (const auto& line : report.rehearsal) {
            out += "    " + line + "\n";
        }
    }
    out += report.cluster_dir.empty()
               ? std::string("the cluster is stopped and its directory removed\n")
               : fmt::format("the cluster is stopped; kept its directory {}\n", report.cluster_dir);
    return out;
}

Outcome run_demo(const DemoArgs& args)
{
    std::filesystem::path root = args.fixtures.empty() ? default_fixtures() : "";
    workflow::DemoOptions options{
        .fixtures =
            args.fixtures.empty() ? root / "podiatry" : std::filesystem::path(args.fixtures),
        .seed = args.fixtures.empty() ? root / "podiatry-seed.sql" : std::filesystem::path(),
        .keep = args.keep ? platform::Keep::yes : platform::Keep::no};
    auto report = workflow::run_demo(options);
    return {.exit_code = 0,
            .report = nullptr,
            .report_json = workflow::to_json(report),
            .text = render_text(report, use_color(stdout))};
}

} // namespace

void register_demo(CLI::App& app, Selected& selected)
{
    auto args = std::make_shared<DemoArgs>();
    auto* sub = app.add_subcommand(
        "demo", "The whole flow on an ephemeral PostgreSQL cluster and the podiatry fixtures");
    sub->add_option("--fixtures", args->fixtures,
                    "The migration set to use (default: sql-fixtures/podiatry)");
    sub->add_flag("--keep", args->keep, "Keep the cluster's directory and server log");
    sub->add_flag("--json", args->json, "Print the report as one JSON document");
    sub->footer("Examples:\n"
                "  migsafe demo\n"
                "  migsafe demo --keep --json > demo.json");
    sub->callback([&selected, args] {
        selected = {.name = "demo",
                    .format = args->json ? OutputFormat::json : OutputFormat::text,
                    .body = [args] { return run_demo(*args); }};
    });
}

} // namespace migsafe::cli
