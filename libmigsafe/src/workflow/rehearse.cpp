// `migsafe rehearse`: every migration applied, rolled back (down file and compensation),
// applied again and interrupted, on copies of one scratch database (docs/rehearse.md).
//
// For each migration the working database W is at the state before it (S0/D0):
//   up on W (apply's runner)              -> S1/D1; W stays there for the next migration
//   down on D = copy(W), then redo on D   -> S2 vs S0, then S3 vs S1
//   compensation on C = copy(W)           -> vs S0
//   no-transaction files and backfills: P = copy(W) taken before the up; for each
//   boundary k, X = copy(P) stopped after k, Y = copy(X); X resumed (vs S1), Y rolled back
// Each copy is CREATE DATABASE ... TEMPLATE, so N migrations cost about 4N runs, not N^2.
#include "platform/catalog/rehearse_queries.hpp"
#include "platform/catalog/row_generator.hpp"
#include "platform/logging.hpp"
#include "snapshot/layout.hpp"
#include "trace/schema_copy.hpp"
#include "workflow/history_store.hpp"
#include "workflow/rehearse_rollback.hpp"
#include "workflow/rehearse_server.hpp"
#include "workflow/rehearse_state.hpp"

#include <migsafe/integrity/diff.hpp>
#include <migsafe/model/sum_file.hpp>
#include <migsafe/plan/analyze.hpp>
#include <migsafe/platform/conninfo.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/interrupt.hpp>
#include <migsafe/platform/libpq_environment.hpp>
#include <migsafe/platform/pg_binaries.hpp>
#include <migsafe/platform/process.hpp>
#include <migsafe/version.hpp>
#include <migsafe/workflow/apply.hpp>
#include <migsafe/workflow/history.hpp>
#include <migsafe/workflow/rehearse.hpp>
#include <migsafe/workflow/status.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace migsafe::workflow {
namespace {

using Clock = std::chrono::steady_clock;
using detail::DatabaseState;
using detail::RehearsalServer;

std::int64_t ms_since(Clock::time_point start)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

/// What every migration's rehearsal shares.
struct Context {
    const model::MigrationSet& set;
    const RehearseOptions& options;
    RehearsalServer& server;
    plan::PlanReport plan{};
    /// The start state, kept: `work` is rebuilt from it when a step leaves it unknown.
    std::string origin{};
    /// The index of the first migration rehearsed.
    std::size_t first = 0;

    void say(const model::Version& version, std::string message) const
    {
        if (options.progress) {
            options.progress({.version = version, .message = std::move(message)});
        }
    }

    /// apply's options for one migration: no snapshot, no integrity of its own (the
    /// rehearsal compares), no retries (nothing else runs on the scratch server).
    ApplyOptions apply_options(const model::Version& version) const
    {
        return ApplyOptions{.to = version,
                            .wait = std::chrono::seconds(30),
                            .lock_timeout = options.lock_timeout,
                            .retries = 0,
                            .snapshot = SnapshotPolicy::skip,
                            .verify = false,
                            .resume_command = "migsafe rehearse",
                            .plan = &plan,
                            .scratch = true};
    }
};

void stop_if_interrupted()
{
    if (interrupt::requested()) {
        throw Error("rehearse-interrupted",
                    fmt::format("rehearsal interrupted by {}; the databases and the cluster it "
                                "made are removed",
                                interrupt::signal_name()));
    }
}

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

/// A database of the rehearsal and the one session kept open on it (connections are the
/// dearest part of a step): closed while the database is copied.
class Database {
public:
    Database(RehearsalServer& server, std::string name)
        : m_server(server)
        , m_name(std::move(name))
    {
    }
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    const std::string& name() const { return m_name; }
    std::string conninfo() const { return m_server.conninfo(m_name); }
    platform::Session& session()
    {
        if (!m_session) {
            m_session.emplace(
                platform::Session::connect(conninfo(), {.application_name = "migsafe rehearse"}));
        }
        return *m_session;
    }
    /// A copy of this database (its session closed first).
    std::string copy()
    {
        m_session.reset();
        return m_server.copy(m_name);
    }
    /// Becomes `other` (a copy made by this rehearsal); the old database is dropped.
    void replace_with(std::string other)
    {
        m_session.reset();
        m_server.drop(m_name);
        m_name = std::move(other);
    }
    /// Drops the database.
    void drop()
    {
        m_session.reset();
        m_server.drop(m_name);
    }

private:
    RehearsalServer& m_server;
    std::string m_name;
    std::optional<platform::Session> m_session{};
};

/// Applies up to the migration on `database`; returns the run, or sets the step's error.
std::optional<MigrationRun> apply_up(StepResult& step, const Context& context, Database& database,
                                     const model::Migration& migration, ApplyOptions options)
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
            detail::fail_step(step, step.file, 0, "apply refused: " + problems);
            return std::nullopt;
        }
        const auto* run = run_of(report, migration.version);
        if (run == nullptr ||
            (run->outcome != Outcome::applied && run->outcome != Outcome::resumed)) {
            detail::fail_step(step, step.file, 0,
                              run == nullptr ? "apply did not run it"
                                             : "apply held it: " + run->reason);
            return std::nullopt;
        }
        step.status = StepStatus::ok;
        return *run;
    } catch (const Error& error) {
        stop_if_interrupted(); // SIGINT stopped the run: not the migration's failure
        step.duration_ms = ms_since(start);
        detail::fail_step(step, error.context().file.empty() ? step.file : error.context().file,
                          error.context().line, error.message());
        return std::nullopt;
    }
}

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

