// migsafe apply: the runner. Reads the history under one advisory lock, refuses drift,
// chooses what this run may apply (phases, --to, the contract rule), makes sure of a
// snapshot before risky migrations, then runs each migration and records it.
#include "model/version_format.hpp"
#include "platform/catalog/object_queries.hpp"
#include "platform/catalog/snapshot_queries.hpp"
#include "platform/client_identity.hpp"
#include "platform/elapsed.hpp"
#include "platform/logging.hpp"
#include "workflow/apply_internal.hpp"
#include "workflow/history_store.hpp"
#include "workflow/runner_lock.hpp"

#include <migsafe/adopt/tool_lock.hpp>
#include <migsafe/adopt/tool_row.hpp>
#include <migsafe/flags/gate.hpp>
#include <migsafe/integrity/verify.hpp>
#include <migsafe/model/catalog_facts.hpp>
#include <migsafe/model/sum_file.hpp>
#include <migsafe/model/syntax_check.hpp>
#include <migsafe/plan/analyze.hpp>
#include <migsafe/platform/conninfo.hpp>
#include <migsafe/platform/duration.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/hash.hpp>
#include <migsafe/platform/interrupt.hpp>
#include <migsafe/snapshot/create.hpp>
#include <migsafe/snapshot/verify.hpp>
#include <migsafe/workflow/apply.hpp>
#include <migsafe/workflow/status.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <thread>

