// The pre-deploy gate: each item asks one engine (the set, apply's dry run, the planner,
// the snapshot store, the runner lock, health) and turns its answer into pass, warn or
// fail. A problem becomes an item; only an unreachable database stops the gate.
#include "model/version_format.hpp"
#include "platform/catalog/snapshot_queries.hpp"
#include "platform/enum_names.hpp"
#include "snapshot/layout.hpp"
#include "workflow/runner_lock.hpp"

#include <migsafe/model/catalog_facts.hpp>
#include <migsafe/model/migration_set.hpp>
#include <migsafe/model/sum_file.hpp>
#include <migsafe/plan/analyze.hpp>
#include <migsafe/platform/duration.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/session.hpp>
#include <migsafe/snapshot/store.hpp>
#include <migsafe/snapshot/verify.hpp>
#include <migsafe/workflow/apply.hpp>
#include <migsafe/workflow/check.hpp>
#include <migsafe/workflow/status.hpp>

#include <fmt/format.h>

#include <optional>

namespace migsafe::workflow {
namespace {

/// Errors that mean "the gate cannot run here" (exit 3) go up; the others are findings.
void rethrow_if_environment(const Error& e)
{
    if (e.category() == Category::environment) {
        throw e;
    }
}

std::string described(const Error& e)
{
    return e.hint().empty() ? e.located_message() : e.located_message() + " (" + e.hint() + ")";
}

std::string version_list(const std::vector<MigrationRun>& runs, Outcome outcome)
{
    std::string out;
    for (const auto& run : runs) {
        if (run.outcome == outcome) {
            out += (out.empty() ? "" : ", ") + fmt::format("{:04}", run.version);
        }
    }
    return out;
}

struct Gate {
    const std::string& conninfo;
    const CheckOptions& options;
    CheckReport& report;
    std::string system_identifier{};
    std::optional<model::MigrationSet> set{};
    int pending = 0;

    CheckItem& add(std::string name, CheckStatus status, std::string summary)
    {
        report.items.push_back(
            {.name = std::move(name), .status = status, .summary = std::move(summary)});
        return report.items.back();
    }

    void migrations(const std::filesystem::path& dir)
    {
        try {
            set = model::load_migration_set(dir, {.parse_statements = model::ParseStatements::yes,
                                                  .check_sum = model::CheckSum::yes,
                                                  .layout = options.layout});
            add("migrations", CheckStatus::pass,
                fmt::format("{} migrations in {}, migsafe.sum agrees", set->migrations.size(),
                            dir.string()));
        } catch (const Error& e) {
            if (e.code() == "input-not-found") {
                throw;
            }
            set.reset();
            add("migrations", CheckStatus::fail, "the migration set cannot be used")
                .details.push_back(described(e));
        }
    }

    void apply_dry_run()
    {
        if (!set) {
            add("apply", CheckStatus::skip, "needs a usable migration set");
            return;
        }
        ApplyOptions dry;
        dry.dry_run = true;
        dry.store = options.store;
        dry.max_snapshot_age = options.max_snapshot_age;
        dry.now = options.now; // the cut-over gate (docs/flags.md)
        dry.phase = options.phase;
        try {
            const auto run = apply(conninfo, *set, dry);
            const auto would = version_list(run.migrations, Outcome::would_apply);
            if (!run.problems.empty()) {
                add("apply", CheckStatus::fail, "migsafe apply would refuse to run").details =
                    run.problems;
                return;
            }
            auto& item =
                add("apply", CheckStatus::pass,
                    would.empty() ? "nothing to apply" : "migsafe apply would run " + would);
            for (const auto& m : run.migrations) {
                if (m.outcome == Outcome::held) {
                    item.details.push_back(fmt::format("{:04} held: {}", m.version, m.reason));
                }
            }
        } catch (const Error& e) {
            rethrow_if_environment(e);
            add("apply", CheckStatus::fail, "migsafe apply would fail")
                .details.push_back(described(e));
        }
    }

    void plan_pending()
    {
        if (!set) {
            add("plan", CheckStatus::skip, "needs a usable migration set");
            return;
        }
        try {
            plan_set(still_to_run(*set, status(conninfo, *set)));
        } catch (const Error& e) {
            rethrow_if_environment(e);
            add("plan", CheckStatus::fail, "the pending migrations cannot be planned")
                .details.push_back(described(e));
        }
    }

    void plan_set(const model::MigrationSet& todo)
    {
        pending = static_cast<int>(todo.migrations.size());
        if (todo.migrations.empty()) {
            add("plan", CheckStatus::pass, "no migration to plan");
            return;
        }
        const auto facts = model::load_catalog_facts(conninfo);
        plan::PlanOptions plan_options;
        plan_options.pg_version = facts.server_version > 0 ? facts.server_version / 10000 : 15;
        plan_options.catalog = &facts;
        // As apply plans them: the pending migrations are one release, so what an earlier
        // one creates is new to a later one.
        const auto planned =
            plan::analyze_releases(todo, todo.migrations.front().version, plan_options);
        const bool failed = planned.verdict == plan::Verdict::fail;
        auto& item = add("plan",
                         failed                        ? CheckStatus::fail
                         : planned.counts.warnings > 0 ? CheckStatus::warn
                                                       : CheckStatus::pass,
                         fmt::format("{} pending migrations, {} statements: {} errors, {} "
                                     "warnings (with this database's catalog)",
                                     pending, planned.counts.statements, planned.counts.errors,
                                     planned.counts.warnings));
        for (const auto& statement : planned.statements) {
            for (const auto& finding : statement.findings) {
                if (!finding.allowed && finding.severity == plan::Severity::error) {
                    item.details.push_back(fmt::format("{}:{}: {} {}", statement.file,
                                                       statement.line, finding.rule,
                                                       finding.message));
                }
            }
        }
    }