/// The boundaries to interrupt at: 1..count, at most `limit` of them, evenly spread, the
/// first and the last always in.
std::vector<int> boundaries(int count, int limit)
{
    std::vector<int> out;
    if (count <= 0 || limit <= 0) {
        return out;
    }
    if (count <= limit) {
        for (int k = 1; k <= count; ++k) {
            out.push_back(k);
        }
        return out;
    }
    for (int i = 0; i < limit; ++i) {
        const int k = 1 + static_cast<int>((static_cast<long long>(count - 1) * i) / (limit - 1));
        if (out.empty() || out.back() != k) {
            out.push_back(k);
        }
    }
    return out;
}

/// What ran last before an abandoned run stopped, from apply's message.
std::string stopped_after(const Error& error)
{
    std::string after = error.message();
    const std::string cut = "stopped as asked after ";
    if (after.rfind(cut, 0) == 0) {
        after = after.substr(cut.size());
        after = after.substr(0, after.find(", as a killed"));
    }
    return after;
}

/// The interruptions of a no-transaction file or a backfill, on one copy of `pristine`
/// (the state before it): the run stops after the first boundary; a copy of that state is
/// rolled back with the down file; the next run resumes from there and stops at the next
/// boundary, and so on; the last run resumes to completion and must leave the schema and
/// the data of an uninterrupted run. Each resume is thus tested from its own boundary,
/// with one database copy per boundary for the rollback (none without a down file).
void interrupt_everywhere(MigrationRehearsal& out, const Context& context,
                          const model::Migration& migration,
                          const std::optional<model::MigrationFile>& down, Database& pristine,
                          const DatabaseState& before, const DatabaseState& after_up, int count,
                          const detail::DataScope& scope)
{
    auto& server = context.server;
    out.interrupt = StepStatus::ok;
    Database stopped(server, pristine.copy());
    int done = 0;
    bool finished = false;
    for (int k : boundaries(count, context.options.max_interruptions)) {
        stop_if_interrupted();
        auto options = context.apply_options(migration.version);
        options.abandon_after = k - done;
        const auto start = Clock::now();
        StepResult* resumed =
            out.interruptions.empty() ? nullptr : &out.interruptions.back().resume;
        try {
            apply(stopped.session(), stopped.conninfo(), context.set, options);
            finished = true; // fewer boundaries than counted: this run went to the end
            break;
        } catch (const Error& error) {
            stop_if_interrupted();
            if (error.code() != "apply-abandoned") {
                StepResult failed;
                detail::fail_step(failed, migration.up.relative_path, error.context().line,
                                  error.message());
                if (resumed != nullptr) {
                    *resumed = std::move(failed);
                } else {
                    Interruption point{.boundary = k, .resume = std::move(failed)};
                    out.interruptions.push_back(std::move(point));
                }
                out.interrupt = StepStatus::failed;
                stopped.drop();
                return;
            }
            if (resumed != nullptr) {
                resumed->status = StepStatus::ok;
                resumed->duration_ms = ms_since(start);
            }
            Interruption point{.boundary = k, .after = stopped_after(error)};
            done = k;
            // Rolled back from the interrupted state, on a copy.
            if (down) {
                Database rolled(server, stopped.copy());
                detail::run_down(point.rollback, rolled.session(), migration, *down,
                                 context.options.lock_timeout);
                if (point.rollback.status != StepStatus::failed) {
                    detail::judge_schema(point.rollback, before.schema,
                                         integrity::read_schema(rolled.session()));
                }
                rolled.drop();
            } else {
                point.rollback.status = StepStatus::missing;
                point.rollback.reason = "no down file; a compensation needs a finished migration";
            }
            if (point.rollback.status == StepStatus::failed) {
                out.interrupt = StepStatus::failed;
            }
            out.interruptions.push_back(std::move(point));
        }
    }
    if (!out.interruptions.empty()) {
        // The last resume, to completion: the state of an uninterrupted run.
        auto& last = out.interruptions.back().resume;
        if (finished ||
            apply_up(last, context, stopped, migration, context.apply_options(migration.version))) {
            last.status = StepStatus::ok;
            const auto now = detail::read_state(stopped.session(), scope);
            detail::judge_schema(last, after_up.schema, now.schema);
            for (const auto& difference : integrity::diff(after_up.data, now.data)) {
                last.differences.push_back(difference.describe());
                last.status = StepStatus::failed;
            }
        }
        if (last.status == StepStatus::failed) {
            out.interrupt = StepStatus::failed;
        }
    }
    stopped.drop();
}

