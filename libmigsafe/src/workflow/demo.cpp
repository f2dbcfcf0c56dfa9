#include "model/version_format.hpp"
#include "platform/logging.hpp"

#include <migsafe/flags/gate.hpp>
#include <migsafe/flags/json.hpp>
#include <migsafe/flags/store.hpp>
#include <migsafe/integrity/diff.hpp>
#include <migsafe/integrity/verify.hpp>
#include <migsafe/model/migration_set.hpp>
#include <migsafe/model/sum_file.hpp>
#include <migsafe/plan/analyze.hpp>
#include <migsafe/platform/duration.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/files.hpp>
#include <migsafe/platform/session.hpp>
#include <migsafe/platform/transaction.hpp>
#include <migsafe/snapshot/create.hpp>
#include <migsafe/snapshot/verify.hpp>
#include <migsafe/trace/trace.hpp>
#include <migsafe/workflow/apply.hpp>
#include <migsafe/workflow/check.hpp>
#include <migsafe/workflow/demo.hpp>
#include <migsafe/workflow/drill.hpp>
#include <migsafe/workflow/rehearse.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>

namespace migsafe::workflow {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string summarize(const std::string& sql)
{
    constexpr std::size_t k_width = 72;
    std::string line = sql.substr(0, sql.find('\n'));
    if (line.size() > k_width) {
        line = line.substr(0, k_width - 3) + "...";
    }
    return line;
}

DemoMigration describe(const model::Migration& migration)
{
    const auto& directives = migration.up.directives;
    DemoMigration out;
    out.version = migration.version;
    out.name = migration.name;
    out.layout = std::string(model::to_string(migration.layout));
    out.transactional = directives.transactional == model::Transactional::yes;
    if (directives.phase) {
        out.phase = std::string(model::to_string(*directives.phase));
    }
    for (const auto& allowed : directives.allowed) {
        out.allowed.push_back(allowed.rule_id);
    }
    for (const auto& statement : migration.up.statements) {
        out.statements.push_back({.kind = std::string(model::to_string(statement.kind)),
                                  .file = migration.up.relative_path,
                                  .line = statement.line,
                                  .column = statement.column,
                                  .summary = summarize(statement.sql),
                                  .phase = {},
                                  .lock = {},
                                  .findings = {}});
    }
    return out;
}

/// Adds what the static plan says of a statement.
void annotate(DemoStatement& shown, const plan::StatementPlan& planned)
{
    shown.phase = std::string(plan::to_string(planned.phase));
    const plan::Lock* strongest = nullptr;
    for (const auto& lock : planned.locks) {
        if (strongest == nullptr || lock.mode > strongest->mode) {
            strongest = &lock;
        }
    }
    if (strongest != nullptr) {
        shown.lock = fmt::format("{} on {}", plan::to_string(strongest->mode), strongest->relation);
    }
    for (const auto& finding : planned.findings) {
        shown.findings.push_back(
            fmt::format("{} {}", finding.rule,
                        finding.allowed ? "allowed" : plan::to_string(finding.severity)));
    }
}

/// Podiatrists listed before release 5 (full_name only): the rows 0006 backfills.
constexpr const char* k_early_professionals =
    "INSERT INTO professionals (full_name, email, city) "
    "SELECT 'Dr ' || initcap(md5(i::text)::varchar(8)), 'early' || i || '@example.org', "
    "(ARRAY['Lyon', 'Paris', 'Nantes', 'Lille'])[1 + i % 4] FROM generate_series(1, 2500) AS i";

/// One apply run of the demo; what it applied goes into the migrations' lines.
void apply_run(const std::string& conninfo, const model::MigrationSet& set,
               const std::filesystem::path& store, DemoRun step, ApplyOptions options,
               DemoReport& report)
{
    options.store = store;
    options.snapshot = SnapshotPolicy::take; // the runbook: a snapshot before risky steps
    options.retry_pause = std::chrono::milliseconds(100);
    auto result = apply(conninfo, set, options);
    step.applied = result.applied;
    step.snapshot_id = result.snapshot_id;
    step.ms = result.duration_ms;
    const int run = static_cast<int>(report.runs.size()) + 1;
    for (const auto& m : result.migrations) {
        if (m.outcome == Outcome::held && step.held.empty()) {
            step.held = fmt::format("{:04}: {}", m.version, m.reason);
        }
        for (auto& shown : report.migrations) {
            if (shown.version == m.version && m.outcome == Outcome::applied) {
                shown.apply_ms = static_cast<double>(m.duration_ms);
                shown.run = run;
                shown.backfill_rows = m.backfill_rows;
                shown.backfill_batches = m.backfill_batches;
            }
        }
    }
    if (result.verdict == plan::Verdict::fail) {
        throw Error("internal-assertion", fmt::format("the demo's apply run '{}' was refused: {}",
                                                      step.step, fmt::join(result.problems, "; ")));
    }
    detail::log_info("apply run {} ({}): {} applied", run, step.step, step.applied);
    report.runs.push_back(std::move(step));
}

/// The cut-over gate before the run that reaches the gated contract (`run`): the flag each
/// migration requires is created, the run is refused, the flag is turned fully on, and
/// the gate passes. Returns the time that run is judged at: a migration that asks for the
/// flag `on-for` a while is judged that much later (the demo cannot wait a week), said in
/// `report.gate`.
std::optional<flags::TimePoint> open_gate(const std::string& conninfo,
                                          const model::MigrationSet& set,
                                          const std::filesystem::path& store,
                                          platform::Session& session, ApplyOptions run,
                                          DemoReport& report)
{
    std::vector<model::FlagRequirement> required;
    for (const auto& migration : set.migrations) {
        const auto& flags_required = migration.up.directives.required_flags;
        required.insert(required.end(), flags_required.begin(), flags_required.end());
    }
    if (required.empty()) {
        return std::nullopt;
    }
    flags::ensure_store(session);
    const flags::Change setup{.actor = "migsafe demo",
                              .reason = "guards the contract of the podiatry fixtures"};
    for (const auto& requirement : required) {
        flags::create_flag(session,
                           {.key = requirement.key,
                            .description = "readers use the new shape; the old one may go",
                            .owner = "podiatry team",
                            .kind = flags::Kind::cut_over,
                            .criteria = "every reader uses the new column; no read of the old "
                                        "one in a week of query logs"},
                           setup);
        report.gate.push_back(
            fmt::format("created flag {} (cut-over, owner podiatry team), off", requirement.key));
    }
    // The run as apply_run makes it: the gate refuses it before its snapshot or anything.
    run.store = store;
    run.snapshot = SnapshotPolicy::take;
    auto refused = apply(conninfo, set, run);
    const bool by_the_gate =
        refused.problems.size() == 1 &&
        refused.problems[0].find("flag " + required.front().key) != std::string::npos;
    if (refused.verdict != plan::Verdict::fail || refused.applied != 0 || !by_the_gate) {
        throw Error("internal-assertion",
                    fmt::format("the demo's apply run was not refused by the cut-over gate: {}",
                                fmt::join(refused.problems, "; ")));
    }
    report.gate.push_back("apply refused: " + refused.problems[0]);
    std::chrono::seconds longest{0};
    for (const auto& requirement : required) {
        const flags::Change change{.actor = "migsafe demo",
                                   .reason = "every reader uses display_name since release 5"};
        flags::set_enabled(session, requirement.key, requirement.env, true, change);
        flags::set_rollout(session, requirement.key, requirement.env, 100, change);
        report.gate.push_back(fmt::format("turned flag {} fully on in {} (100 %), reason: {}",
                                          requirement.key, requirement.env, change.reason));
        longest = std::max(longest, requirement.on_for);
    }
    const auto now = flags::Clock::now() + longest + std::chrono::minutes(1);
    if (longest.count() > 0) {
        report.gate.push_back(fmt::format(
            "the contract asks for on-for={}: the demo judges the gate at {}, {} and a minute "
            "from now (its clock moves ahead; a real deploy waits)",
            format_duration(longest), flags::format_time(now), format_duration(longest)));
    }
    for (const auto& requirement : required) {
        const auto verdict = flags::check_gate(session, requirement, now);
        report.gate.push_back(
            fmt::format("gate {}: {}", verdict.pass ? "passes" : "refuses", verdict.message));
    }
    return now;
}

/// The releases go out the way the runbook says: the first tables, then (with rows in
/// professionals) expand + backfill, then contract, then the rest (with podiatry's 0012,
/// once its cut-over flag is fully on).
void apply_in_phases(const std::string& conninfo, const model::MigrationSet& set,
                     const std::filesystem::path& store, platform::Session& session,
                     DemoReport& report)
{
    ApplyOptions first;
    first.to = 4;
    apply_run(conninfo, set, store, {.step = "releases 1-4: the tables", .phase = "all"}, first,
              report);
    session.exec(k_early_professionals);
    ApplyOptions expand;
    expand.phase = PhaseFilter::expand;
    apply_run(conninfo, set, store,
              {.step = "release 5 on: expand and backfill", .phase = "expand"}, expand, report);
    ApplyOptions contract;
    contract.phase = PhaseFilter::contract;
    apply_run(conninfo, set, store, {.step = "after the deploy: contract", .phase = "contract"},
              contract, report);
    // 0012, the contract of display_name, comes after 0011 (an expand step): this run
    // reaches it, once its cut-over flag is fully on.
    ApplyOptions next;
    next.now = open_gate(conninfo, set, store, session, next, report);
    apply_run(conninfo, set, store, {.step = "the next releases", .phase = "all"}, next, report);
    report.pending_after =
        static_cast<int>(std::count_if(report.migrations.begin(), report.migrations.end(),
                                       [](const auto& m) { return m.run == 0; }));
}

/// The runbook's backup steps on the seeded database: a snapshot, a level-2 verify, and a
/// drill into a second ephemeral cluster. The store lives inside the cluster's directory,
/// so it goes (or is kept) with it.
void snapshot_and_drill(const std::string& conninfo, const std::filesystem::path& store,
                        DemoReport& report)
{
    auto created = snapshot::create(conninfo, store);
    report.snapshot_id = created.manifest.id;
    report.snapshot_stored_bytes = created.manifest.total_stored_size();
    report.snapshot_verified_level =
        snapshot::verify(store, created.manifest.id, {.level = 2}).level_reached;
    auto drilled = drill(store, created.manifest.id);
    report.drill_passed = drilled.passed;
    report.drill_rto_ms = drilled.rto_ms;
}

/// Every migration applied, rolled back, applied again and interrupted (its own cluster).
void rehearse_set(const model::MigrationSet& set, DemoReport& report)
{
    const auto rehearsal = rehearse(set, {.rows = 20});
    for (const auto& m : rehearsal.migrations) {
        report.rehearsal.push_back(fmt::format(
            "{} {}: up {}, down {}, compensation {}, redo {}, interrupt {}", m.version.padded(),
            m.name, to_string(m.up.status), to_string(m.down.status),
            to_string(m.compensation.status), to_string(m.redo.status), to_string(m.interrupt)));
    }
    report.rehearsal_verdict = rehearsal.failed() ? "fail" : "pass";
}

} // namespace

