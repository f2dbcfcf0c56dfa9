// `migsafe rehearse`: every migration applied, rolled back (down file and compensation),
// applied again and interrupted, on one working database of a scratch server
// (docs/rehearse.md).
//
// For each migration the working database W is at the state before it (S0/D0):
//   up on W (apply's runner, on W's session)  -> S1/D1, with the locks held before commit
//   down on W, then redo on W                 -> S2 vs S0, then S3 vs S1
//   compensation on W, then the up again      -> vs S0, then S1 again
//   no-transaction files and backfills: interruptions on a copy taken before the up
// W is rebuilt from the start state when a step leaves it unknown. No step copies the
// database (a copy costs more than a run), so N migrations cost about 4N runs, not N^2.
#include "platform/catalog/rehearse_queries.hpp"
#include "platform/catalog/row_generator.hpp"
#include "platform/catalog/runner_history_queries.hpp"
#include "workflow/rehearse_context.hpp"
#include "workflow/rehearse_rollback.hpp"

#include <migsafe/integrity/schema.hpp>
#include <migsafe/model/sum_file.hpp>
#include <migsafe/plan/analyze.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/interrupt.hpp>
#include <migsafe/workflow/history.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace migsafe::workflow {
namespace detail {

void stop_if_interrupted()
{
    if (interrupt::requested()) {
        throw Error("rehearse-interrupted",
                    fmt::format("rehearsal interrupted by {}; the databases and the cluster it "
                                "made are removed",
                                interrupt::signal_name()));
    }
}

namespace {

/// The migration run of `version` in an apply report (applied or resumed).
const MigrationRun* run_of(const ApplyReport& report, const model::Version& version)
{
    for (const auto& run : report.migrations) {
        if (run.version == version) {
            return &run;
        }
    }
    return nullptr;
}

} // namespace

/// Applies up to the migration on `database`; returns the run, or sets the step's error.
std::optional<MigrationRun> apply_up(StepResult& step, const Context& context,
                                     RehearsalDatabase& database, const model::Migration& migration,
                                     const ApplyOptions& options)
{
    const auto start = Clock::now();
    step.file = migration.up.relative_path;
    try {
        const auto report = apply(database.session(), database.conninfo(), context.set, options);
        step.duration_ms = ms_since(start);
        if (!report.problems.empty()) {
            std::string problems;
            for (const auto& problem : report.problems) {
                problems += (problems.empty() ? "" : "; ") + problem;
            }
            fail_step(step, step.file, 0, "apply refused: " + problems);
            return std::nullopt;
        }
        const auto* run = run_of(report, migration.version);
        if (run == nullptr ||
            (run->outcome != Outcome::applied && run->outcome != Outcome::resumed)) {
            fail_step(step, step.file, 0,
                      run == nullptr ? "apply did not run it" : "apply held it: " + run->reason);
            return std::nullopt;
        }
        step.status = StepStatus::ok;
        return *run;
    } catch (const Error& error) {
        stop_if_interrupted(); // SIGINT stopped the run: not the migration's failure
        step.duration_ms = ms_since(start);
        // Errors name a file by its path on disk or relative to the set: the report says
        // the latter.
        std::string file = error.context().file.empty() ? step.file : error.context().file;
        for (const auto& each : context.set.migrations) {
            if (file == each.up.path.string()) {
                file = each.up.relative_path;
            }
        }
        fail_step(step, file, error.context().line, error.message());
        return std::nullopt;
    }
}

/// Rebuilds `work` at the state after `migration` when a rollback or a redo left it in
/// another: a copy of the start state, the migrations up to this one applied, rows.
void recover(const Context& context, RehearsalDatabase& work, const model::Migration& migration)
{
    context.say(migration.version, "rebuilding the working database from the start state");
    work.replace_with(context.server.copy(context.origin));
    // One migration at a time, rows after each, as the rehearsal itself went.
    for (std::size_t i = context.first; i < context.set.migrations.size(); ++i) {
        const auto& each = context.set.migrations[i];
        StepResult step;
        if (!apply_up(step, context, work, each, context.apply_options(each.version))) {
            throw Error("rehearse-start-failed",
                        fmt::format("the working database could not be rebuilt at {}: {}",
                                    each.up.relative_path, step.error),
                        {.file = step.file, .line = step.error_line});
        }
        if (context.options.rows > 0 && context.options.data_file.empty()) {
            platform::catalog::fill_empty_tables(work.session(), context.options.rows);
        }
        if (each.version == migration.version) {
            break;
        }
    }
}

} // namespace detail