/// Rebuilds `work` at the state after `migration` when a rollback or a redo left it in
/// another: a copy of the start state, the migrations up to this one applied, rows.
void recover(const Context& context, Database& work, const model::Migration& migration)
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

/// Whether `statement` may change data beyond the tables the plan says it locks.
bool reaches_further(const model::Statement& statement, bool triggers)
{
    using Kind = model::StatementKind;
    switch (statement.kind) {
    case Kind::drop_other:
    case Kind::do_block:
    case Kind::select:
    case Kind::other:
    case Kind::unparsed:
    case Kind::truncate:    // CASCADE empties the tables that reference it
    case Kind::delete_rows: // ON DELETE CASCADE reaches the tables that reference it
        return true;
    case Kind::insert:
    case Kind::update:
        return triggers;
    default:
        return false;
    }
}

/// The tables whose data the up, the down file and the compensation of `migration` can
/// change (detail::DataScope): those the plans lock, unless a statement reaches further.
detail::DataScope data_scope(const Context& context, const model::Migration& migration,
                             const std::optional<model::MigrationFile>& down,
                             const integrity::SchemaFingerprint& schema)
{
    const bool triggers = std::any_of(schema.objects.begin(), schema.objects.end(),
                                      [](const auto& object) { return object.kind == "trigger"; });
    std::set<std::string> tables;
    auto add = [&tables](const plan::PlanReport& report, const std::string& file) {
        for (const auto& statement : report.statements) {
            if (statement.file == file) {
                for (const auto& lock : statement.locks) {
                    tables.insert(lock.relation);
                }
            }
        }
    };
    for (const auto& statement : migration.up.statements) {
        if (reaches_further(statement, triggers)) {
            return std::nullopt;
        }
    }
    add(context.plan, migration.up.relative_path);
    if (down) {
        for (const auto& statement : down->statements) {
            if (reaches_further(statement, triggers)) {
                return std::nullopt;
            }
        }
        try {
            add(plan::analyze_sql(down->text, down->relative_path), down->relative_path);
        } catch (const Error&) {
            return std::nullopt;
        }
    }
    // Scan patterns are `schema.name` as stored: a name that needs quotes or holds a
    // wildcard is scanned with the rest.
    for (const auto& table : tables) {
        if (table.find_first_of("\"*?") != std::string::npos) {
            return std::nullopt;
        }
    }
    return tables;
}