namespace migsafe::workflow {
namespace {

using Clock = std::chrono::steady_clock;
using detail::Pending;
using detail::Run;

using platform::ms_since;

std::string new_run_id(const std::string& host)
{
    auto now = std::chrono::system_clock::now().time_since_epoch().count();
    return xxh3_128(fmt::format("{}|{}|{}", host, getpid(), now)).to_hex().substr(0, 16);
}

bool destructive(const model::Statement& statement)
{
    using Kind = model::StatementKind;
    switch (statement.kind) {
    case Kind::drop_table:
    case Kind::drop_other:
    case Kind::truncate:
    case Kind::delete_rows:
        return true;
    default:
        break;
    }
    if (const auto* alter = statement.get_if<model::AlterTable>()) {
        using Action = model::AlterTableAction::Kind;
        return std::any_of(alter->actions.begin(), alter->actions.end(), [](const auto& action) {
            return action.kind == Action::drop_column || action.kind == Action::alter_column_type;
        });
    }
    return false;
}

/// The migration's phase: its directive's, else the strongest of its statements'
/// (contract over expand over backfill; a file of SETs only counts as expand).
plan::Phase phase_of(const model::Migration& migration,
                     const std::vector<plan::StatementPlan>& statements)
{
    if (const auto& phase = migration.up.directives.phase) {
        switch (*phase) {
        case model::Phase::expand:
            return plan::Phase::expand;
        case model::Phase::backfill:
            return plan::Phase::backfill;
        case model::Phase::contract:
            return plan::Phase::contract;
        }
    }
    auto has = [&](plan::Phase phase) {
        return std::any_of(statements.begin(), statements.end(),
                           [phase](const auto& s) { return s.phase == phase; });
    };
    if (has(plan::Phase::contract)) {
        return plan::Phase::contract;
    }
    if (has(plan::Phase::expand)) {
        return plan::Phase::expand;
    }
    return has(plan::Phase::backfill) ? plan::Phase::backfill : plan::Phase::expand;
}

/// A backfill migration: a backfill directive, or a backfill-phase file whose only data
/// statement is one UPDATE.
bool is_backfill(const model::Migration& migration, plan::Phase phase)
{
    if (migration.up.directives.backfill) {
        return true;
    }
    if (phase != plan::Phase::backfill) {
        return false;
    }
    int updates = 0;
    for (const auto& statement : migration.up.statements) {
        if (statement.kind == model::StatementKind::update) {
            ++updates;
        } else if (statement.kind != model::StatementKind::set) {
            return false;
        }
    }
    return updates == 1;
}

Pending pending_of(const model::Migration& migration, std::vector<plan::StatementPlan> planned,
                   const HistoryEntry* history)
{
    Pending pending;
    pending.migration = &migration;
    pending.statements = std::move(planned);
    pending.phase = phase_of(migration, pending.statements);
    pending.backfill = is_backfill(migration, pending.phase);
    pending.history = history;
    const auto& statements = migration.up.statements;
    for (std::size_t i = 0; i < pending.statements.size(); ++i) {
        const auto& planned_statement = pending.statements[i];
        for (const auto& lock : planned_statement.locks) {
            pending.touched.insert(lock.relation);
        }
        if (i < statements.size()) {
            if (const auto* drop = statements[i].get_if<model::DropTable>()) {
                for (const auto& table : drop->tables) {
                    pending.touched.insert(table.qualified());
                }
            }
            if (destructive(statements[i])) {
                auto target = statements[i].target_table();
                pending.destroys.emplace(
                    target ? target->qualified() : std::string(),
                    fmt::format("a destructive {} at {}:{}", to_string(statements[i].kind),
                                migration.up.relative_path, statements[i].line));
            }
        }
        for (const auto& finding : planned_statement.findings) {
            if (!pending.risky && finding.severity == plan::Severity::error) {
                pending.risky = true;
                pending.risky_reason = fmt::format(
                    "{} (error{}) at {}:{}", finding.rule, finding.allowed ? ", allowed" : "",
                    migration.up.relative_path, planned_statement.line);
            }
        }
    }
    return pending;
}

/// A plan's statements, by the file they are in.
std::map<std::string, std::vector<plan::StatementPlan>> plans_by_file(plan::PlanReport report)
{
    std::map<std::string, std::vector<plan::StatementPlan>> out;
    for (auto& statement : report.statements) {
        out[statement.file].push_back(std::move(statement));
    }
    return out;
}

/// The plan of every migration from `first` on (earlier ones are applied releases).
std::map<std::string, std::vector<plan::StatementPlan>>
plan_by_file(const model::MigrationSet& set, const model::Version& first,
             const ApplyOptions& options, const model::CatalogFacts* catalog, int pg_version)
{
    plan::PlanOptions plan_options;
    plan_options.pg_version = pg_version;
    plan_options.catalog = catalog;
    plan_options.runner_lock_timeout_ms = static_cast<int>(options.lock_timeout.count());
    if (options.statement_timeout.count() > 0) {
        plan_options.runner_statement_timeout_ms =
            static_cast<int>(options.statement_timeout.count());
    }
    return plans_by_file(plan::analyze_releases(set, first, plan_options));
}

MigrationRun run_of(const Pending& pending)
{
    MigrationRun out;
    out.version = pending.migration->version;
    out.name = pending.migration->name;
    out.file = pending.migration->up.relative_path;
    out.phase = std::string(plan::to_string(pending.phase));
    out.transactional = pending.migration->up.directives.transactional == model::Transactional::yes;
    out.backfill = pending.backfill;
    out.risky = pending.risky;
    out.statements_total = static_cast<int>(pending.migration->up.statements.size());
    if (pending.history != nullptr && pending.history->status == HistoryStatus::partial) {
        out.statements_applied = pending.history->statements_applied;
    }
    return out;
}

/// Why `pending` may not run in this run, given what the run applies before it (empty:
/// it may). Marks in `expanded` what it will change if it runs. `existed` holds the
/// objects the run's migrations touch that exist before the run: whatever else they touch
/// this run creates (tables, views, materialized views, sequences, types, functions, and
/// objects dropped and created again), and nothing deployed uses it yet.
std::string hold_reason(const Pending& pending, const ApplyOptions& options,
                        std::map<std::string, model::Version>& expanded,
                        const std::set<std::string>& existed)
{
    const model::Version& version = pending.migration->version;
    if (options.to && version > *options.to) {
        return fmt::format("after --to {}", *options.to);
    }
    const bool contract = pending.phase == plan::Phase::contract;
    if (options.phase == PhaseFilter::expand && contract) {
        return "a contract migration: apply it with --phase contract once the release that "
               "stops using the old shape is deployed";
    }
    if (options.phase == PhaseFilter::contract && !contract) {
        return fmt::format("an {} migration: --phase contract stops before it",
                           plan::to_string(pending.phase));
    }
    if (contract) {
        for (const auto& relation : pending.touched) {
            auto found = expanded.find(relation);
            if (found != expanded.end() && existed.count(relation) > 0) {
                return fmt::format(
                    "contracts {}, which {:04} expands in this same run: never destroy in the "
                    "step that deploys (runbook); apply it in a later run, after the release "
                    "that stops using the old shape",
                    relation, found->second);
            }
        }
    } else {
        for (const auto& relation : pending.touched) {
            expanded.emplace(relation, version);
        }
    }
    return {};
}

std::string integrity_summary(const integrity::IntegrityReport& report,
                              const std::set<std::string>& tables)
{
    nlohmann::json out = nlohmann::json::object();
    for (const auto& table : report.tables) {
        std::string name = table.qualified_name();
        if (tables.count(name) > 0) {
            out[name] = {{"rows", table.checksum.rows}, {"checksum", table.checksum.sums_hex()}};
        }
    }
    return out.dump();
}

/// Tables the migration does not touch whose rows changed between the two reports.
std::vector<std::string> untouched_changes(const integrity::IntegrityReport& before,
                                           const integrity::IntegrityReport& after,
                                           const Pending& pending)
{
    std::vector<std::string> out;
    for (const auto& table : before.tables) {
        std::string name = table.qualified_name();
        if (pending.touched.count(name) > 0 || table.kind == integrity::TableKind::partitioned) {
            continue;
        }
        const auto* now = after.find_table(table.qualified_name());
        if (now == nullptr) {
            out.push_back(fmt::format("{} is gone", name));
        } else if (!(now->checksum == table.checksum)) {
            out.push_back(fmt::format("{} changed ({} rows before, {} after)", name,
                                      table.checksum.rows, now->checksum.rows));
        }
    }
    return out;
}

/// Makes sure of the snapshot the first risky migration needs. Returns the problem that
/// refuses the run, or empty.
std::string ensure_snapshot(const platform::ConnInfo& conninfo, const Pending& risky,
                            ApplyReport& report, const ApplyOptions& options,
                            const std::string& database, const std::string& system_identifier,
                            Run* run)
{
    const std::string why =
        fmt::format("{:04} is risky ({})", risky.migration->version, risky.risky_reason);
    switch (options.snapshot) {
    case SnapshotPolicy::skip:
        if (options.scratch) {
            migsafe::detail::log_info("{}; a scratch database needs no snapshot", why);
        } else {
            migsafe::detail::log_warn("{}; going on without a snapshot (--no-snapshot)", why);
        }
        return {};
    case SnapshotPolicy::take: {
        if (options.store.empty()) {
            throw Error("usage-invalid-option", "--snapshot needs --store DIR",
                        {.object = "--snapshot"});
        }
        if (run == nullptr) {
            return {}; // a dry run says it would take one
        }
        run->say(risky.migration->version, why + "; taking a snapshot first");
        snapshot::CreateOptions create;
        create.if_older_than = options.max_snapshot_age;
        auto created = snapshot::create(conninfo, options.store, create);
        report.snapshot_id = created.manifest.id;
        run->snapshot_id = created.manifest.id;
        run->say(risky.migration->version,
                 fmt::format("snapshot {} {}", created.manifest.id,
                             created.reused ? "(recent enough, reused)" : "taken"));
        return {};
    }
    case SnapshotPolicy::require: {
        auto found = options.store.empty()
                         ? std::nullopt
                         : snapshot::fresh_verified(options.store, database, system_identifier,
                                                    options.max_snapshot_age);
        if (!found) {
            return fmt::format(
                "{}: it needs a verified snapshot of {} younger than {} in --store{}; pass "
                "--snapshot to take one, or --no-snapshot to go without",
                why, database, format_duration(options.max_snapshot_age),
                options.store.empty() ? " (none given)" : " " + options.store.string());
        }
        report.snapshot_id = *found;
        if (run != nullptr) {
            run->snapshot_id = *found;
        }
        return {};
    }
    }
    return {};
}

integrity::IntegrityReport scan_for_apply(const platform::ConnInfo& conninfo)
{
    integrity::ScanOptions scan;
    scan.exclude = {"migsafe.*"};
    return integrity::scan(conninfo, scan);
}

/// Runs one chosen migration and fills `out`. Throws what the executors throw.
void run_migration(Run& run, const Pending& pending, MigrationRun& out, ApplyReport& report)
{
    const auto start = Clock::now();
    HistoryEntry entry = detail::new_entry(run, pending);
    const bool resuming =
        pending.history != nullptr && pending.history->status == HistoryStatus::partial;
    if (!resuming) {
        entry.objects_before = platform::catalog::describe_objects(run.session, pending.touched);
    }
    std::optional<integrity::IntegrityReport> before;
    if (pending.risky && run.options.verify) {
        run.say(pending.migration->version, "integrity report before");
        before = scan_for_apply(run.session.conninfo());
        entry.integrity_before = integrity_summary(*before, pending.touched);
    }
    run.say(pending.migration->version,
            fmt::format("{} {} ({}, {})", resuming ? "resuming" : "applying",
                        pending.migration->up.relative_path, plan::to_string(pending.phase),
                        pending.backfill    ? "batched backfill"
                        : out.transactional ? "one transaction"
                                            : "statement by statement"));
    if (pending.backfill) {
        detail::run_backfill(run, pending, entry, out);
    } else if (out.transactional) {
        out.attempts = detail::run_transactional(run, pending, entry);
    } else {
        detail::run_statement_by_statement(run, pending, entry);
        out.attempts = 1;
    }
    out.statements_applied = entry.statements_applied;
    out.outcome = resuming ? Outcome::resumed : Outcome::applied;
    if (before) {
        auto after = scan_for_apply(run.session.conninfo());
        entry.integrity_after = integrity_summary(after, pending.touched);
        out.untouched_changed = untouched_changes(*before, after, pending);
        entry.duration_ms = std::max(entry.duration_ms, ms_since(start));
        detail::record(run.session, entry, true);
        for (const auto& change : out.untouched_changed) {
            report.problems.push_back(fmt::format(
                "{:04}: a table it does not touch changed while it ran: {} (another writer, "
                "or a trigger or cascade migsafe did not plan)",
                pending.migration->version, change));
        }
    }
    out.duration_ms = ms_since(start);
    run.say(pending.migration->version, fmt::format("done in {} ms", out.duration_ms));
}

/// Waits, at most `wait`, until no server process of an interrupted run still runs a
/// statement: a killed run's index build or transaction must end before this run looks at
/// what it left.
void wait_for_interrupted_backends(platform::Session& session, int monitor_pid,
                                   std::chrono::milliseconds wait)
{
    const auto start = Clock::now();
    bool said = false;
    while (true) {
        auto left = detail::interrupted_backends(session, {session.backend_pid(), monitor_pid});
        if (left.empty()) {
            return;
        }
        const std::string who = fmt::format("{}", fmt::join(left, "; "));
        if (!said) {
            migsafe::detail::log_warn("waiting for the server process of an interrupted migsafe "
                                      "apply to end its statement: {}",
                                      who);
            said = true;
        }
        if (Clock::now() - start >= wait || interrupt::requested()) {
            throw Error("apply-interrupted-backend",
                        fmt::format("the server still runs a statement of an interrupted migsafe "
                                    "apply after {}: {}",
                                    format_duration(wait), who));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

void count_pending(ApplyReport& report)
{
    report.applied = 0;
    report.pending_after = 0;
    for (const auto& m : report.migrations) {
        if (m.outcome == Outcome::applied || m.outcome == Outcome::resumed) {
            ++report.applied;
        } else {
            ++report.pending_after;
        }
    }
}

/// Drift, missing files and order: the reasons to refuse the whole run.
std::vector<std::string> refusals(const StatusReport& status, const ApplyOptions& options)
{
    std::vector<std::string> out;
    for (const auto& m : status.migrations) {
        switch (m.state) {
        case MigrationState::drifted:
            out.push_back(m.detail + "; revert the edit (write a new migration instead)");
            break;
        case MigrationState::missing_file:
            out.push_back(m.detail);
            break;
        case MigrationState::out_of_order:
            if (!options.out_of_order) {
                out.push_back(m.detail);
            }
            break;
        default:
            break;
        }
    }
    return out;
}

/// The cut-over gate's refusals of the chosen migrations (docs/flags.md, "Cut-over gate"):
/// one line per requirement that fails, naming the flag, its state and since when. Reads
/// the flag store only for migrations that require a flag.
std::vector<std::string> gate_refusals(platform::Session& session,
                                       const std::vector<Pending>& chosen,
                                       const ApplyOptions& options)
{
    if (options.scratch) {
        return {};
    }
    std::vector<const model::Migration*> migrations;
    migrations.reserve(chosen.size());
    for (const auto& pending : chosen) {
        migrations.push_back(pending.migration);
    }
    std::vector<std::string> out;
    for (const auto& verdict :
         flags::check_gates(session, migrations, options.now.value_or(flags::Clock::now()))) {
        if (!verdict.pass) {
            out.push_back(verdict.message);
        }
    }
    return out;
}

void check_transaction_control(const Pending& pending)
{
    const auto& up = pending.migration->up;
    if (up.directives.transactional != model::Transactional::yes) {
        return;
    }
    for (const auto& statement : up.statements) {
        if (statement.kind == model::StatementKind::transaction) {
            throw Error("apply-transaction-control",
                        fmt::format("{}:{}: {} in a transactional migration: migsafe runs each "
                                    "migration in one transaction of its own",
                                    up.relative_path, statement.line, statement.sql),
                        {.file = up.relative_path, .line = statement.line});
        }
    }
}

} // namespace

namespace {

/// What a run holds from its start to its end, released in reverse order: the session
/// that holds the runner lock (when it is not the run's own), migsafe's runner lock, and
/// with `--keep-history` the other runner's lock and table.
struct RunLocks {
    std::optional<platform::Session> monitor;
    std::optional<detail::RunnerLock> lock;
    std::optional<adopt::ToolLock> tool_lock;
    std::optional<adopt::HistoryTable> tool_table;

    platform::Session& holder(platform::Session& session) { return monitor ? *monitor : session; }
};

/// Step 1: options that make no sense and a set whose migsafe.sum disagrees, before
/// anything connects or locks.
void check_request(const model::MigrationSet& set, const ApplyOptions& options)
{
    if (options.retries < 0) {
        throw Error("usage-invalid-option", "--retries must be 0 or more", {.object = "--retries"});
    }
    model::require_sum_file(set);
}

ApplyReport new_report(const std::string& conninfo, const ApplyOptions& options)
{
    ApplyReport report;
    report.database = redact_conninfo(conninfo);
    report.dry_run = options.dry_run;
    report.phase = std::string(to_string(options.phase));
    report.snapshot_policy = options.snapshot == SnapshotPolicy::require ? "require"
                             : options.snapshot == SnapshotPolicy::take  ? "take"
                                                                         : "skip";
    return report;
}

/// Step 2 (not for a dry run): the runner lock, on a session of its own when
/// `own_monitor`; the history table; the end of an interrupted run's statements; with
/// `--keep-history` the other runner's lock for the whole run, its table found or created
/// under it, so that the tool and migsafe never migrate at once.
void take_locks(RunLocks& locks, platform::Session& session, const platform::ConnInfo& conninfo,
                const ApplyOptions& options, bool own_monitor, ApplyReport& report)
{
    if (options.dry_run) {
        return;
    }
    if (own_monitor) {
        locks.monitor.emplace(
            platform::Session::connect(conninfo, {.application_name = "migsafe apply (lock)"}));
    }
    auto& holder = locks.holder(session);
    locks.lock.emplace(holder, options.wait);
    report.lock_wait_ms = locks.lock->waited().count();
    detail::ensure_history(session);
    wait_for_interrupted_backends(session, holder.backend_pid(), options.wait);
    if (options.keep_history) {
        locks.tool_table = detail::tool_history_place(session, *options.keep_history);
        locks.tool_lock.emplace(holder, *locks.tool_table, options.wait);
        adopt::ensure_tool_history(session, *locks.tool_table);
    }
}

/// Step 3: why the whole run is refused by the history: drift, missing files, order, and
/// migrations another runner applied that migsafe.history does not know (running them
/// again would apply them twice).
std::vector<std::string> history_refusals(platform::Session& session,
                                          const model::MigrationSet& set,
                                          const std::vector<HistoryEntry>& history,
                                          const StatusReport& status, const ApplyOptions& options)
{
    auto out = refusals(status, options);
    for (const auto& uncovered :
         uncovered_histories(session, set, history, set.directory.string(), options.keep_history)) {
        out.push_back(uncovered.message);
    }
    return out;
}

/// The migrations of the set that have yet to run: pending, partial or out of order.
std::vector<const model::Migration*> migrations_to_run(const model::MigrationSet& set,
                                                       const StatusReport& status)
{
    std::vector<const model::Migration*> todo;
    for (const auto& migration : set.migrations) {
        const auto* line = status.find(migration.version);
        const auto state = line != nullptr ? line->state : MigrationState::pending;
        if (state == MigrationState::pending || state == MigrationState::partial ||
            state == MigrationState::out_of_order) {
            todo.push_back(&migration);
        }
    }
    return todo;
}

/// Step 4: what PostgreSQL 15's parser rejected, this server's parser judges before
/// anything runs: a typo fails here (sql-syntax), newer syntax goes to the server as
/// written. Files after `--to` do not run in this run: they are judged when they do.
void confirm_newer_syntax(const std::vector<const model::Migration*>& todo,
                          const ApplyOptions& options, platform::Session& session)
{
    for (const auto* migration : todo) {
        if (options.to && *options.to < migration->version) {
            break;
        }
        for (auto statement : migration->up.statements) {
            model::confirm_unparsed(statement, session);
        }
    }
}

/// A dry run's listing of one migration: each statement's first line, locks, estimate,
/// and whether it runs outside a transaction.
std::vector<PlannedStatement> dry_run_listing(const model::Migration& migration,
                                              const std::vector<plan::StatementPlan>& plans,
                                              const model::CatalogFacts& catalog)
{
    const auto& statements = migration.up.statements;
    std::vector<PlannedStatement> out;
    for (std::size_t i = 0; i < plans.size(); ++i) {
        PlannedStatement line;
        line.line = plans[i].line;
        line.sql = plans[i].sql.substr(0, plans[i].sql.find('\n'));
        line.locks = plans[i].locks;
        line.estimated_seconds = plan::estimated_seconds(plans[i], catalog);
        line.runs_outside_transaction =
            i < statements.size() && detail::runs_outside_transaction(statements[i]);
        out.push_back(std::move(line));
    }
    return out;
}

/// Step 5: plans the migrations to run and chooses, in order, those this run may apply
/// (phases, `--to`, the contract rule); the first it may not holds every later one. Every
/// migration considered gets its line in `report.migrations`.
std::vector<Pending> choose(platform::Session& session, const platform::ConnInfo& conninfo,
                            const std::vector<const model::Migration*>& todo,
                            const std::vector<HistoryEntry>& history,
                            const model::MigrationSet& set, const ApplyOptions& options,
                            ApplyReport& report)
{
    std::map<model::Version, const HistoryEntry*> by_version;
    for (const auto& entry : history) {
        by_version[entry.version] = &entry;
    }
    const int pg_version = session.server_version() / 10000;
    // A plan made beforehand needs no catalog, but for a dry run's estimates.
    auto catalog = options.plan == nullptr || options.dry_run ? model::load_catalog_facts(conninfo)
                                                              : model::CatalogFacts{};
    auto planned = options.plan != nullptr
                       ? plans_by_file(*options.plan)
                       : plan_by_file(set, todo.front()->version, options, &catalog, pg_version);

    std::vector<Pending> considered;
    std::set<std::string> mentioned;
    for (const auto* migration : todo) {
        auto found = by_version.find(migration->version);
        considered.push_back(pending_of(*migration, planned[migration->up.relative_path],
                                        found == by_version.end() ? nullptr : found->second));
        mentioned.insert(considered.back().touched.begin(), considered.back().touched.end());
        for (const auto& [table, where] : considered.back().destroys) {
            mentioned.insert(table);
        }
    }
    // What exists before the run; the rest is created by it.
    const auto existed = detail::existing_objects(session, mentioned);

    std::vector<Pending> chosen;
    std::map<std::string, model::Version> expanded;
    bool holding = false;
    for (auto& pending : considered) {
        const auto* migration = pending.migration;
        MigrationRun shown = run_of(pending);
        if (!holding) {
            shown.reason = hold_reason(pending, options, expanded, existed);
            holding = !shown.reason.empty();
        } else {
            shown.reason = "after a held migration";
        }
        if (!holding) {
            // Destroying what this run created loses nothing that existed before it.
            for (const auto& [table, where] : pending.destroys) {
                if (!pending.risky && (table.empty() || existed.count(table) > 0)) {
                    pending.risky = true;
                    pending.risky_reason = where;
                }
            }
            shown.risky = pending.risky;
            check_transaction_control(pending);
            shown.outcome = options.dry_run ? Outcome::would_apply : Outcome::held;
            chosen.push_back(std::move(pending));
        }
        if (options.dry_run) {
            shown.statements =
                dry_run_listing(*migration, planned[migration->up.relative_path], catalog);
        }
        report.migrations.push_back(std::move(shown));
    }
    return chosen;
}

/// The counts and the duration, as every return of a run leaves them.
ApplyReport finished(ApplyReport report, Clock::time_point started)
{
    count_pending(report);
    report.duration_ms = ms_since(started);
    return report;
}

/// A run refused before anything ran: the problems, and every chosen migration held.
/// `reason` goes to the migrations that would have run, or with `to_every` to every
/// migration that has no reason yet.
ApplyReport refused(ApplyReport report, std::vector<std::string> problems,
                    const std::string& reason, bool to_every, Clock::time_point started)
{
    report.problems.insert(report.problems.end(), problems.begin(), problems.end());
    report.verdict = plan::Verdict::fail;
    for (auto& m : report.migrations) {
        const bool would_apply = m.outcome == Outcome::would_apply;
        if (would_apply) {
            m.outcome = Outcome::held;
        }
        if (to_every ? m.reason.empty() : would_apply) {
            m.reason = reason;
        }
    }
    return finished(std::move(report), started);
}

/// Step 7: runs the chosen migrations in order, checking the runner lock and a signal
/// before each; stops after the first whose verification found a problem.
void run_chosen(Run& run, const std::vector<Pending>& chosen, const detail::RunnerLock& lock,
                ApplyReport& report)
{
    std::size_t shown_index = 0;
    for (const auto& pending : chosen) {
        while (report.migrations[shown_index].version != pending.migration->version) {
            ++shown_index;
        }
        lock.check();
        if (interrupt::requested()) {
            count_pending(report);
            throw Error("apply-interrupted",
                        fmt::format("interrupted by {} before {}: {} migration(s) applied in this "
                                    "run, {} pending; {}",
                                    interrupt::signal_name(), pending.migration->up.relative_path,
                                    report.applied, report.pending_after, run.resume_sentence()),
                        {.file = pending.migration->up.relative_path});
        }
        try {
            run_migration(run, pending, report.migrations[shown_index], report);
        } catch (const detail::Abandoned& abandoned) {
            throw Error("apply-abandoned",
                        fmt::format("stopped as asked after {}, as a killed runner would: "
                                    "nothing more was run or recorded",
                                    abandoned.after),
                        {.file = pending.migration->up.relative_path});
        }
        if (!report.problems.empty()) {
            report.verdict = plan::Verdict::fail;
            break; // verification failed: stop before the next migration
        }
    }
}

/// The run itself, on `session`; `own_monitor`: open a second session for the runner lock
/// (else `session` holds it). Each step is a function above, in the order they run.
ApplyReport apply_on(platform::Session& session, const std::string& conninfo,
                     const model::MigrationSet& set, const ApplyOptions& options, bool own_monitor)
{
    const auto started = Clock::now();
    check_request(set, options);
    ApplyReport report = new_report(conninfo, options);
    const std::string host = platform::host_name();
    report.run_id = new_run_id(host);

    detail::runner_settings(session);
    // On SIGINT/SIGTERM the running statement is cancelled, so its transaction rolls back
    // now rather than when a long statement ends; the run then fails the way any failure
    // does (recorded, INVALID index dropped, the unfinished part and the resume command
    // said) and the host exits 130/143. A second signal ends the process at once.
    interrupt::Unwind unwind;
    interrupt::Cleanup cancel("cancel the running migration statement", session.canceller(),
                              interrupt::When::at_once);
    RunLocks locks;
    // Parsed once: the lock session, the catalog, the snapshot and the scans use this value.
    const auto parsed = platform::ConnInfo::parse(conninfo);
    take_locks(locks, session, parsed, options, own_monitor, report);

    const auto history = read_history(session);
    const auto status = compare_with_history(set, history);
    report.problems = history_refusals(session, set, history, status, options);
    if (!report.problems.empty()) {
        report.verdict = plan::Verdict::fail;
        return finished(std::move(report), started);
    }
    const auto todo = migrations_to_run(set, status);
    if (todo.empty()) {
        return finished(std::move(report), started);
    }
    confirm_newer_syntax(todo, options, session);
    const auto chosen = choose(session, parsed, todo, history, set, options, report);

    // Step 6: the gates. A contract gated on a flag that is not fully on for long enough
    // refuses the whole run before anything runs, as a missing snapshot does.
    if (auto problems = gate_refusals(session, chosen, options); !problems.empty()) {
        return refused(std::move(report), std::move(problems),
                       "the run was refused: the cut-over gate", true, started);
    }
    // Without the right to read pg_control_system() the system identifier is empty, and
    // snapshots are matched by database name only.
    const auto source = platform::catalog::source_facts(session);
    Run run{.session = session,
            .monitor = locks.holder(session),
            .options = options,
            .conninfo = conninfo,
            .run_id = report.run_id,
            .client_host = host,
            .client_user = platform::os_user(),
            .snapshot_id = {},
            .tool_table = locks.tool_table ? &*locks.tool_table : nullptr};
    auto first_risky =
        std::find_if(chosen.begin(), chosen.end(), [](const Pending& p) { return p.risky; });
    if (first_risky != chosen.end()) {
        std::string problem =
            ensure_snapshot(parsed, *first_risky, report, options, source.database,
                            source.system_identifier, options.dry_run ? nullptr : &run);
        if (!problem.empty()) {
            return refused(std::move(report), {problem}, "the run was refused: no snapshot", false,
                           started);
        }
    }
    if (!options.dry_run) {
        run_chosen(run, chosen, *locks.lock, report);
    }
    return finished(std::move(report), started);
}

} // namespace

ApplyReport apply(const std::string& conninfo, const model::MigrationSet& set,
                  const ApplyOptions& options)
{
    auto session = platform::Session::connect(
        conninfo, {.application_name = std::string(detail::k_application_name)});
    return apply_on(session, conninfo, set, options, true);
}

ApplyReport apply(platform::Session& session, const std::string& conninfo,
                  const model::MigrationSet& set, const ApplyOptions& options)
{
    return apply_on(session, conninfo, set, options, false);
}

} // namespace migsafe::workflow