namespace {

using detail::apply_up;
using detail::Clock;
using detail::Context;
using detail::data_scope;
using detail::DatabaseState;
using detail::interrupt_everywhere;
using detail::ms_since;
using detail::recover;
using detail::RehearsalDatabase;
using detail::RehearsalServer;
using detail::stop_if_interrupted;

int strength(std::string_view mode)
{
    const auto parsed = plan::parse_lock_mode(mode);
    return parsed ? static_cast<int>(*parsed) : -1;
}

void merge_lock(std::vector<TableLock>& locks, const std::string& table, const std::string& mode,
                const std::string& source)
{
    for (auto& lock : locks) {
        if (lock.table == table) {
            if (strength(mode) > strength(lock.mode)) {
                lock.mode = mode;
            }
            return;
        }
    }
    locks.push_back({.table = table, .mode = mode, .source = source});
}

/// Rehearses one migration on `work` (at `before`); on success `work` and `before` are at
/// the state after it. Returns false when the rehearsal must stop (the up failed).
bool rehearse_one(const Context& context, const model::Migration& migration,
                  RehearsalDatabase& work, DatabaseState& before, MigrationRehearsal& out)
{
    auto& server = context.server;
    const auto& options = context.options;
    const auto& up = migration.up;
    out.version = migration.version;
    out.name = migration.name;
    out.file = up.relative_path;
    out.transactional = up.directives.transactional == model::Transactional::yes;
    out.backfill = up.directives.backfill.has_value();
    out.switch_off_first = compensate::flags_to_switch_off(migration);
    const bool interruptible = !out.transactional || out.backfill;

    std::optional<model::MigrationFile> down;
    std::string down_error;
    try {
        down = model::read_down(migration);
    } catch (const Error& error) {
        down_error = error.located_message();
    }

    // The data before it, of the tables its steps can change.
    const auto scope = data_scope(context, migration, down, before.schema);
    before.data = detail::read_data(work.session(), scope);

    std::optional<RehearsalDatabase> pristine;
    if (interruptible && options.interrupt) {
        pristine.emplace(server, work.copy());
    }
    // Up, with the locks held before the commit.
    context.say(migration.version, "up");
    auto apply_options = context.apply_options(migration.version);
    apply_options.before_commit = [&out](platform::Session& session, const model::Version&) {
        for (const auto& row : platform::catalog::own_table_locks(session)) {
            merge_lock(out.locks, row.table, row.mode, "observed");
        }
    };
    const auto run = apply_up(out.up, context, work, migration, apply_options);
    if (!run) {
        if (pristine) {
            pristine->drop();
        }
        out.interrupt = interruptible ? StepStatus::skipped : StepStatus::not_applicable;
        return false;
    }
    if (out.locks.empty() || !out.transactional || out.backfill) {
        for (const auto& statement : context.plan.statements) {
            if (statement.file != up.relative_path) {
                continue;
            }
            for (const auto& lock : statement.locks) {
                merge_lock(out.locks, lock.relation, std::string(plan::to_string(lock.mode)),
                           "planned");
            }
        }
    }
    const auto after_up = detail::read_state(work.session(), scope);
    const auto values = detail::count_values(work.session(), after_up, scope);
    // The schema `work` is at when this migration is done.
    integrity::SchemaFingerprint latest = after_up.schema;
    stop_if_interrupted();

    // Down, then up again, on `work`.
    bool work_at_after_up = true;
    if (!down_error.empty()) {
        detail::fail_step(out.down, migration.down ? migration.down->relative_path : "", 0,
                          "the down file does not parse: " + down_error);
        out.redo.reason = "the down file failed";
    } else if (!down) {
        out.down.status = StepStatus::missing;
        out.down.reason =
            migration.layout == model::Layout::migsafe || migration.layout == model::Layout::prisma
                ? fmt::format("the {} layout has no down files", model::to_string(migration.layout))
                : "this migration has no down file";
        out.redo.reason = "no down file";
    } else {
        context.say(migration.version, "down");
        detail::run_down(out.down, work.session(), migration, *down, options.lock_timeout);
        // A transactional down that failed rolled back whole.
        work_at_after_up = out.down.status == StepStatus::failed &&
                           down->directives.transactional == model::Transactional::yes;
        if (out.down.status != StepStatus::failed) {
            const auto now = detail::read_state(work.session(), scope);
            detail::RollbackClaims claims{.directives = &down->directives};
            detail::collect_moved(down->statements, claims.moved);
            detail::judge_rollback(out.down, before, after_up, now, values, claims);
        }
        if (out.down.status == StepStatus::failed) {
            out.redo.reason = "the down file failed";
        } else {
            context.say(migration.version, "redo");
            if (apply_up(out.redo, context, work, migration,
                         context.apply_options(migration.version))) {
                latest = integrity::read_schema(work.session());
                detail::judge_schema(out.redo, after_up.schema, latest);
                work_at_after_up = out.redo.status == StepStatus::ok;
            }
        }
    }
    if (!work_at_after_up) {
        recover(context, work, migration);
        latest = integrity::read_schema(work.session());
    }
    stop_if_interrupted();

    // The compensation migsafe computes, then the migration again.
    if (options.compensation) {
        context.say(migration.version, "compensation");
        detail::RollbackClaims claims;
        detail::run_compensation(out.compensation, claims, work.session(), context.set, migration,
                                 options.lock_timeout);
        if (out.compensation.status == StepStatus::ok) {
            const auto now = detail::read_state(work.session(), scope);
            detail::judge_rollback(out.compensation, before, after_up, now, values, claims);
        }
        if (claims.ran) {
            platform::catalog::drop_archive_schema(work.session(), claims.archive_schema);
            StepResult again;
            if (apply_up(again, context, work, migration,
                         context.apply_options(migration.version))) {
                latest = integrity::read_schema(work.session());
                detail::judge_schema(again, after_up.schema, latest);
            }
            if (again.status != StepStatus::ok) {
                recover(context, work, migration);
                latest = integrity::read_schema(work.session());
            }
            // Without a down file, the redo is the one after the compensation.
            if (!down) {
                out.redo = std::move(again);
            }
        }
    } else {
        out.compensation.reason = "--no-compensation";
    }
    stop_if_interrupted();

    if (interruptible) {
        if (!pristine) {
            out.interrupt = StepStatus::skipped;
        } else {
            context.say(migration.version, "interruptions");
            const int count = out.backfill ? static_cast<int>(run->backfill_batches)
                                           : static_cast<int>(up.statements.size());
            interrupt_everywhere(out, context, migration, down, *pristine, before, after_up, count,
                                 scope);
            pristine->drop();
        }
    }
    before.schema = std::move(latest);
    // Tables the migration created get rows too, so that the next ones act on data (the
    // next migration scans what it needs).
    if (options.rows > 0 && options.data_file.empty()) {
        const auto filled = platform::catalog::fill_empty_tables(work.session(), options.rows);
        if (!filled.filled.empty() || !filled.skipped.empty()) {
            // Sequence values the inserts used.
            before.schema = integrity::read_schema(work.session());
        }
    }
    return true;
}

} // namespace

