// Running one migration: in one transaction, or statement by statement for a
// no-transaction file; bounded lock waits retried with jittered exponential backoff.
#include "model/version_format.hpp"
#include "platform/catalog/index_queries.hpp"
#include "platform/catalog/session_settings.hpp"
#include "platform/catalog/timeouts.hpp"
#include "platform/elapsed.hpp"
#include "platform/logging.hpp"
#include "snapshot/layout.hpp"
#include "workflow/apply_internal.hpp"
#include "workflow/history_store.hpp"

#include <migsafe/platform/duration.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/hash.hpp>
#include <migsafe/platform/interrupt.hpp>
#include <migsafe/platform/transaction.hpp>
#include <migsafe/version.hpp>
#include <migsafe/workflow/status.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <thread>

namespace migsafe::workflow::detail {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

using platform::ms_since;

/// Failures another attempt may cure: the transaction was rolled back whole.
bool retryable(const Error& error)
{
    return error.code() == "db-lock-timeout" || error.code() == "db-deadlock" ||
           error.code() == "db-serialization-failure";
}

/// Sleeps before attempt `attempt + 1`: retry_pause * 2^(attempt-1), at most 30 s, with
/// jitter (half to all of it) so that runners and applications do not collide again.
void back_off(const Run& run, const model::Version& version, int attempt, const Error& error)
{
    static thread_local std::mt19937 random(std::random_device{}());
    auto base = run.options.retry_pause * (1LL << std::min(attempt - 1, 16));
    base = std::min<milliseconds>(base, std::chrono::seconds(30));
    std::uniform_int_distribution<long long> jitter(base.count() / 2, base.count());
    milliseconds pause(jitter(random));
    run.say(version, fmt::format("{} (attempt {} of {}); trying again in {}", error.message(),
                                 attempt, run.options.retries + 1, format_duration(pause)));
    auto until = Clock::now() + pause;
    while (Clock::now() < until && !migsafe::interrupt::requested()) {
        std::this_thread::sleep_for(std::min<milliseconds>(milliseconds(50), pause));
    }
}

/// lock_timeout and statement_timeout for the migration's transaction (`local`) or session.
void set_timeouts(platform::Session& session, bool local, std::optional<milliseconds> lock,
                  std::optional<milliseconds> statement)
{
    platform::catalog::set_timeouts(session,
                                    local ? platform::catalog::SettingScope::transaction
                                          : platform::catalog::SettingScope::session,
                                    lock, statement);
}

const model::Statement& statement_at(const Pending& pending, int index)
{
    return pending.migration->up.statements.at(static_cast<std::size_t>(index));
}

ErrorContext where(const Pending& pending, int index, const Error& cause)
{
    ErrorContext context;
    context.file = pending.migration->up.relative_path;
    if (index >= 0) {
        context.line = statement_at(pending, index).line;
        context.column = statement_at(pending, index).column;
        context.statement_index = index;
    }
    context.sqlstate = cause.context().sqlstate;
    context.object = cause.context().object;
    return context;
}

std::string located(const Pending& pending, int index)
{
    if (index < 0) {
        return pending.migration->up.relative_path;
    }
    return fmt::format("{}:{}", pending.migration->up.relative_path,
                       statement_at(pending, index).line);
}

/// The exit-3 error after the last lock timeout: names who holds the locks now.
Error lock_timeout_error(const Run& run, const Pending& pending, int index, int attempts,
                         const Error& cause)
{
    std::vector<std::string> holders;
    try {
        holders = lock_holders(run.monitor, pending.touched, run.session.backend_pid());
    } catch (const Error& error) {
        migsafe::detail::log_warn("could not read pg_locks: {}", error.message());
    }
    std::string who = holders.empty() ? "no session holds a lock on its tables any more (run again)"
                                      : fmt::format("blocked by {}", fmt::join(holders, "; "));
    return Error("apply-lock-timeout",
                 fmt::format("lock not obtained within {} in {} attempts; {}",
                             format_duration(run.options.lock_timeout), attempts, who),
                 where(pending, index, cause));
}

/// Records a failed attempt in a transaction of its own; a failure to record is logged
/// (the error being reported matters more).
void record_failure(const Run& run, HistoryEntry entry, const std::string& message)
{
    entry.error = message;
    try {
        record(run.session, entry, true);
    } catch (const Error& error) {
        migsafe::detail::log_warn("could not record the failure of version {}: {}", entry.version,
                                  error.message());
    }
}

bool sets(const model::Statement& statement, std::string_view name)
{
    const auto* set = statement.get_if<model::SetVariable>();
    return set != nullptr && (set->name == name || set->name.empty());
}

/// Where a CREATE INDEX CONCURRENTLY puts its index: `schema.name` (empty when unnamed).
std::string index_of(const model::Statement& statement)
{
    const auto* index = statement.get_if<model::CreateIndex>();
    if (index == nullptr || index->name.empty()) {
        return {};
    }
    return platform::qualified_name(index->table.schema, index->name);
}

/// What a failure says: the error's message, after the signal that caused it.
std::string failure_text(const Error& error)
{
    if (!migsafe::interrupt::requested()) {
        return error.message();
    }
    return fmt::format("interrupted by {} ({})", migsafe::interrupt::signal_name(),
                       error.message());
}

/// The hint of a failure: the cause's, unless a signal caused it.
std::string hint_of(const Error& error)
{
    return migsafe::interrupt::requested()
               ? std::string("the run was interrupted, not refused: run migsafe apply again to "
                             "apply the migration")
               : error.hint();
}

/// Throws when SIGINT/SIGTERM arrived: the statement about to run is not started.
void stop_if_interrupted()
{
    if (migsafe::interrupt::requested()) {
        throw Error("apply-interrupted", "stopped before the statement started");
    }
}

} // namespace

