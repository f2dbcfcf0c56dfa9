#pragma once
// Private: the state of a rehearsal database (its schema and its data) and the verdict of
// a step that should have led to a known state.

#include <migsafe/integrity/report.hpp>
#include <migsafe/integrity/schema.hpp>
#include <migsafe/model/directive.hpp>
#include <migsafe/model/statement.hpp>
#include <migsafe/platform/session.hpp>
#include <migsafe/workflow/rehearse.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace migsafe::workflow::detail {

/// Which tables' data a migration's steps can change: the tables its up and down files
/// name (`public.t`), or every table (nullopt) when a statement may reach others (a DO
/// block, a function call, DROP SCHEMA, a DELETE or TRUNCATE that cascades, a DML
/// statement where triggers exist, syntax the parser does not know).
using DataScope = std::optional<std::set<std::string>>;

/// What a database holds at one moment: S and D in docs/rehearse.md.
struct DatabaseState {
    integrity::SchemaFingerprint schema{};
    integrity::IntegrityReport data{};
};

/// Reads the schema and scans the data in `scope` of the database `session` is connected
/// to (migsafe's own schemas left out), each in a transaction of its own.
DatabaseState read_state(platform::Session& session, const DataScope& scope);

/// Scans the data in `scope` alone.
integrity::IntegrityReport read_data(platform::Session& session, const DataScope& scope);

/// Non-null values per column, by table (`public.t` -> column -> values): what a rollback
/// that drops a column would lose, counted before it runs.
using ColumnValues = std::map<std::string, std::map<std::string, std::uint64_t>>;

/// Counts the values of every column of the tables of `state` in `scope`.
ColumnValues count_values(platform::Session& session, const DatabaseState& state,
                          const DataScope& scope);

/// What a rollback says about the data it removes.
struct RollbackClaims {
    /// The down file's `-- migsafe:allow` directives (MS-BRK-01 declares a dropped column,
    /// MS-BRK-04 and MS-BRK-06 a dropped or emptied table).
    const model::Directives* directives = nullptr;
    /// For a compensation: the archive tables its steps fill (`migsafe_archive.t__c__0007`).
    std::vector<std::string> archives{};
    /// A compensation says what each step does to data (archived, or needs a snapshot):
    /// every loss it causes is declared.
    bool declares_all = false;
    /// A compensation's steps that need a snapshot (`0012_x.sql:3 (ALTER TABLE ...)`): the
    /// schema cannot come back whole without the data, so differences are expected.
    std::vector<std::string> needs_snapshot{};
    /// The compensation's archive schema, and whether any of its SQL ran.
    std::string archive_schema{"migsafe_archive"};
    bool ran = false;
    /// Tables (`public.t`) and columns (`public.t.c`) the rollback renamed away: their data
    /// is still there under the name they had before the migration.
    std::set<std::string> moved{};
};

/// Judges a rollback that ran without error: `now` against `before` (the state before the
/// migration): schema differences fail it; data that `after_up` held and `now` lacks (a
/// dropped column with values, a dropped table with rows, rows changed or gone) is named
/// as losses (values from `values`, else the table's rows) and makes it lossy.
void judge_rollback(StepResult& step, const DatabaseState& before, const DatabaseState& after_up,
                    const DatabaseState& now, const ColumnValues& values,
                    const RollbackClaims& claims);

/// Judges a step that must lead to `expected`'s schema (a redo, a resumed run).
void judge_schema(StepResult& step, const integrity::SchemaFingerprint& expected,
                  const integrity::SchemaFingerprint& now);

/// Adds to `moved` what `statements` rename (ALTER TABLE ... RENAME [COLUMN]).
void collect_moved(const std::vector<model::Statement>& statements, std::set<std::string>& moved);

/// Sets the step's error from a failure: its message, and the line it names.
void fail_step(StepResult& step, const std::string& file, int line, const std::string& message);

} // namespace migsafe::workflow::detail
