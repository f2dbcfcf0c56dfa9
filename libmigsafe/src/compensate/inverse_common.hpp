#pragma once
// Private: what the inverse rules of each statement kind share (inverse_common.cpp), and
// each kind's entry point, called by undo_statement (inverse_rules.cpp).

#include "compensate/inverse_rules.hpp"

#include <cstddef>
#include <string>

namespace migsafe::compensate::detail {

/// The first line of `sql` (trimmed, at most 160 bytes): how a step names its statement.
std::string first_line(const std::string& sql);

/// Whether the migration added `name` (a constraint or index) before `statement`.
bool added_earlier(const Context& context, const std::string& name, std::size_t statement);

/// Whether `keys` (`a, "B", c` as pg_get_constraintdef prints them) holds `quoted`.
bool key_has_column(const std::string& keys, const std::string& quoted);

/// `schema.table/name`: how handled and claimed constraints and indexes are named.
std::string key(const std::string& table, const std::string& name);

/// Table `qualified` of `objects`; nullptr when it is not there.
const Table* find_table(const Objects& objects, const std::string& qualified);

/// Column `column` (as named at the current statement) of table `original` as it was
/// before the migration, renames followed back; nullptr when objects_before lacks it.
const Column* column_before(const Context& context, const std::string& original,
                            const std::string& column);

/// `CREATE [UNIQUE] INDEX name ON ...` -> `CREATE [UNIQUE] INDEX CONCURRENTLY name ON ...`.
std::string concurrently(const std::string& definition);

/// A constraint definition without its trailing `NOT VALID`.
std::string without_not_valid(std::string definition);

/// A column as `name type [DEFAULT d] [NOT NULL]` for ADD COLUMN or CREATE TABLE.
std::string column_sql(const Column& column, bool with_not_null);

/// Adds, once per compensation, the step that creates the archive schema.
void ensure_archive_schema(Context& context);

/// Pushes a step only a person can take: `base` marked manual, `note` saying what to do.
void push_manual(Context& context, Step base, std::string note);

/// The step for something the migration dropped or changed that objects_before does not
/// describe: with IF EXISTS it did not exist (nothing to undo); else `unknown` says what a
/// person must supply.
void push_undescribed(Context& context, Step base, bool if_exists, const std::string& what,
                      std::string unknown);

/// Re-creates constraint `constraint` of `table` (quoted name `target`) the way that blocks
/// least: CHECK and FOREIGN KEY NOT VALID then VALIDATE; PRIMARY KEY and UNIQUE from an
/// index built CONCURRENTLY.
void recreate_constraint(Context& context, const Step& base, const std::string& table,
                         const std::string& target, const Constraint& constraint,
                         const Table& before_table);

// Each statement kind's inverse (one file per kind).

/// CREATE TABLE [AS]: the table goes aside into the archive schema (inverse_table.cpp).
void move_aside(Context& context, const model::Statement& statement,
                const model::RelationName& table, bool if_not_exists, std::size_t index);

/// DROP TABLE: the structure comes back; the rows need the snapshot (inverse_table.cpp).
void undo_drop_table(Context& context, const model::Statement& statement,
                     const model::DropTable& drop, std::size_t index);

/// One ALTER TABLE action (inverse_alter.cpp).
void undo_action(Context& context, const model::Statement& statement,
                 const model::AlterTable& alter, const model::AlterTableAction& action,
                 std::size_t index);

/// CREATE INDEX (inverse_index.cpp).
void undo_create_index(Context& context, const model::Statement& statement,
                       const model::CreateIndex& create, std::size_t index);

/// DROP INDEX (inverse_index.cpp).
void undo_drop_index(Context& context, const model::Statement& statement,
                     const model::DropIndex& drop);

/// ALTER ... RENAME (inverse_index.cpp).
void undo_rename(Context& context, const model::Statement& statement, const model::Rename& rename);

} // namespace migsafe::compensate::detail