RehearseReport rehearse(const model::MigrationSet& set, const RehearseOptions& options)
{
    const auto started = Clock::now();
    model::require_sum_file(set);
    if (options.rows < 0 || options.max_interruptions < 0) {
        throw Error("usage-invalid-option", "--rows and --max-interruptions must be 0 or more",
                    {.object = options.rows < 0 ? "--rows" : "--max-interruptions"});
    }
    std::size_t first = 0;
    if (options.from) {
        while (first < set.migrations.size() && set.migrations[first].version < *options.from) {
            ++first;
        }
        if (first == set.migrations.size() || !(set.migrations[first].version == *options.from)) {
            throw Error("rehearse-unknown-version",
                        fmt::format("--from {}: no migration of {} has this version",
                                    options.from->text(), set.directory.string()),
                        {.object = "--from"});
        }
    }
    if (!options.conninfo.empty()) {
        detail::check_scratch(options.conninfo, options.scratch_confirmed);
    }
    interrupt::Unwind unwind;
    auto server = [&options] {
        try {
            return options.conninfo.empty() ? RehearsalServer::ephemeral()
                                            : RehearsalServer::existing(options.conninfo);
        } catch (const Error&) {
            stop_if_interrupted(); // a signal during initdb or pg_ctl start: not their failure
            throw;
        }
    }();
    plan::PlanOptions plan_options;
    plan_options.pg_version = server.server_version() / 10000;
    Context context{.set = set,
                    .options = options,
                    .server = server,
                    .plan = plan::analyze_releases(set, std::nullopt, plan_options)};

    RehearseReport report;
    report.server = server.description();
    report.fail_on = options.fail_on;
    std::string name;
    if (options.conninfo.empty() || !options.schema_from.empty()) {
        // An empty database; with --schema-from, the live schema is copied into it.
        name = server.create_empty();
    } else {
        // The scratch database is only copied: its content is the start state.
        {
            auto probe = platform::Session::connect(options.conninfo,
                                                    {.application_name = "migsafe rehearse"});
            name = platform::catalog::current_database_name(probe);
        }
        name = server.copy(name);
    }
    RehearsalDatabase start(server, name);
    if (!options.from && !options.conninfo.empty() && options.schema_from.empty()) {
        // A scratch database restored from elsewhere: rehearse what it has not applied.
        const auto history = read_history(start.session());
        while (first < set.migrations.size() &&
               std::any_of(history.begin(), history.end(), [&](const HistoryEntry& entry) {
                   return entry.version == set.migrations[first].version && entry.is_applied();
               })) {
            ++first;
        }
    }
    report.start = detail::build_start(context, start, first);
    if (first < set.migrations.size()) {
        report.from = set.migrations[first].version.text();
    }
    context.origin = start.name();
    context.first = first;
    RehearsalDatabase work(server, start.copy());
    DatabaseState before;
    before.schema = integrity::read_schema(work.session());
    for (std::size_t i = first; i < set.migrations.size(); ++i) {
        stop_if_interrupted();
        const auto& migration = set.migrations[i];
        MigrationRehearsal one;
        const bool go_on = rehearse_one(context, migration, work, before, one);
        report.migrations.push_back(std::move(one));
        if (!go_on) {
            const auto& up = report.migrations.back().up;
            report.stopped =
                fmt::format("{}{} failed on up: {}", up.file,
                            up.error_line > 0 ? fmt::format(":{}", up.error_line) : "", up.error);
            break;
        }
    }
    report.duration_ms = ms_since(started);
    return report;
}

} // namespace migsafe::workflow