DemoReport run_demo(const DemoOptions& options)
{
    const auto started = Clock::now();
    DemoReport report;
    auto set = model::load_migration_set(options.fixtures);
    model::require_sum_file(set);
    report.sum_file_matches = true;
    report.fixtures = set.directory.string();
    auto plan = plan::analyze_releases(set, std::nullopt);
    report.plan_verdict = std::string(plan::to_string(plan.verdict));
    report.plan_summary =
        fmt::format("{} errors, {} warnings, {} infos, {} allowed", plan.counts.errors,
                    plan.counts.warnings, plan.counts.infos, plan.counts.allowed);
    std::size_t planned = 0;
    auto traced = trace::trace(set); // on a scratch cluster of its own, always removed
    report.trace_compared = traced.compared;
    report.trace_agreed = traced.agreed;
    report.trace_disagreements = traced.disagreements;

    auto cluster = platform::EphemeralCluster::start({.keep = options.keep});
    report.cluster_start_ms = static_cast<double>(cluster.start_duration().count());
    if (cluster.kept()) {
        report.cluster_dir = cluster.base_dir().string();
    }
    auto session = platform::Session::connect(cluster.conninfo());
    report.server_version = session.server_version();

    for (const auto& migration : set.migrations) {
        auto shown = describe(migration);
        for (auto& statement : shown.statements) {
            if (planned < plan.statements.size()) {
                annotate(statement, plan.statements[planned++]);
            }
        }
        report.migrations.push_back(std::move(shown));
    }
    apply_in_phases(cluster.conninfo(), set, cluster.base_dir() / "snapshots", session, report);
    if (!options.seed.empty()) {
        const auto verifying = Clock::now();
        integrity::ScanOptions scan;
        scan.exclude = {"migsafe.*"}; // the apply history is not application data
        auto before = integrity::scan(cluster.conninfo(), scan);
        report.verify_ms = ms_since(verifying);
        {
            platform::Transaction transaction(session);
            session.exec(platform::read_file(options.seed));
            transaction.commit();
        }
        report.seed = options.seed.string();
        const auto verifying_after = Clock::now();
        scan.jobs = 2;
        auto after = integrity::scan(cluster.conninfo(), scan);
        report.verify_ms += ms_since(verifying_after);
        for (const auto& table : after.tables) {
            const auto* old = before.find_table(table.qualified_name());
            report.tables.push_back({.table = table.qualified_name(),
                                     .rows_before = old != nullptr ? old->checksum.rows : 0,
                                     .rows_after = table.checksum.rows,
                                     .checksum_after = table.checksum.sums_hex()});
        }
        for (const auto& difference : integrity::diff(before, after)) {
            report.verify_differences.push_back(difference.describe());
        }
        snapshot_and_drill(cluster.conninfo(), cluster.base_dir() / "snapshots", report);
        const auto gate =
            check(cluster.conninfo(), set.directory, {.store = cluster.base_dir() / "snapshots"});
        report.check_verdict = gate.passed() ? "pass" : "fail";
        for (const auto& item : gate.items) {
            report.check_items.push_back(
                fmt::format("{} {}: {}", to_string(item.status), item.name, item.summary));
        }
    }
    cluster.stop();
    rehearse_set(set, report);
    report.total_ms = ms_since(started);
    return report;
}