    void snapshot_freshness()
    {
        if (options.store.empty()) {
            add("snapshot", CheckStatus::warn, "not checked: no --store given");
            return;
        }
        const auto found = snapshot::fresh_verified(options.store, report.database,
                                                    system_identifier, options.max_snapshot_age);
        if (found) {
            add("snapshot", CheckStatus::pass,
                fmt::format("snapshot {} of {} is younger than {} and verifies", *found,
                            report.database, format_duration(options.max_snapshot_age)));
            return;
        }
        add("snapshot", pending > 0 ? CheckStatus::fail : CheckStatus::warn,
            fmt::format("no verified snapshot of {} younger than {} in {}", report.database,
                        format_duration(options.max_snapshot_age), options.store.string()))
            .details.push_back(fmt::format("take one: migsafe snapshot create --store {}",
                                           options.store.string()));
    }

    void drill_recency()
    {
        if (options.store.empty()) {
            add("drill", CheckStatus::warn, "not checked: no --store given");
            return;
        }
        if (!std::filesystem::exists(options.store)) {
            add("drill", CheckStatus::warn,
                "no drill: the store " + options.store.string() + " does not exist yet");
            return;
        }
        std::vector<snapshot::SnapshotInfo> snapshots;
        try {
            snapshots = snapshot::list(options.store);
        } catch (const Error& e) {
            add("drill", CheckStatus::fail, "the store cannot be read")
                .details.push_back(described(e));
            return;
        }
        const snapshot::SnapshotInfo* newest = nullptr;
        for (const auto& info : snapshots) {
            const bool same_server = info.system_identifier.empty() || system_identifier.empty() ||
                                     info.system_identifier == system_identifier;
            if (info.database == report.database && same_server && info.last_drill &&
                (newest == nullptr || info.last_drill->at > newest->last_drill->at)) {
                newest = &info;
            }
        }
        if (newest == nullptr) {
            add("drill", CheckStatus::warn,
                fmt::format("no snapshot of {} was ever restored in a drill", report.database))
                .details.push_back(fmt::format("run one: migsafe drill --store {} latest",
                                               options.store.string()));
            return;
        }
        const auto& drill = *newest->last_drill;
        if (!drill.passed) {
            add("drill", CheckStatus::fail,
                fmt::format("the last drill ({} of snapshot {}) failed: that backup does not "
                            "restore to what it holds",
                            drill.at, newest->id));
            return;
        }
        const auto at = snapshot::detail::parse_rfc3339(drill.at);
        const auto age = at ? std::chrono::duration_cast<std::chrono::milliseconds>(
                                  snapshot::detail::Clock::now() - *at)
                            : options.max_drill_age + std::chrono::milliseconds(1);
        add("drill", age > options.max_drill_age ? CheckStatus::warn : CheckStatus::pass,
            fmt::format("last drill {} of snapshot {} passed (restore and verify took {:.1f} s){}",
                        drill.at, newest->id, static_cast<double>(drill.rto_ms) / 1000.0,
                        age > options.max_drill_age
                            ? ", older than " + format_duration(options.max_drill_age)
                            : ""));
    }

    void runner(platform::Session& session)
    {
        const auto holder = detail::runner_lock_holder(session);
        if (holder.empty()) {
            add("runner", CheckStatus::pass, "no migsafe apply is running");
        } else {
            add("runner", CheckStatus::fail, "a migsafe apply is running now: " + holder);
        }
    }

    void database()
    {
        const auto found = health(conninfo, options.health);
        const int errors = found.count(HealthSeverity::error);
        const int warnings = found.count(HealthSeverity::warning);
        auto& item = add("database",
                         errors > 0     ? CheckStatus::fail
                         : warnings > 0 ? CheckStatus::warn
                                        : CheckStatus::pass,
                         fmt::format("health: {} errors, {} warnings", errors, warnings));
        for (const auto& finding : found.findings) {
            item.details.push_back(fmt::format("{} [{}] {}", to_string(finding.severity),
                                               finding.check, finding.message));
        }
    }
};

} // namespace

constexpr platform::EnumNames<CheckStatus, 4> k_check_status_names{{{{CheckStatus::pass, "pass"},
                                                                     {CheckStatus::warn, "warn"},
                                                                     {CheckStatus::fail, "fail"},
                                                                     {CheckStatus::skip, "skip"}}}};
static_assert(k_check_status_names.unique());

std::string_view to_string(CheckStatus status) noexcept
{
    return k_check_status_names.name(status);
}

bool CheckReport::passed() const noexcept
{
    for (const auto& item : items) {
        if (item.status == CheckStatus::fail) {
            return false;
        }
    }
    return true;
}

CheckReport check(const std::string& conninfo, const std::filesystem::path& dir,
                  const CheckOptions& options)
{
    if (!std::filesystem::is_directory(dir)) {
        throw Error("input-not-found", "migration directory " + dir.string() + " does not exist",
                    {.file = dir.string()}, "pass the directory with --dir");
    }
    auto session = platform::Session::connect(conninfo, {.application_name = "migsafe check"});
    CheckReport report;
    // Without the right to read pg_control_system() the system identifier is empty, and
    // snapshots are matched by database name only.
    const auto facts = platform::catalog::source_facts(session);
    report.database = facts.database;
    Gate gate{.conninfo = conninfo, .options = options, .report = report};
    gate.system_identifier = facts.system_identifier;
    gate.migrations(dir);
    gate.apply_dry_run();
    gate.plan_pending();
    gate.snapshot_freshness();
    gate.drill_recency();
    gate.runner(session);
    gate.database();
    return report;
}

} // namespace migsafe::workflow
