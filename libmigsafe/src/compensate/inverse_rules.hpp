#pragma once
// Private: the compensation context and the inverse of a statement (inverse_rules.cpp
// dispatches by kind to inverse_table.cpp, inverse_alter.cpp, inverse_index.cpp).

#include "compensate/catalog_objects.hpp"

#include <migsafe/compensate/compensate.hpp>
#include <migsafe/model/statement.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace migsafe::compensate::detail {

/// Table renames of the migration, in order, to find a table's name before the migration
/// (objects_before) or after it (the catalog now) from its name at one statement.
struct Renames {
    struct Rename {
        std::size_t statement = 0;
        std::string from{}; ///< schema.name
        std::string to{};   ///< schema.name
    };
    std::vector<Rename> list{};
    struct ColumnRename {
        std::size_t statement = 0;
        std::string table{}; ///< schema.name before the migration
        std::string from{};
        std::string to{};
    };
    std::vector<ColumnRename> columns{};

    /// The name `table` (as named at `statement`, after it ran) has after the migration.
    std::string after(std::string table, std::size_t statement) const;
    /// The name `table` (as named at `statement`) had before the migration.
    std::string before(std::string table, std::size_t statement) const;
    /// The name column `column` of `table` (its name before the migration), as named at
    /// `statement`, had before the migration.
    std::string column_before(const std::string& table, std::string column,
                              std::size_t statement) const;
};

/// What the rules share while one migration is compensated.
struct Context {
    const model::Migration& migration;
    const AppliedMigration& applied;
    const Options& options;
    Objects before{};
    Objects now{};
    Renames renames{};
    /// Tables the migration created (their name before any rename): undone by moving the
    /// table aside, so the statements on them need no step of their own.
    std::set<std::string> created{};
    /// Columns the migration added to tables it did not create (`schema.table/column`,
    /// names before any rename): undone by archiving their values, so an UPDATE that only
    /// sets such columns (a backfill) needs no step of its own.
    std::set<std::string> added_columns{};
    /// Constraints and indexes (`schema.table/name`, names before the migration) a step
    /// already puts back or removes; the final sweep leaves them alone.
    std::set<std::string> handled{};
    /// Constraints and indexes (`schema.table/name`, names after) claimed by a step that
    /// drops them, so two unnamed ones are not both matched to the same object.
    std::set<std::string> claimed{};
    /// Constraints and indexes the migration itself added by name (with the statement that
    /// added them): dropping one later in the same migration leaves nothing to put back.
    std::map<std::string, std::size_t> added_names{};
    /// New names of constraints and indexes the migration renamed: never taken for an
    /// unnamed object it created.
    std::set<std::string> renamed_to{};
    std::vector<Step> steps{};         ///< in the order they will run (statements reversed)
    std::size_t current_statement = 0; ///< the index of the statement being undone
    /// Transactional steps built from objects_before definitions (constraints, dropped
    /// tables): they name columns and tables as they were before the migration, so they run
    /// after every other transactional step (renames undone).
    std::vector<Step> late{};

    /// `0007_x.sql:12`
    std::string where(const model::Statement& statement) const;
    /// The archive table name for `parts` joined with `__` and the version, at most 63 bytes.
    std::string archive_name(const std::string& parts) const;
    /// `archive_schema.name`, quoted.
    std::string archived(const std::string& name) const;
    /// A step for `statement` (undoes, original filled).
    Step step_for(const model::Statement& statement) const;
    /// The snapshot sentence for needs-snapshot notes.
    std::string snapshot_sentence() const;
    /// The note of a step whose object `what` objects_before lacks: "`what` `missing`:
    /// `consequence`". An adopted migration has no objects_before at all, and says why.
    std::string not_recorded(const std::string& what, const std::string& consequence,
                             std::string_view missing = "is not in objects_before") const;
};

/// `schema.name` split and quoted: `public."Order"`.
std::string quoted_table(const std::string& qualified);
/// The schema part of `schema.name`.
std::string schema_of(const std::string& qualified);
/// The name part of `schema.name`.
std::string name_of(const std::string& qualified);

/// Appends the steps that undo `statement` (the `index`th of the file) to `context.steps`.
void undo_statement(Context& context, const model::Statement& statement, std::size_t index);

/// Puts back constraints and indexes of the tables the migration touched (and neither
/// created nor dropped) that existed before it, are gone now, and no step handled: those
/// dropped along with a column, a constraint's index or a CASCADE.
void restore_dropped_along(Context& context);

} // namespace migsafe::compensate::detail