void Run::say(const model::Version& version, std::string message) const
{
    migsafe::detail::log_info("{:04}: {}", version, message);
    if (options.progress) {
        options.progress({.version = version, .message = std::move(message)});
    }
}

std::string Run::resume_sentence() const
{
    return options.resume_command.empty()
               ? "run migsafe apply again with the same options to resume"
               : fmt::format("run `{}` to resume", options.resume_command);
}

bool runs_outside_transaction(const model::Statement& statement)
{
    using Kind = model::StatementKind;
    if (const auto* index = statement.get_if<model::CreateIndex>()) {
        return index->concurrently;
    }
    if (const auto* drop = statement.get_if<model::DropIndex>()) {
        return drop->concurrently;
    }
    if (statement.kind == Kind::vacuum) {
        return true;
    }
    if (const auto* alter = statement.get_if<model::AlterTable>()) {
        return std::any_of(alter->actions.begin(), alter->actions.end(),
                           [](const auto& action) { return action.concurrently; });
    }
    return false;
}

HistoryEntry new_entry(const Run& run, const Pending& pending)
{
    const auto& up = pending.migration->up;
    HistoryEntry entry;
    entry.version = pending.migration->version;
    entry.name = pending.migration->name;
    entry.file = up.relative_path;
    entry.checksum = file_checksum(up.text);
    entry.phase = std::string(plan::to_string(pending.phase));
    entry.transactional = up.directives.transactional == model::Transactional::yes;
    entry.status = HistoryStatus::partial;
    entry.statements_total = static_cast<int>(up.statements.size());
    if (pending.history != nullptr && pending.history->status == HistoryStatus::partial) {
        entry.statements_applied = pending.history->statements_applied;
        entry.backfill = pending.history->backfill;
        entry.objects_before = pending.history->objects_before;
        entry.integrity_before = pending.history->integrity_before;
    }
    for (const auto& statement : up.statements) {
        entry.statement_checksums.push_back(xxh3_128(statement.sql).to_hex());
    }
    entry.started_at = snapshot::detail::rfc3339(std::chrono::system_clock::now());
    entry.client_host = run.client_host;
    entry.client_user = run.client_user;
    entry.migsafe_version = MIGSAFE_VERSION_STRING;
    entry.run_id = run.run_id;
    entry.snapshot_id = run.snapshot_id;
    return entry;
}