/// Rehearses one migration on `work` (at `before`); on success `work` and `before` are at
/// the state after it. Returns false when the rehearsal must stop (the up failed).
bool rehearse_one(const Context& context, const model::Migration& migration, Database& work,
                  DatabaseState& before, MigrationRehearsal& out)
{
    auto& server = context.server;
    const auto& options = context.options;
    const auto& up = migration.up;
    out.version = migration.version;
    out.name = migration.name;
    out.file = up.relative_path;
    out.transactional = up.directives.transactional == model::Transactional::yes;
    out.backfill = up.directives.backfill.has_value();
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

    std::optional<Database> pristine;
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

/// Refuses a database that another history says is deployed, or one left dirty.
void check_scratch(const std::string& conninfo, bool confirmed)
{
    auto session = platform::Session::connect(conninfo, {.application_name = "migsafe rehearse"});
    const auto history = read_history(session);
    for (const auto& entry : history) {
        if (entry.status == HistoryStatus::failed || entry.status == HistoryStatus::partial) {
            throw Error("rehearse-dirty",
                        fmt::format("{} holds migration {} ({}) in status {}: the scratch "
                                    "database is not in a known state",
                                    session.redacted_conninfo(), entry.version.text(), entry.file,
                                    to_string(entry.status)),
                        {.object = "--db"});
        }
    }
    const auto tables = platform::catalog::user_table_count(session);
    if (!confirmed && (!history.empty() || tables > 0)) {
        throw Error("rehearse-not-scratch",
                    fmt::format("{} is not an empty scratch database: its migsafe.history "
                                "holds {} applied migration(s) and it has {} table(s); "
                                "rehearse copies it and runs every migration and rollback on "
                                "its server",
                                session.redacted_conninfo(), history.size(), tables),
                    {.object = "--db"});
    }
}

/// `migrations before `from` are applied` as read from another database's schema: their
/// history rows say adopted.
void adopt_earlier(platform::Session& session, const model::MigrationSet& set, std::size_t first)
{
    detail::ensure_history(session);
    for (std::size_t i = 0; i < first; ++i) {
        const auto& m = set.migrations[i];
        HistoryEntry entry;
        entry.version = m.version;
        entry.name = m.name;
        entry.file = m.up.relative_path;
        entry.checksum = file_checksum(m.up.text);
        entry.phase = m.up.directives.phase ? std::string(model::to_string(*m.up.directives.phase))
                                            : std::string("expand");
        entry.transactional = m.up.directives.transactional == model::Transactional::yes;
        entry.status = HistoryStatus::adopted;
        entry.statements_total = static_cast<int>(m.up.statements.size());
        entry.statements_applied = entry.statements_total;
        entry.started_at = snapshot::detail::rfc3339(std::chrono::system_clock::now());
        entry.finished_at = entry.started_at;
        entry.migsafe_version = MIGSAFE_VERSION_STRING;
        entry.run_id = "rehearse";
        entry.provenance = R"({"tool": "rehearse", "why": "schema read from --schema-from"})";
        detail::record(session, entry, true);
    }
}

/// Runs `file` with psql on `conninfo`, stopping at the first error, in one transaction.
void load_data(const std::string& conninfo, const std::filesystem::path& file)
{
    auto binaries = platform::find_pg_binaries({.required = {"psql"}});
    auto result = platform::run_process(
        {.program = binaries.program("psql").string(),
         .args = {"-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", "-f", file.string()},
         .env = platform::libpq_environment(conninfo),
         .on_failure = platform::OnFailure::return_result});
    if (result.exit_code != 0) {
        throw Error("rehearse-data-failed",
                    fmt::format("{} did not load: {}", file.string(), result.err),
                    {.file = file.string()});
    }
}

/// Builds the start state in `work`: the migrations before `first` (applied, or adopted
/// after copying a live schema), then rows.
std::string build_start(const Context& context, Database& work, std::size_t first)
{
    const auto& options = context.options;
    const auto& set = context.set;
    const auto conninfo = work.conninfo();
    std::string start;
    if (!options.schema_from.empty()) {
        trace::detail::copy_schema(options.schema_from, work.session());
        adopt_earlier(work.session(), set, first);
        start = fmt::format("the schema of {}", migsafe::redact_conninfo(options.schema_from));
    } else if (first > 0) {
        // Those the scratch database already holds are not run again.
        const auto& last = set.migrations[first - 1];
        const auto failed = [&](const std::string& file, int line, const std::string& message) {
            return Error("rehearse-start-failed",
                         fmt::format("the migrations before {} do not apply: {}{}: {}",
                                     set.migrations[first].version.text(), file,
                                     line > 0 ? fmt::format(":{}", line) : "", message),
                         {.file = file, .line = line});
        };
        try {
            const auto report =
                apply(work.session(), conninfo, set, context.apply_options(last.version));
            if (!report.problems.empty()) {
                throw failed(last.up.relative_path, 0, report.problems.front());
            }
        } catch (const Error& error) {
            if (error.code() == "rehearse-start-failed") {
                throw;
            }
            throw failed(error.context().file, error.context().line, error.message());
        }
        start = fmt::format("{} migration(s) before {} applied", first,
                            set.migrations[first].version.text());
    } else {
        start = "an empty database";
    }
    if (!options.data_file.empty()) {
        load_data(conninfo, options.data_file);
        start += fmt::format(", then {}", options.data_file.string());
    } else if (options.rows > 0) {
        const auto filled = platform::catalog::fill_empty_tables(work.session(), options.rows);
        start += filled.filled.empty()
                     ? fmt::format("; each table a migration creates gets {} generated rows",
                                   options.rows)
                     : fmt::format(", then {} generated rows in each of {} table(s) (and in "
                                   "each table a migration creates)",
                                   options.rows, filled.filled.size());
    }
    return start;
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
        check_scratch(options.conninfo, options.scratch_confirmed);
    }
    interrupt::Unwind unwind;
    auto server = options.conninfo.empty() ? RehearsalServer::ephemeral()
                                           : RehearsalServer::existing(options.conninfo);
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
            name = probe.query_value("SELECT pg_catalog.current_database()").value_or("");
        }
        name = server.copy(name);
    }
    Database start(server, name);
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
    report.start = build_start(context, start, first);
    if (first < set.migrations.size()) {
        report.from = set.migrations[first].version.text();
    }
    context.origin = start.name();
    context.first = first;
    Database work(server, start.copy());
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
