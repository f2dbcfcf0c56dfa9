#pragma once
// Private pieces of the apply runner: what the runner knows of each pending migration,
// how a run is set up, and the catalog reads it needs (apply_catalog.cpp).

#include <migsafe/adopt/history_table.hpp>
#include <migsafe/model/migration_set.hpp>
#include <migsafe/plan/report.hpp>
#include <migsafe/platform/session.hpp>
#include <migsafe/workflow/adopt.hpp>
#include <migsafe/workflow/apply.hpp>
#include <migsafe/workflow/history.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace migsafe::workflow::detail {

/// The application_name of the session that runs the migrations.
inline constexpr std::string_view k_application_name = "migsafe apply";

/// A pending migration as the runner sees it: its plan and what it touches.
struct Pending {
    const model::Migration* migration = nullptr;
    plan::Phase phase = plan::Phase::expand;
    std::vector<plan::StatementPlan> statements{}; ///< aligned with migration->up.statements
    bool risky = false;
    std::string risky_reason{};      ///< e.g. `MS-IDX-01 (error) at 0007_x.sql:3`
    std::set<std::string> touched{}; ///< relations it locks, schema-qualified
    /// Tables its destructive statements act on, with where (`0009_x.sql:2`): risky unless
    /// the same run created them.
    std::map<std::string, std::string> destroys{};
    bool backfill = false;
    const HistoryEntry* history = nullptr; ///< a failed or partial earlier attempt
};

/// What every step of one run shares.
struct Run {
    platform::Session& session; ///< runs the migrations
    platform::Session& monitor; ///< holds the runner lock; reads pg_locks when blocked
    const ApplyOptions& options;
    std::string conninfo{};
    std::string run_id{};
    std::string client_host{};
    std::string client_user{};
    std::string snapshot_id{};
    /// `--keep-history`: the other runner's table its rows go to (nullptr: none).
    const adopt::HistoryTable* tool_table = nullptr;

    void say(const model::Version& version, std::string message) const;
    /// How to resume after a partial failure: the command of `options.resume_command`, or
    /// a generic sentence.
    std::string resume_sentence() const;
};

/// Thrown where `ApplyOptions::abandon_after` stops a run. Not a `migsafe::Error`, so no
/// failure handler records anything on its way out, as with a killed runner; apply()
/// turns it into `apply-abandoned`.
struct Abandoned {
    std::string after{}; ///< what committed last: `statement 2 of 3 (0007_x.sql:4)`, `batch 2`
};

/// Whether a statement cannot run inside a transaction block (CONCURRENTLY, VACUUM, ...).
bool runs_outside_transaction(const model::Statement& statement);

/// The history row a run starts from for `pending` (status, counts and checksums filled).
HistoryEntry new_entry(const Run& run, const Pending& pending);

/// The runner's own session settings (set after connecting and after each RESET ALL).
void runner_settings(platform::Session& session);

/// RESET ALL (a SET in one file must not leak into the next), then `runner_settings`.
void reset_session(platform::Session& session);

/// Writes the history row of an applied migration and, with `--keep-history`, the other
/// runner's row for it (apply_keep_history.cpp). Run it inside the migration's transaction,
/// or in a transaction of its own, so that the two rows commit together.
void record_applied(const Run& run, const Pending& pending, const HistoryEntry& entry);

/// The table `runner` keeps its history in: found where the tool looks (schema and table
/// as configured, else the tool's defaults), or the place the tool would create it in
/// (create it with adopt::ensure_tool_history under the tool's lock). Throws
/// `adopt-history-foreign` when a table of that name is not the tool's.
adopt::HistoryTable tool_history_place(platform::Session& session, const ConfiguredRunner& runner);

/// Runs a transactional migration: one transaction (retried on lock timeouts), the
/// history row committed with it. Returns the attempts made.
int run_transactional(const Run& run, const Pending& pending, HistoryEntry& entry);

/// Runs a no-transaction migration statement by statement from
/// `entry.statements_applied`, recording progress after each.
void run_statement_by_statement(const Run& run, const Pending& pending, HistoryEntry& entry);

/// Runs a backfill migration in keyset batches (apply_backfill.cpp), each batch's
/// checkpoint committed with it; resumes from the history's checkpoint.
void run_backfill(const Run& run, const Pending& pending, HistoryEntry& entry, MigrationRun& out);

// ---- catalog reads (apply_catalog.cpp)

/// One line per session that holds a granted lock on one of `relations` (pid, user,
/// application, client, state, transaction age, mode): who blocks a migration.
std::vector<std::string> lock_holders(platform::Session& monitor,
                                      const std::set<std::string>& relations, int exclude_pid);

/// The INVALID indexes on `table`: schema-qualified name -> the name quoted for SQL.
std::map<std::string, std::string> invalid_indexes(platform::Session& session,
                                                   const std::string& table);

/// Whether index `qualified` exists, and is valid: nullopt when it does not exist.
std::optional<bool> index_valid(platform::Session& session, const std::string& qualified);

/// The server processes of an interrupted run still running a statement (sessions named
/// `k_application_name` other than `exclude_pids` that are active), one line each.
std::vector<std::string> interrupted_backends(platform::Session& session,
                                              const std::vector<int>& exclude_pids);

/// Of `names` (display forms), those that exist now as a relation (table, view,
/// materialized view, sequence, index), a type or a function.
std::set<std::string> existing_objects(platform::Session& session,
                                       const std::set<std::string>& names);

} // namespace migsafe::workflow::detail