int run_transactional(const Run& run, const Pending& pending, HistoryEntry& entry)
{
    auto& session = run.session;
    const auto& statements = pending.migration->up.statements;
    const int count = static_cast<int>(statements.size());
    const model::Version& version = pending.migration->version;
    for (int attempt = 1;; ++attempt) {
        const auto start = Clock::now();
        int index = -1;
        try {
            platform::Transaction transaction(session);
            set_timeouts(session, true, run.options.lock_timeout, run.options.statement_timeout);
            for (index = 0; index < count; ++index) {
                stop_if_interrupted();
                session.exec(statements[static_cast<std::size_t>(index)].sql);
            }
            index = -1;
            stop_if_interrupted(); // the statements ran; the commit would apply them
            entry.status = HistoryStatus::applied;
            entry.statements_applied = count;
            entry.attempts = attempt;
            entry.duration_ms = ms_since(start);
            if (run.options.before_commit) {
                run.options.before_commit(session, version);
            }
            record_applied(run, pending, entry);
            transaction.commit();
            reset_session(session); // a SET in the file must not leak into the next one
            return attempt;
        } catch (const Error& error) {
            if (error.code() == "db-connection-lost") {
                throw Error("apply-connection-lost",
                            fmt::format("the connection broke while it ran ({}); whether it "
                                        "committed is unknown: run migsafe status, then {}",
                                        error.message(), run.resume_sentence()),
                            where(pending, index, error));
            }
            if (retryable(error) && attempt <= run.options.retries &&
                !migsafe::interrupt::requested()) {
                back_off(run, version, attempt, error);
                continue;
            }
            entry.status = HistoryStatus::failed;
            entry.statements_applied = 0;
            entry.attempts = attempt;
            entry.duration_ms = ms_since(start);
            if (error.code() == "db-lock-timeout") {
                auto failure = lock_timeout_error(run, pending, index, attempt, error);
                record_failure(run, entry, failure.located_message());
                throw failure;
            }
            std::string message =
                fmt::format("{}; the migration was rolled back (the database is as before it)",
                            failure_text(error));
            record_failure(run, entry, located(pending, index) + ": " + message);
            throw Error("apply-migration-failed", message, where(pending, index, error),
                        hint_of(error));
        }
    }
}

