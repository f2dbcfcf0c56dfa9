#pragma once

/// The trace engine: ground truth from PostgreSQL. Each migration runs inside a
/// transaction on a scratch database; per statement, migsafe reads the relation locks it
/// newly took (pg_locks of its own backend), the tables it rewrote (pg_class.relfilenode)
/// and the tables it scanned (pg_stat_xact_user_tables.seq_scan), then rolls back.
/// The result has the shape of a plan, so `plan::diff` lists where the static plan and
/// PostgreSQL disagree. docs/trace.md describes the method and its limits.

#include <migsafe/export.hpp>
#include <migsafe/model/migration_set.hpp>
#include <migsafe/plan/analyze.hpp>
#include <migsafe/plan/report.hpp>
#include <migsafe/platform/cluster.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::trace {

/// Settings of a trace. Fill with designated initializers:
/// `trace(files, {.conninfo = db, .setup_files = 2})`.
struct TraceOptions {
    /// The scratch database (libpq conninfo or URL). It is changed: earlier migrations
    /// are committed there and empty tables get generated rows; the traced migrations
    /// themselves are rolled back. Empty: a new ephemeral cluster, removed afterwards.
    std::string conninfo{};
    /// A live database whose schema (pg_dump --schema-only: no rows) the ephemeral cluster
    /// starts from, when `conninfo` is empty (`migsafe plan --trace --db`). Only read.
    /// Pass the migrations it has not applied yet. An empty string is a connection too
    /// (libpq's defaults: the PG* variables). nullopt: the cluster starts empty.
    std::optional<std::string> schema_from{};
    /// How the ephemeral cluster is started when `conninfo` is empty.
    platform::ClusterOptions cluster{};
    /// The first `setup_files` files are applied (committed) and not traced.
    std::size_t setup_files = 0;
    /// Rows generated in each empty table before a migration is traced.
    int rows = 3;
    /// How the static plan that the trace is compared with is made.
    plan::PlanOptions plan{};
    /// True: the static plan is made with the catalog facts of the scratch database, read
    /// just before each traced file (after the setup files and the generated rows), which
    /// is what `migsafe plan --db` sees; `plan.catalog` is then ignored. False: the plan
    /// uses `plan.catalog` as given (nullptr: the plan without a database).
    bool plan_with_catalog = false;
    /// True: every traced file runs against the state the setup files left (each is rolled
    /// back and none is applied), so many independent statements share one database: the
    /// variants of one object state (bench/plan/variants). False: each file is applied
    /// after its trace, so the next one sees it (a migration history).
    bool independent = false;
};

/// The kind of a relation (pg_class.relkind).
enum class RelationKind {
    table,
    partitioned_table,
    index,
    sequence,
    view,
    materialized_view,
    other
};

/// One relation lock seen in pg_locks.
struct ObservedLock {
    std::string relation{}; ///< schema-qualified, as named before the statement ran
    plan::LockMode mode = plan::LockMode::access_share;
    RelationKind kind = RelationKind::table;
    friend bool operator==(const ObservedLock&, const ObservedLock&) = default;
};

/// A partition or inheritance child and its direct parent (pg_inherits).
struct InheritanceLink {
    std::string child{};
    std::string parent{};
    friend bool operator==(const InheritanceLink&, const InheritanceLink&) = default;
};

/// What PostgreSQL did for one statement.
struct StatementTrace {
    std::string file{};
    int line = 0;
    int column = 0;
    std::string sql{};
    bool traced = true;   ///< false: not run (see `reason`); its lists are empty
    std::string reason{}; ///< why it was not traced: CONCURRENTLY, an error, ...
    /// Every (relation, mode) the statement newly took on a relation that existed before
    /// the migration started, all modes, sorted by relation then mode.
    std::vector<ObservedLock> locks{};
    /// The locks the transaction already held on those relations when the statement
    /// started: a lock already held in the same mode cannot be seen to be taken again.
    std::vector<ObservedLock> held_before{};
    std::vector<std::string> rewrites{}; ///< tables and materialized views with a new relfilenode
    std::vector<std::string> scans{};    ///< tables with a sequential scan started
    /// Indexes with a new relfilenode (rebuilt by REINDEX, a table rewrite, TRUNCATE...).
    std::vector<std::string> rebuilt_indexes{};
    /// The inheritance links (partitions included) when the file started.
    std::vector<InheritanceLink> inherits{};
    /// The tables and materialized views with an empty heap when the file started, and
    /// the partitioned tables whose partitions all were: a read of them reads nothing.
    std::vector<std::string> empty{};
    friend bool operator==(const StatementTrace&, const StatementTrace&) = default;
};

