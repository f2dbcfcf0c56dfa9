#pragma once

// What one statement does, as the per-kind planners find it, before the cross-statement
// rules (analyze.cpp) and the directives are applied.

#include "plan/context.hpp"

#include <migsafe/model/statement.hpp>
#include <migsafe/plan/report.hpp>

#include <string>
#include <vector>

namespace migsafe::plan::detail {

/// Locks, rewrites, scans, phase and findings of one statement.
struct Effects {
    std::vector<Lock> locks{};
    std::vector<std::string> rewrites{};
    std::vector<std::string> scans{};
    Phase phase = Phase::none;
    std::vector<Finding> findings{};

    /// Records `mode` on `relation` unless the relation was created earlier in this file
    /// (nobody else can see it); keeps the strongest mode per relation.
    void lock(const Context& context, const std::string& relation, LockMode mode);
    /// Records a rewrite of `relation` (not of relations created in this file).
    void rewrite(const Context& context, const std::string& relation);
    /// Records a full scan of `relation` (not of relations created in this file).
    void scan(const Context& context, const std::string& relation);
    /// Adds a finding of `rule_id` at the rule's default severity.
    void find(std::string_view rule_id, std::string message, std::string fix = {});
    /// Moves the phase forward: none < expand < backfill < contract.
    void at_least(Phase next);
};

/// `"<what> takes <mode> on <relation>: blocks <traffic>"`.
std::string blocking(std::string_view what, const std::string& relation, LockMode mode);

/// The name part of a qualified `schema.name`.
std::string short_name(const std::string& qualified);

/// CREATE INDEX.
void plan_create_index(const model::Statement& statement, Context& context, Effects& effects);
/// ALTER TABLE (all actions, including renames).
void plan_alter_table(const model::Statement& statement, Context& context, Effects& effects);
/// CREATE VIEW, CREATE MATERIALIZED VIEW, CREATE TABLE ... AS: AccessShareLock on the
/// relations the query names (and a scan of them when the query runs).
void plan_create_view(const model::Statement& statement, Context& context, Effects& effects);
/// The relations the query of the materialized view `view` names: from the release when it
/// created the view, else from the catalog (`--db`); empty when unknown.
std::vector<std::string> view_reads(const Context& context, const std::string& view);
/// True when `view` (a materialized view) has an index: REFRESH rebuilds it, reading the
/// new heap in full. Known from the release or the catalog; false when unknown.
bool has_index(const Context& context, const std::string& relation);
/// With a catalog (`--db`) or a release that defined them: the tables whose foreign keys
/// are dropped with `table` (referencing it) and the tables it references (their RI
/// triggers are removed); DROP TABLE takes AccessExclusiveLock on both.
struct ForeignKeyNeighbour {
    std::string table;
    std::string constraint;
    bool referencing = false; ///< `table` references the dropped table (else the reverse)
};
std::vector<ForeignKeyNeighbour> foreign_key_neighbours(const Context& context,
                                                        const std::string& table);
/// With `--db`: the foreign keys through `table`.`column` (either side) are dropped or
/// rebuilt with it, which takes AccessExclusiveLock on the table at their other end; with
/// `rebuilt`, a validated one is checked again, reading that table.
void touch_column_foreign_keys(const std::string& table, const std::string& column, bool rebuilt,
                               const Context& context, Effects& effects);
/// With `--db`: `mode` (and with `scan`, a full read) on every other table whose foreign
/// keys reference the partitioned table `parent`: a partition attached, detached or
/// created changes the referenced side of those keys.
/// Returns whether there is such a key.
bool lock_keys_into(const std::string& parent, LockMode mode, bool scan, const Context& context,
                    Effects& effects);
/// The tables with a column of the domain `domain` (`--db`); empty without a catalog.
/// Partitioned tables only with `partitioned` (their partitions are listed anyway).
std::vector<std::string> tables_using(const Context& context, const std::string& domain,
                                      bool partitioned);
/// CREATE TABLE.
void plan_create_table(const model::Statement& statement, Context& context, Effects& effects);
/// DROP INDEX, DROP TABLE, DROP of other objects, TRUNCATE.
void plan_drop(const model::Statement& statement, Context& context, Effects& effects);
/// UPDATE, DELETE, INSERT.
void plan_data(const model::Statement& statement, Context& context, Effects& effects);
/// Kinds the model does not type: REINDEX, CLUSTER, VACUUM, REFRESH, ALTER DOMAIN/TYPE,
/// ALTER SCHEMA, CREATE POLICY, triggers, views...
void plan_misc(const model::Statement& statement, Context& context, Effects& effects);
/// A statement PostgreSQL 15's parser rejected (plan_unparsed.cpp).
void plan_unparsed(const model::Statement& statement, Context& context, Effects& effects);
/// SET (timeouts, timezone) and BEGIN/COMMIT/ROLLBACK (MS-OPS-07).
void plan_session(const model::Statement& statement, Context& context, Effects& effects);
/// The rules that need the file's state: MS-OPS-01, -02, -03, -05, -06; then updates the
/// transaction state (the AccessExclusiveLock held, autocommit boundaries).
void after_statement(const model::Statement& statement, Context& context, Effects& effects);
/// End of a file: an explicit transaction left open (MS-OPS-07). `first` is the index of
/// the file's first statement in `report`.
void finish_file(Context& context, PlanReport& report, std::size_t first);

/// One finding per cause in the file whose statements start at `first` in `report`:
/// MS-OPS-01, MS-OPS-02 and MS-CON-08 once per file, MS-OPS-03 once per transaction,
/// MS-OPS-05 once per table; the finding kept lists the lines of the others. `transaction_of[i]` is
/// the transaction of the file's i-th statement.
void aggregate_findings(PlanReport& report, std::size_t first,
                        const std::vector<int>& transaction_of);

/// Drops MS-BRK-03 for a table renamed in a transactional file that then creates a view
/// with the old name. `first` is the index of the file's first statement in `report`.
void compatibility_views(const PlanInput& file, PlanReport& report, std::size_t first);

/// With a catalog (`--db`): each finding that names an existing table the statement locks
/// gets the table's estimated rows and size, and a rough lock duration when the statement
/// rewrites or scans it; a warning becomes an error when that table is larger than
/// PlanOptions::large_table_rows or large_table_bytes. Without a catalog, nothing.
void add_table_sizes(const Context& context, Effects& effects);

/// MS-DES lints (only with DesignLints::on).
void plan_design(const model::Statement& statement, Context& context, Effects& effects);

} // namespace migsafe::plan::detail