namespace {

/// What an earlier attempt of the migration may have left at the first statement this run
/// runs of it.
enum class Earlier {
    none,    ///< no earlier attempt reached it
    failed,  ///< an attempt failed there (and its clean-up may have failed too)
    partial, ///< an attempt stopped there: killed while it ran, or before its record
};

/// What a failed statement left in the database.
enum class Leftover {
    none,     ///< nothing: the database is as before the statement
    possible, ///< something may be left (an INVALID index, a partition being detached)
};

const char* by_whom(Earlier earlier)
{
    return earlier == Earlier::partial ? "the interrupted run" : "the failed run";
}

/// What a failed statement that ran outside a transaction left behind, after the clean-up.
Leftover left_by(platform::Session& session, const model::Statement& statement)
{
    if (statement.kind == model::StatementKind::vacuum) {
        return Leftover::none;
    }
    if (const auto* drop = statement.get_if<model::DropIndex>()) {
        // A DROP INDEX CONCURRENTLY that failed after its first step leaves the index
        // INVALID; before it, the index is as it was.
        for (const auto& index : drop->indexes) {
            if (index_valid(session, index.qualified()) == false) {
                return Leftover::possible;
            }
        }
        return Leftover::none;
    }
    return Leftover::possible;
}

/// Runs statement `index` of a no-transaction file, retried on lock timeouts; records the
/// progress with it (in its transaction when it can run in one). On failure, `left` says
/// whether the database may hold part of the statement.
void run_one(const Run& run, const Pending& pending, int index, Earlier earlier,
             bool user_lock_timeout, bool user_statement_timeout, Leftover& left)
{
    auto& session = run.session;
    const auto& statement = statement_at(pending, index);
    const model::Version& version = pending.migration->version;
    bool outside = runs_outside_transaction(statement);
    const std::string index_name = index_of(statement);
    const auto* create = statement.get_if<model::CreateIndex>();
    const std::string table = create != nullptr ? create->table.qualified() : std::string();
    const auto* drop = statement.get_if<model::DropIndex>();
    left = Leftover::none;
    for (int attempt = 1;; ++attempt) {
        std::map<std::string, std::string> invalid_before;
        try {
            stop_if_interrupted();
            if (outside) {
                if (!user_lock_timeout) {
                    set_timeouts(session, false, run.options.concurrently_timeout, std::nullopt);
                }
                if (!user_statement_timeout) {
                    set_timeouts(session, false, std::nullopt, milliseconds(0));
                }
                if (!index_name.empty() && earlier != Earlier::none) {
                    // A run killed during the build (or between the build and its record)
                    // left the index: valid, it is complete; INVALID, it goes.
                    auto valid = index_valid(session, index_name);
                    if (valid == true && earlier == Earlier::partial) {
                        run.say(version, fmt::format("{} was built by the interrupted run; "
                                                     "not building it again",
                                                     index_name));
                        record_progress(session, version, index + 1);
                        return;
                    }
                    if (valid == false) {
                        run.say(version, fmt::format("dropping the INVALID index {} left by {}",
                                                     index_name, by_whom(earlier)));
                        left = Leftover::possible; // until the drop is done
                        platform::catalog::drop_index_concurrently_if_exists(
                            session, create->table.schema, create->name);
                        left = Leftover::none;
                    }
                }
                if (!table.empty()) {
                    invalid_before = invalid_indexes(session, table);
                }
                session.exec(statement.sql);
                record_progress(session, version, index + 1);
            } else {
                platform::Transaction transaction(session);
                set_timeouts(session, true,
                             user_lock_timeout ? std::nullopt
                                               : std::optional(run.options.lock_timeout),
                             user_statement_timeout ? std::nullopt
                                                    : std::optional(run.options.statement_timeout));
                session.exec(statement.sql);
                record_progress(session, version, index + 1);
                transaction.commit();
            }
            return;
        } catch (const Error& error) {
            if (!outside && error.context().sqlstate == "25001") {
                outside = true; // "cannot run inside a transaction block": run it alone
                --attempt;
                continue;
            }
            if (error.code() == "db-connection-lost") {
                left = Leftover::possible;
                throw;
            }
            if (drop != nullptr && outside && earlier == Earlier::partial &&
                error.context().sqlstate == "42704") {
                // "does not exist": the interrupted run dropped it before it could record.
                run.say(version,
                        fmt::format("{} was dropped by the interrupted run",
                                    drop->indexes.empty() ? std::string("the index")
                                                          : drop->indexes.front().qualified()));
                record_progress(session, version, index + 1);
                return;
            }
            if (outside && error.code() != "apply-interrupted" && left == Leftover::none) {
                left = table.empty() ? left_by(session, statement) : Leftover::none;
            }
            if (outside && !table.empty()) {
                // A failed CONCURRENTLY build leaves an INVALID index behind: drop it so
                // that neither the retry nor the table keeps it.
                try {
                    for (const auto& [name, quoted] : invalid_indexes(session, table)) {
                        if (invalid_before.count(name) == 0) {
                            run.say(version,
                                    fmt::format("dropping the INVALID index {} left by the "
                                                "failed build",
                                                name));
                            const auto left_index = model::RelationName::from_qualified(quoted);
                            platform::catalog::drop_index_concurrently_if_exists(
                                session, left_index.schema, left_index.name);
                        }
                    }
                } catch (const Error& cleanup) {
                    left = Leftover::possible;
                    migsafe::detail::log_warn("could not drop the INVALID index: {}",
                                              cleanup.message());
                }
            }
            if (retryable(error) && attempt <= run.options.retries &&
                !migsafe::interrupt::requested()) {
                back_off(run, version, attempt, error);
                continue;
            }
            if (error.code() == "db-lock-timeout") {
                throw lock_timeout_error(run, pending, index, attempt, error);
            }
            throw;
        }
    }
}

} // namespace

void reset_session(platform::Session& session)
{
    platform::catalog::reset_session_settings(session);
    runner_settings(session);
}

void runner_settings(platform::Session& session)
{
    // PostgreSQL 14+: a server process whose client is gone (migsafe killed) stops its
    // statement within a second instead of running it to the end, e.g. finishing an index
    // build nobody will record. A rerun waits for such processes (interrupted_backends).
    if (session.server_version() >= 140000) {
        platform::catalog::check_client_connection_every(session, std::chrono::seconds(1));
    }
}