std::string to_json(const DemoReport& report)
{
    nlohmann::json migrations = nlohmann::json::array();
    for (const auto& m : report.migrations) {
        nlohmann::json statements = nlohmann::json::array();
        for (const auto& s : m.statements) {
            statements.push_back({{"kind", s.kind},
                                  {"file", s.file},
                                  {"line", s.line},
                                  {"column", s.column},
                                  {"summary", s.summary},
                                  {"phase", s.phase},
                                  {"lock", s.lock},
                                  {"findings", s.findings}});
        }
        migrations.push_back({{"version", m.version},
                              {"name", m.name},
                              {"layout", m.layout},
                              {"phase", m.phase ? nlohmann::json(*m.phase) : nlohmann::json()},
                              {"transactional", m.transactional},
                              {"allowed", m.allowed},
                              {"statements", statements},
                              {"apply_ms", m.apply_ms},
                              {"run", m.run},
                              {"backfill_rows", m.backfill_rows},
                              {"backfill_batches", m.backfill_batches}});
    }
    nlohmann::json runs = nlohmann::json::array();
    for (const auto& r : report.runs) {
        runs.push_back({{"step", r.step},
                        {"phase", r.phase},
                        {"applied", r.applied},
                        {"held", r.held},
                        {"snapshot_id", r.snapshot_id},
                        {"ms", r.ms}});
    }
    nlohmann::json tables = nlohmann::json::array();
    for (const auto& t : report.tables) {
        tables.push_back({{"table", t.table},
                          {"rows_before", t.rows_before},
                          {"rows_after", t.rows_after},
                          {"checksum_after", t.checksum_after}});
    }
    nlohmann::json doc{
        {"server_version", report.server_version},
        {"cluster_start_ms", report.cluster_start_ms},
        {"cluster_dir",
         report.cluster_dir.empty() ? nlohmann::json() : nlohmann::json(report.cluster_dir)},
        {"fixtures", report.fixtures},
        {"sum_file_matches", report.sum_file_matches},
        {"plan_verdict", report.plan_verdict},
        {"plan_summary", report.plan_summary},
        {"trace_compared", report.trace_compared},
        {"trace_agreed", report.trace_agreed},
        {"trace_disagreements", report.trace_disagreements},
        {"migrations", migrations},
        {"runs", runs},
        {"gate", report.gate},
        {"pending_after", report.pending_after},
        {"seed", report.seed.empty() ? nlohmann::json() : nlohmann::json(report.seed)},
        {"tables", tables},
        {"verify_differences", report.verify_differences},
        {"verify_ms", report.verify_ms},
        {"snapshot_id", report.snapshot_id},
        {"snapshot_stored_bytes", report.snapshot_stored_bytes},
        {"snapshot_verified_level", report.snapshot_verified_level},
        {"drill_passed", report.drill_passed},
        {"drill_rto_ms", report.drill_rto_ms},
        {"check_verdict", report.check_verdict},
        {"check_items", report.check_items},
        {"rehearsal", report.rehearsal},
        {"rehearsal_verdict", report.rehearsal_verdict},
        {"total_ms", report.total_ms}};
    return doc.dump();
}

} // namespace migsafe::workflow