/// The result of `trace()`.
struct TraceReport {
    int server_version = 0;                   ///< e.g. 150018
    std::vector<StatementTrace> statements{}; ///< the traced files' statements, in order
    /// The plan made without a database, for the same statements.
    plan::PlanReport static_plan{};
    /// The trace in the shape of a plan (per statement: the strongest lock taken on each
    /// relation, rewrites, scans; no findings), projected as `compare()` describes.
    plan::PlanReport observed{};
    /// `plan::diff(static_plan, observed)`: one line per disagreement.
    std::vector<std::string> disagreements{};
    int compared = 0; ///< statements traced and compared
    int agreed = 0;   ///< of those, statements where static and traced agree

    /// Version of the JSON form; bumped on any incompatible change.
    static constexpr int k_schema_version = 1;

    /// The JSON form (docs/trace.md): `schema_version`, `server_version`, `compared`,
    /// `agreed`, `disagreements`, `statements` (each with `file`, `line`, `column`, `sql`,
    /// `traced`, `reason`, `locks` and `held_before` [{relation, mode, kind}], `rewrites`,
    /// `scans`), `static_plan` and `observed` (plan reports). Pretty-printed.
    MIGSAFE_API std::string to_json() const;

    /// Reads the JSON form back. Throws `trace-report-malformed` on a bad document or an
    /// unknown schema_version.
    MIGSAFE_API static TraceReport from_json(std::string_view json);

    friend bool operator==(const TraceReport&, const TraceReport&) = default;
};

/// `table`, `partitioned_table`, `index`, `sequence`, `view`, `materialized_view`, `other`.
MIGSAFE_API std::string_view to_string(RelationKind kind) noexcept;

/// Traces `files` in order on the scratch database of `options`: files before
/// `options.setup_files` are applied; each later file is traced (every statement in one
/// transaction, rolled back) and then applied, so the next file sees it. Statements that
/// cannot run in a transaction (CONCURRENTLY, VACUUM), transaction control and statements
/// that fail are reported with `traced = false`. Throws `trace-apply-failed` when a file
/// cannot be applied, `db-*` errors of the scratch database, and `cluster-start-failed` /
/// `binary-not-found` when an ephemeral cluster is needed and cannot start.
/// Cost: each traced statement runs once plus four catalog reads.
MIGSAFE_API TraceReport trace(std::span<const plan::PlanInput> files,
                              const TraceOptions& options = {});

/// Traces a migration set (loaded with model::ParseStatements::yes), every migration
/// after the first `options.setup_files`. Throws as the other overload, plus
/// `directive-malformed` for an allow of an unknown rule.
MIGSAFE_API TraceReport trace(const model::MigrationSet& set, const TraceOptions& options = {});

/// The trace as a plan, made comparable with `static_plan` statement by statement:
/// - locks: the strongest mode taken on each relation, leaving out indexes and sequences
///   the static plan does not name for that statement; a mode the static plan names but
///   the transaction already held stands as observed (it cannot be seen to be taken);
/// - a lock, rewrite or scan on a partition or inheritance child that the static plan does
///   not name counts for its nearest ancestor that the static plan locks (the plan names a
///   hierarchy by its parent);
/// - rewrites as traced, plus the rebuilt indexes the static plan names as rewritten;
/// - scans as traced, except on a relation that was empty (`StatementTrace::empty`):
///   reading nothing is not compared (a claimed scan of it counts as observed);
///   phases and findings copied from `static_plan`;
/// - a statement that was not traced copies the static plan's statement (no claim).
/// Statements are matched by position; `trace.statements` and `static_plan.statements`
/// come from the same files. Pure; no database.
MIGSAFE_API plan::PlanReport observed_plan(const TraceReport& trace,
                                           const plan::PlanReport& static_plan);

} // namespace migsafe::trace