void run_statement_by_statement(const Run& run, const Pending& pending, HistoryEntry& entry)
{
    auto& session = run.session;
    const auto& statements = pending.migration->up.statements;
    const int count = static_cast<int>(statements.size());
    const int first = entry.statements_applied;
    const auto start = Clock::now();
    // What an earlier attempt may have left at the first statement this run runs.
    const Earlier earlier = pending.history == nullptr                          ? Earlier::none
                            : pending.history->status == HistoryStatus::partial ? Earlier::partial
                                                                                : Earlier::failed;
    record(session, entry, false); // partial, committed before the first statement runs
    bool user_lock_timeout = false;
    bool user_statement_timeout = false;
    // A resumed file gets back the session settings its earlier statements made.
    for (int index = 0; index < first; ++index) {
        const auto& statement = statement_at(pending, index);
        if (statement.kind == model::StatementKind::set) {
            session.exec(statement.sql);
            user_lock_timeout = user_lock_timeout || sets(statement, "lock_timeout");
            user_statement_timeout = user_statement_timeout || sets(statement, "statement_timeout");
        }
    }
    if (earlier == Earlier::partial && first >= count) {
        // Stopped after its last statement, before the record: nothing is left to run.
        run.say(pending.migration->version,
                fmt::format("all {} statements ran in the interrupted run; recording it", count));
    } else if (earlier == Earlier::partial) {
        run.say(pending.migration->version, fmt::format("resuming at statement {} of {} ({})",
                                                        first + 1, count, located(pending, first)));
    }
    for (int index = first; index < count; ++index) {
        const auto& statement = statement_at(pending, index);
        user_lock_timeout = user_lock_timeout || sets(statement, "lock_timeout");
        user_statement_timeout = user_statement_timeout || sets(statement, "statement_timeout");
        Leftover left = Leftover::none;
        try {
            run_one(run, pending, index, index == first ? earlier : Earlier::none,
                    user_lock_timeout, user_statement_timeout, left);
            entry.statements_applied = index + 1;
        } catch (const Error& error) {
            entry.duration_ms = ms_since(start);
            const bool nothing_done = entry.statements_applied == 0 && left == Leftover::none;
            entry.status = nothing_done ? HistoryStatus::failed : HistoryStatus::partial;
            if (nothing_done && error.code() == "apply-lock-timeout") {
                record_failure(run, entry, error.located_message());
                throw;
            }
            std::string message =
                error.code() == "apply-lock-timeout" ? error.message()
                : error.code() == "apply-interrupted"
                    ? fmt::format("interrupted by {} before statement {} of {}",
                                  migsafe::interrupt::signal_name(), index + 1, count)
                    : fmt::format("statement {} of {} failed: {}", index + 1, count,
                                  failure_text(error));
            record_failure(run, entry, located(pending, index) + ": " + message);
            try {
                reset_session(session);
            } catch (const Error&) {
                // the connection may be gone; nothing to reset then
            }
            if (nothing_done) {
                throw Error("apply-migration-failed",
                            message + "; no statement of it was applied (the database is as "
                                      "before it)",
                            where(pending, index, error), hint_of(error));
            }
            throw Error("apply-partial",
                        fmt::format("{}; {} of {} statements of {} are applied{} (no-transaction "
                                    "file): fix the failing statement if needed, then {}",
                                    message, entry.statements_applied, count,
                                    pending.migration->up.relative_path,
                                    left == Leftover::none
                                        ? ""
                                        : fmt::format(" and statement {} may have left part of its "
                                                      "work (a rerun cleans up what it can)",
                                                      index + 1),
                                    run.resume_sentence()),
                        where(pending, index, error));
        }
        if (run.options.abandon_after &&
            entry.statements_applied - first == *run.options.abandon_after) {
            throw Abandoned{.after = fmt::format("statement {} of {} ({})", index + 1, count,
                                                 located(pending, index))};
        }
    }
    entry.status = HistoryStatus::applied;
    entry.duration_ms = ms_since(start);
    {
        platform::Transaction transaction(session);
        record_applied(run, pending, entry);
        transaction.commit();
    }
    reset_session(session);
}

} // namespace migsafe::workflow::detail
