// The inverse of each statement kind. Each rule reads what was there before from
// objects_before, checks what is there now, and appends steps in the order they must run.
// Names always go through quote_ident; definitions come from pg_get_*def (already quoted).
#include "compensate/inverse_rules.hpp"

#include "model/version_format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

namespace migsafe::compensate::detail {
namespace {

using Kind = model::AlterTableAction::Kind;

std::string first_line(const std::string& sql)
{
    auto start = sql.find_first_not_of(" \t\r\n");
    if (start == std::string::npos) {
        return {};
    }
    auto end = sql.find('\n', start);
    std::string line =
        sql.substr(start, end == std::string::npos ? std::string::npos : end - start);
    return line.size() > 160 ? line.substr(0, 157) + "..." : line;
}

/// Whether the migration added `name` (a constraint or index) before `statement`.
bool added_earlier(const Context& context, const std::string& name, std::size_t statement)
{
    auto found = context.added_names.find(name);
    return found != context.added_names.end() && found->second < statement;
}

/// Whether `keys` (`a, "B", c` as pg_get_constraintdef prints them) holds `quoted`.
bool key_has_column(const std::string& keys, const std::string& quoted)
{
    std::size_t start = 0;
    while (start <= keys.size()) {
        auto end = keys.find(", ", start);
        if (keys.substr(start, end == std::string::npos ? std::string::npos : end - start) ==
            quoted) {
            return true;
        }
        if (end == std::string::npos) {
            return false;
        }
        start = end + 2;
    }
    return false;
}

std::string key(const std::string& table, const std::string& name)
{
    return table + "/" + name;
}

const Table* find_table(const Objects& objects, const std::string& qualified)
{
    auto found = objects.find(qualified);
    return found == objects.end() ? nullptr : &found->second;
}

/// Column `column` (as named at the current statement) of table `original` as it was
/// before the migration, renames followed back; nullptr when objects_before lacks it.
const Column* column_before(const Context& context, const std::string& original,
                            const std::string& column)
{
    const Table* table = find_table(context.before, original);
    return table != nullptr ? table->column(context.renames.column_before(
                                  original, column, context.current_statement))
                            : nullptr;
}

/// `CREATE [UNIQUE] INDEX name ON ...` -> `CREATE [UNIQUE] INDEX CONCURRENTLY name ON ...`.
std::string concurrently(const std::string& definition)
{
    auto at = definition.find("INDEX ");
    if (at == std::string::npos) {
        return definition;
    }
    return definition.substr(0, at + 6) + "CONCURRENTLY " + definition.substr(at + 6);
}

std::string without_not_valid(std::string definition)
{
    constexpr std::string_view k_suffix = " NOT VALID";
    if (definition.size() >= k_suffix.size() &&
        definition.compare(definition.size() - k_suffix.size(), k_suffix.size(), k_suffix) == 0) {
        definition.resize(definition.size() - k_suffix.size());
    }
    return definition;
}

/// A column as `name type [DEFAULT d] [NOT NULL]` for ADD COLUMN or CREATE TABLE.
std::string column_sql(const Column& column, bool with_not_null)
{
    std::string out = quote_ident(column.name) + " " + column.type;
    if (column.default_expression) {
        out += " DEFAULT " + *column.default_expression;
    }
    if (with_not_null && column.not_null) {
        out += " NOT NULL";
    }
    return out;
}

void ensure_archive_schema(Context& context)
{
    for (const auto& step : context.steps) {
        if (step.sql.rfind("CREATE SCHEMA IF NOT EXISTS", 0) == 0) {
            return;
        }
    }
    // Inserted first: every later transactional step may use it.
    context.steps.insert(
        context.steps.begin(),
        Step{.sql = "CREATE SCHEMA IF NOT EXISTS " + quote_ident(context.options.archive_schema),
             .note = "the schema that keeps data and tables moved aside"});
}

/// Re-creates constraint `constraint` of `table` (quoted name `target`) the way that blocks
/// least: CHECK and FOREIGN KEY NOT VALID then VALIDATE; PRIMARY KEY and UNIQUE from an
/// index built CONCURRENTLY.
void recreate_constraint(Context& context, const Step& base, const std::string& table,
                         const std::string& target, const Constraint& constraint,
                         const Table& before_table)
{
    const std::string name = quote_ident(constraint.name);
    context.handled.insert(key(table, constraint.name));
    if (constraint.type == "c" || constraint.type == "f") {
        Step add = base;
        add.sql = fmt::format("ALTER TABLE {} ADD CONSTRAINT {} {} NOT VALID", target, name,
                              without_not_valid(constraint.definition));
        context.late.push_back(add);
        if (constraint.validated) {
            Step validate = base;
            validate.part = Part::no_transaction;
            validate.sql = fmt::format("ALTER TABLE {} VALIDATE CONSTRAINT {}", target, name);
            validate.note = "validated in its own transaction: it scans the table without "
                            "blocking writes";
            context.steps.push_back(validate);
        }
        return;
    }
    if (constraint.type == "p" || constraint.type == "u") {
        const Index* index = before_table.index(constraint.name);
        if (index == nullptr) {
            Step manual = base;
            manual.safety = DataSafety::manual;
            manual.note = fmt::format("the index of constraint {} on {} was not recorded before "
                                      "the migration: re-create it by hand",
                                      constraint.name, table);
            context.steps.push_back(manual);
            return;
        }
        context.handled.insert(key(table, index->name));
        Step build = base;
        build.part = Part::no_transaction;
        build.sql = concurrently(index->definition);
        context.steps.push_back(build);
        Step attach = base;
        attach.part = Part::no_transaction;
        attach.sql = fmt::format("ALTER TABLE {} ADD CONSTRAINT {} {} USING INDEX {}", target, name,
                                 constraint.type == "p" ? "PRIMARY KEY" : "UNIQUE",
                                 quote_ident(index->name));
        attach.note = "the index is built first, without blocking writes";
        context.steps.push_back(attach);
        return;
    }
    Step manual = base;
    manual.safety = DataSafety::manual;
    manual.note =
        fmt::format("re-adding constraint {} ({}) blocks the table while it is checked: "
                    "run ALTER TABLE {} ADD CONSTRAINT {} {} when traffic allows",
                    constraint.name, constraint.definition, target, name, constraint.definition);
    context.steps.push_back(manual);
}

// ---- CREATE TABLE / CREATE TABLE AS: moved aside, never dropped

void move_aside(Context& context, const model::Statement& statement,
                const model::RelationName& table, bool if_not_exists, std::size_t index)
{
    const std::string at_statement = table.qualified();
    const std::string original = context.renames.before(at_statement, index);
    const std::string final_name = context.renames.after(at_statement, index);
    Step base = context.step_for(statement);
    if (if_not_exists && find_table(context.before, original) != nullptr) {
        base.note = fmt::format("{} existed before the migration (IF NOT EXISTS): nothing to "
                                "undo",
                                original);
        context.steps.push_back(base);
        return;
    }
    context.created.insert(original);
    if (find_table(context.now, final_name) == nullptr) {
        base.note = fmt::format("{} no longer exists: nothing to move aside", final_name);
        context.steps.push_back(base);
        return;
    }
    ensure_archive_schema(context);
    const std::string aside = context.archive_name(name_of(at_statement));
    Step rename = base;
    rename.safety = DataSafety::archived;
    rename.archive = context.archived(aside);
    rename.sql =
        fmt::format("ALTER TABLE {} RENAME TO {}", quoted_table(at_statement), quote_ident(aside));
    rename.note = fmt::format("the table and its rows are moved aside, not dropped (drop {} "
                              "once nobody needs them); foreign keys that reference it keep "
                              "referencing it there",
                              rename.archive);
    rename.allows = {"MS-BRK-03"};
    context.steps.push_back(rename);
    Step move = base;
    move.safety = DataSafety::archived;
    move.archive = rename.archive;
    move.sql = fmt::format("ALTER TABLE {}.{} SET SCHEMA {}", quote_ident(schema_of(at_statement)),
                           quote_ident(aside), quote_ident(context.options.archive_schema));
    context.steps.push_back(move);
}

// ---- ALTER TABLE

void undo_add_column(Context& context, Step base, const std::string& at_statement,
                     const std::string& original, const std::string& final_name,
                     const model::AlterTableAction& action)
{
    const std::string column =
        action.column_definition ? action.column_definition->name : action.column;
    const Table* before_table = find_table(context.before, original);
    if (action.if_exists && before_table != nullptr && before_table->column(column) != nullptr) {
        base.note = fmt::format("column {} existed before the migration (IF NOT EXISTS): "
                                "nothing to undo",
                                column);
        context.steps.push_back(base);
        return;
    }
    const Table* now_table = find_table(context.now, final_name);
    if (now_table == nullptr || now_table->column(column) == nullptr) {
        base.note =
            fmt::format("column {} of {} no longer exists: nothing to undo", column, final_name);
        context.steps.push_back(base);
        return;
    }
    ensure_archive_schema(context);
    const std::string target = quoted_table(at_statement);
    const std::string aside = context.archive_name(name_of(final_name) + "__" + column);
    std::string keys = now_table->primary_key_columns();
    if (key_has_column(keys, quote_ident(column))) {
        keys.clear(); // the column is part of the key: keep whole rows
    }
    Step lock = base;
    lock.sql = fmt::format("LOCK TABLE {} IN SHARE MODE", target);
    lock.note = "keeps writes out from the copy to the DROP, so no value written meanwhile is "
                "lost (reads go on)";
    context.steps.push_back(lock);
    Step copy = base;
    copy.safety = DataSafety::archived;
    copy.archive = context.archived(aside);
    copy.sql = keys.empty()
                   ? fmt::format("CREATE TABLE {} AS SELECT * FROM {}", copy.archive, target)
                   : fmt::format("CREATE TABLE {} AS SELECT {}, {} FROM {}", copy.archive, keys,
                                 quote_ident(column), target);
    copy.note = keys.empty() ? fmt::format("{} has no primary key: whole rows are kept", final_name)
                             : fmt::format("the values of {} by primary key ({})", column, keys);
    context.steps.push_back(copy);
    Step drop = base;
    drop.safety = DataSafety::archived;
    drop.archive = copy.archive;
    drop.sql = fmt::format("ALTER TABLE {} DROP COLUMN {}", target, quote_ident(column));
    drop.allows = {"MS-BRK-01"};
    context.steps.push_back(drop);
}

/// The step for something the migration dropped or changed that objects_before does not
/// describe: with IF EXISTS it did not exist (nothing to undo); else `unknown` says what a
/// person must supply.
void push_undescribed(Context& context, Step base, bool if_exists, const std::string& what,
                      std::string unknown)
{
    base.safety = if_exists ? DataSafety::lossless : DataSafety::manual;
    base.note = if_exists ? fmt::format("{} did not exist before the migration (IF EXISTS): "
                                        "nothing to undo",
                                        what)
                          : std::move(unknown);
    context.steps.push_back(std::move(base));
}

void undo_drop_column(Context& context, Step base, const std::string& at_statement,
                      const std::string& original, const model::AlterTableAction& action)
{
    const Column* column = column_before(context, original, action.column);
    if (column == nullptr) {
        push_undescribed(
            context, base, action.if_exists, "column " + action.column,
            context.not_recorded(fmt::format("column {} of {}", action.column, original),
                                 "its type is unknown"));
        return;
    }
    // NOT NULL without a default cannot come back before the values do.
    const bool not_null = column->not_null && column->default_expression.has_value();
    base.safety = DataSafety::needs_snapshot;
    base.sql = fmt::format("ALTER TABLE {} ADD COLUMN {}", quoted_table(at_statement),
                           column_sql(*column, not_null));
    base.note = fmt::format("the column comes back{}; its values were dropped with it: {}",
                            column->default_expression ? " with its default" : " empty",
                            context.snapshot_sentence());
    if (column->not_null && !not_null) {
        base.note += "; NOT NULL is left off until the values are back";
    }
    if (column->default_expression &&
        column->default_expression->find("nextval(") != std::string::npos) {
        base.note += "; its default uses a sequence that may have gone with the column";
    }
    context.steps.push_back(base);
}

/// The family of a type whose members all cast to each other (`numbers`, `strings`, ...),
/// from its display text (`character varying(20)`, `pg_catalog.int8`, `bigint`); empty
/// for any other type (arrays, user types, ...), whose way back migsafe does not know.
std::string_view type_family(std::string type)
{
    std::transform(type.begin(), type.end(), type.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (type.starts_with("pg_catalog.")) {
        type.erase(0, std::string_view("pg_catalog.").size());
    }
    if (auto paren = type.find('('); paren != std::string::npos) {
        const auto close = type.find(')', paren);
        type.erase(paren, close == std::string::npos ? std::string::npos : close - paren + 1);
    }
    while (!type.empty() && type.back() == ' ') {
        type.pop_back();
    }
    static const std::map<std::string_view, std::string_view> k_families{
        {"smallint", "numbers"},
        {"int2", "numbers"},
        {"integer", "numbers"},
        {"int", "numbers"},
        {"int4", "numbers"},
        {"bigint", "numbers"},
        {"int8", "numbers"},
        {"numeric", "numbers"},
        {"decimal", "numbers"},
        {"real", "numbers"},
        {"float4", "numbers"},
        {"double precision", "numbers"},
        {"float8", "numbers"},
        {"float", "numbers"},
        {"text", "strings"},
        {"varchar", "strings"},
        {"character varying", "strings"},
        {"char", "strings"},
        {"character", "strings"},
        {"bpchar", "strings"},
        {"date", "dates"},
        {"timestamp", "dates"},
        {"timestamp without time zone", "dates"},
        {"timestamptz", "dates"},
        {"timestamp with time zone", "dates"},
        {"time", "times"},
        {"time without time zone", "times"},
        {"timetz", "times"},
        {"time with time zone", "times"},
        {"json", "json"},
        {"jsonb", "json"},
    };
    const auto found = k_families.find(type);
    return found == k_families.end() ? std::string_view() : found->second;
}

/// Whether `new_type` casts back to `old_type` with an explicit cast: any string type does
/// (PostgreSQL's I/O conversion from text), and the members of one family do.
bool casts_back(const std::string& new_type, const std::string& old_type)
{
    const auto back = type_family(new_type);
    return back == "strings" || (!back.empty() && back == type_family(old_type));
}

void undo_alter_type(Context& context, Step base, const std::string& at_statement,
                     const std::string& original, const model::AlterTableAction& action)
{
    const Column* column = column_before(context, original, action.column);
    if (column == nullptr) {
        push_undescribed(
            context, base, false, action.column,
            context.not_recorded(fmt::format("column {} of {}", action.column, original),
                                 "its old type is unknown"));
        return;
    }
    if (action.has_using) {
        // The values were converted by an expression migsafe cannot invert (boolean -> an
        // enum through a CASE, text -> int through a parse...): a plain cast back may not
        // exist ("cannot cast type ... to boolean") or may give other values.
        base.safety = DataSafety::manual;
        base.note = fmt::format(
            "the migration converted {} with a USING expression, which migsafe cannot invert: "
            "write the way back to {} by hand (ALTER TABLE {} ALTER COLUMN {} TYPE {} USING "
            "<expression>), or restore the column's values from a snapshot",
            action.column, column->type, quoted_table(at_statement), quote_ident(action.column),
            column->type);
        context.steps.push_back(base);
        return;
    }
    if (!casts_back(action.new_type, column->type)) {
        base.safety = DataSafety::manual;
        base.note = fmt::format(
            "migsafe knows of no cast from {} back to {}: write the way back by hand (ALTER "
            "TABLE {} ALTER COLUMN {} TYPE {} USING <expression>), or restore the column's "
            "values from a snapshot",
            action.new_type, column->type, quoted_table(at_statement), quote_ident(action.column),
            column->type);
        context.steps.push_back(base);
        return;
    }
    base.sql = fmt::format("ALTER TABLE {} ALTER COLUMN {} TYPE {} USING {}::{}",
                           quoted_table(at_statement), quote_ident(action.column), column->type,
                           quote_ident(action.column), column->type);
    base.note = fmt::format("back to {}: it may rewrite the table under an ACCESS EXCLUSIVE "
                            "lock, and fails (changing nothing) if a value no longer fits",
                            column->type);
    base.allows = {"MS-COL-07"};
    context.steps.push_back(base);
}

void undo_drop_not_null(Context& context, Step base, const std::string& at_statement,
                        const std::string& original, const model::AlterTableAction& action)
{
    const Column* column = column_before(context, original, action.column);
    if (column == nullptr || !column->not_null) {
        base.note = fmt::format("column {} allowed NULL before the migration: nothing to undo",
                                action.column);
        context.steps.push_back(base);
        return;
    }
    // The check is added at the statement's place (its names); the other steps run in the
    // second file, after every rename of the migration is undone (the names before it).
    const std::string target = quoted_table(at_statement);
    const std::string later = quoted_table(original);
    const std::string check =
        quote_ident(context.archive_name(name_of(original) + "__" + column->name + "__nn"));
    Step add = base;
    add.sql = fmt::format("ALTER TABLE {} ADD CONSTRAINT {} CHECK ({} IS NOT NULL) NOT VALID",
                          target, check, quote_ident(action.column));
    add.note = "a NOT VALID check first, so SET NOT NULL needs no scan under its lock";
    context.steps.push_back(add);
    Step validate = base;
    validate.part = Part::no_transaction;
    validate.sql = fmt::format("ALTER TABLE {} VALIDATE CONSTRAINT {}", later, check);
    validate.note = "fails, changing nothing, if NULLs were written since";
    context.steps.push_back(validate);
    Step set = base;
    set.part = Part::no_transaction;
    set.sql = fmt::format("ALTER TABLE {} ALTER COLUMN {} SET NOT NULL", later,
                          quote_ident(column->name));
    set.allows = {"MS-COL-01"};
    set.note = "the validated check proves it: no scan";
    context.steps.push_back(set);
    Step drop = base;
    drop.part = Part::no_transaction;
    drop.sql = fmt::format("ALTER TABLE {} DROP CONSTRAINT {}", later, check);
    context.steps.push_back(drop);
}

/// The name of a constraint the action added: as written, else the one constraint of the
/// table now that was not there before and no step claimed yet.
std::string added_constraint_name(Context& context, const std::string& original,
                                  const std::string& final_name,
                                  const model::AlterTableAction& action)
{
    if (action.constraint && !action.constraint->name.empty()) {
        return action.constraint->name;
    }
    const Table* now_table = find_table(context.now, final_name);
    const Table* before_table = find_table(context.before, original);
    if (now_table == nullptr) {
        return {};
    }
    std::vector<std::string> candidates;
    for (const auto& constraint : now_table->constraints) {
        if ((before_table == nullptr || before_table->constraint(constraint.name) == nullptr) &&
            !context.claimed.contains(key(final_name, constraint.name)) &&
            !context.renamed_to.contains(constraint.name)) {
            candidates.push_back(constraint.name);
        }
    }
    return candidates.size() == 1 ? candidates.front() : std::string();
}

void undo_add_constraint(Context& context, Step base, const std::string& at_statement,
                         const std::string& original, const std::string& final_name,
                         const model::AlterTableAction& action)
{
    const std::string name = added_constraint_name(context, original, final_name, action);
    if (name.empty()) {
        base.safety = DataSafety::manual;
        base.note = fmt::format("the constraint has no name in the migration and migsafe cannot "
                                "tell which constraint of {} it is: drop it by hand",
                                final_name);
        context.steps.push_back(base);
        return;
    }
    context.claimed.insert(key(final_name, name));
    const Table* now_table = find_table(context.now, final_name);
    if (now_table == nullptr || now_table->constraint(name) == nullptr) {
        base.note =
            fmt::format("constraint {} of {} no longer exists: nothing to undo", name, final_name);
        context.steps.push_back(base);
        return;
    }
    base.sql = fmt::format("ALTER TABLE {} DROP CONSTRAINT {}", quoted_table(at_statement),
                           quote_ident(name));
    if (action.constraint && !action.constraint->using_index.empty()) {
        base.note = fmt::format("dropping the constraint drops its index {} too; it is built "
                                "again CONCURRENTLY below if it existed before",
                                action.constraint->using_index);
    }
    context.steps.push_back(base);
}

void undo_drop_constraint(Context& context, Step base, const std::string& original,
                          const model::AlterTableAction& action)
{
    const Table* before_table = find_table(context.before, original);
    const Constraint* constraint =
        before_table != nullptr ? before_table->constraint(action.name) : nullptr;
    if (constraint == nullptr && added_earlier(context, action.name, context.current_statement)) {
        base.note = fmt::format("constraint {} was added by the same migration: nothing to put "
                                "back",
                                action.name);
        context.steps.push_back(base);
        return;
    }
    if (constraint == nullptr) {
        push_undescribed(
            context, base, action.if_exists, "constraint " + action.name,
            context.not_recorded(fmt::format("constraint {} of {}", action.name, original),
                                 "its definition is unknown"));
        return;
    }
    recreate_constraint(context, base, original, quoted_table(original), *constraint,
                        *before_table);
}

void undo_default(Context& context, Step base, const std::string& at_statement,
                  const std::string& original, const model::AlterTableAction& action)
{
    const Column* column = column_before(context, original, action.column);
    if (column == nullptr) {
        push_undescribed(
            context, base, false, action.column,
            context.not_recorded(fmt::format("column {} of {}", action.column, original),
                                 "its old default is unknown"));
        return;
    }
    base.sql = column->default_expression
                   ? fmt::format("ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {}",
                                 quoted_table(at_statement), quote_ident(action.column),
                                 *column->default_expression)
                   : fmt::format("ALTER TABLE {} ALTER COLUMN {} DROP DEFAULT",
                                 quoted_table(at_statement), quote_ident(action.column));
    base.note = "rows written since with the new default keep their values";
    context.steps.push_back(base);
}

void undo_action(Context& context, const model::Statement& statement,
                 const model::AlterTable& alter, const model::AlterTableAction& action,
                 std::size_t index)
{
    const std::string at_statement = alter.table.qualified();
    const std::string original = context.renames.before(at_statement, index);
    const std::string final_name = context.renames.after(at_statement, index);
    Step base = context.step_for(statement);
    if (context.created.contains(original)) {
        return; // the table is moved aside as a whole
    }
    const std::string target = quoted_table(at_statement);
    switch (action.kind) {
    case Kind::add_column:
        undo_add_column(context, base, at_statement, original, final_name, action);
        return;
    case Kind::drop_column:
        undo_drop_column(context, base, at_statement, original, action);
        return;
    case Kind::alter_column_type:
        undo_alter_type(context, base, at_statement, original, action);
        return;
    case Kind::set_not_null: {
        const Column* column = column_before(context, original, action.column);
        if (column != nullptr && column->not_null) {
            base.note = "the column was NOT NULL before the migration: nothing to undo";
        } else {
            base.sql = fmt::format("ALTER TABLE {} ALTER COLUMN {} DROP NOT NULL", target,
                                   quote_ident(action.column));
        }
        context.steps.push_back(base);
        return;
    }
    case Kind::drop_not_null:
        undo_drop_not_null(context, base, at_statement, original, action);
        return;
    case Kind::set_default:
    case Kind::drop_default:
        undo_default(context, base, at_statement, original, action);
        return;
    case Kind::add_constraint:
        undo_add_constraint(context, base, at_statement, original, final_name, action);
        return;
    case Kind::drop_constraint:
        undo_drop_constraint(context, base, original, action);
        return;
    case Kind::validate_constraint:
        base.note = fmt::format("constraint {} stays validated: nothing to undo", action.name);
        context.steps.push_back(base);
        return;
    case Kind::rename_column:
        base.sql = fmt::format("ALTER TABLE {} RENAME COLUMN {} TO {}", target,
                               quote_ident(action.name), quote_ident(action.column));
        base.allows = {"MS-BRK-02"};
        context.steps.push_back(base);
        return;
    case Kind::rename_table: {
        const std::string renamed = platform::qualified_name(alter.table.schema, action.name);
        base.sql = fmt::format("ALTER TABLE {} RENAME TO {}", quoted_table(renamed),
                               quote_ident(alter.table.name));
        base.allows = {"MS-BRK-03"};
        context.steps.push_back(base);
        return;
    }
    case Kind::rename_constraint:
        if (action.old_name.empty()) {
            base.safety = DataSafety::manual;
            base.note = "the constraint's old name is unknown";
        } else {
            base.sql = fmt::format("ALTER TABLE {} RENAME CONSTRAINT {} TO {}", target,
                                   quote_ident(action.name), quote_ident(action.old_name));
            context.handled.insert(key(original, action.old_name));
        }
        context.steps.push_back(base);
        return;
    default:
        base.safety = DataSafety::manual;
        base.note = fmt::format("migsafe has no inverse for ALTER TABLE ... {}: undo it by hand",
                                model::to_string(action.kind));
        context.steps.push_back(base);
        return;
    }
}

// ---- indexes

void undo_create_index(Context& context, const model::Statement& statement,
                       const model::CreateIndex& create, std::size_t index)
{
    const std::string at_statement = create.table.qualified();
    const std::string original = context.renames.before(at_statement, index);
    const std::string final_name = context.renames.after(at_statement, index);
    if (context.created.contains(original)) {
        return;
    }
    Step base = context.step_for(statement);
    const Table* now_table = find_table(context.now, final_name);
    const Table* before_table = find_table(context.before, original);
    std::string name = create.name;
    if (name.empty() && now_table != nullptr) {
        std::vector<std::string> candidates;
        for (const auto& candidate : now_table->indexes) {
            if ((before_table == nullptr || before_table->index(candidate.name) == nullptr) &&
                now_table->constraint(candidate.name) == nullptr &&
                !context.claimed.contains(key(final_name, candidate.name)) &&
                !context.renamed_to.contains(candidate.name)) {
                candidates.push_back(candidate.name);
            }
        }
        if (candidates.size() == 1) {
            name = candidates.front();
        }
    }
    if (name.empty()) {
        base.safety = DataSafety::manual;
        base.note = fmt::format("the index has no name in the migration and migsafe cannot tell "
                                "which index of {} it is: drop it by hand (CONCURRENTLY)",
                                final_name);
        context.steps.push_back(base);
        return;
    }
    context.claimed.insert(key(final_name, name));
    if (create.if_not_exists && before_table != nullptr && before_table->index(name) != nullptr) {
        base.note = fmt::format("index {} existed before the migration (IF NOT EXISTS): nothing "
                                "to undo",
                                name);
        context.steps.push_back(base);
        return;
    }
    const bool partitioned = (now_table != nullptr && now_table->kind == "p") ||
                             (before_table != nullptr && before_table->kind == "p");
    if (partitioned) {
        // PostgreSQL cannot drop a partitioned table's index CONCURRENTLY.
        base.sql = fmt::format("DROP INDEX IF EXISTS {}.{}", quote_ident(create.table.schema),
                               quote_ident(name));
        base.note = "a partitioned table's index cannot be dropped CONCURRENTLY: DROP INDEX "
                    "takes ACCESS EXCLUSIVE on the table and its partitions, briefly";
        context.steps.push_back(base);
        return;
    }
    base.part = Part::no_transaction;
    base.sql = fmt::format("DROP INDEX CONCURRENTLY IF EXISTS {}.{}",
                           quote_ident(create.table.schema), quote_ident(name));
    context.steps.push_back(base);
}

void undo_drop_index(Context& context, const model::Statement& statement,
                     const model::DropIndex& drop)
{
    for (const auto& dropped : drop.indexes) {
        Step base = context.step_for(statement);
        const Index* found = nullptr;
        std::string table;
        for (const auto& [name, described] : context.before) {
            if (schema_of(name) == dropped.schema) {
                if (const Index* index = described.index(dropped.name)) {
                    found = index;
                    table = name;
                    break;
                }
            }
        }
        // A migration that only drops the index locked (and recorded) the index itself.
        Index alone;
        if (const Table* relation = find_table(context.before, dropped.qualified());
            found == nullptr && relation != nullptr && !relation->definition.empty()) {
            alone = {.name = dropped.name, .definition = relation->definition};
            found = &alone;
        }
        if (found == nullptr && added_earlier(context, dropped.name, context.current_statement)) {
            base.note = fmt::format("index {} was created by the same migration: nothing to put "
                                    "back",
                                    dropped.qualified());
            context.steps.push_back(base);
            continue;
        }
        if (found == nullptr) {
            push_undescribed(
                context, base, drop.if_exists, "index " + dropped.qualified(),
                context.not_recorded(fmt::format("the definition of index {}", dropped.qualified()),
                                     "re-create it by hand"));
            continue;
        }
        context.handled.insert(key(table, found->name));
        base.part = Part::no_transaction;
        base.sql = concurrently(found->definition);
        base.note = "built again from its definition, without blocking writes";
        context.steps.push_back(base);
    }
}

void undo_rename(Context& context, const model::Statement& statement, const model::Rename& rename)
{
    Step base = context.step_for(statement);
    if (rename.object_type != "index") {
        base.safety = DataSafety::manual;
        base.note = fmt::format("migsafe has no inverse for renaming a {}: rename it back by hand",
                                rename.object_type);
        context.steps.push_back(base);
        return;
    }
    const std::string& from = rename.from; // a display form: schema_of/name_of split it
    base.sql = fmt::format("ALTER INDEX {}.{} RENAME TO {}", quote_ident(schema_of(from)),
                           quote_ident(rename.to), quote_ident(name_of(from)));
    for (const auto& [name, described] : context.before) {
        if (schema_of(name) == schema_of(from) && described.index(name_of(from)) != nullptr) {
            context.handled.insert(key(name, name_of(from)));
        }
    }
    context.steps.push_back(base);
}

// ---- DROP TABLE: the structure comes back, the rows need the snapshot

void undo_drop_table(Context& context, const model::Statement& statement,
                     const model::DropTable& drop, std::size_t index)
{
    for (const auto& dropped : drop.tables) {
        Step base = context.step_for(statement);
        const std::string original = context.renames.before(dropped.qualified(), index);
        const Table* before_table = find_table(context.before, original);
        if (before_table == nullptr && context.created.contains(original)) {
            base.note =
                fmt::format("{} was created by the same migration: nothing to put back", original);
            context.steps.push_back(base);
            continue;
        }
        if (before_table == nullptr || (before_table->kind != "r" && before_table->kind != "p")) {
            base.safety = drop.if_exists ? DataSafety::lossless : DataSafety::manual;
            base.note = drop.if_exists && before_table == nullptr
                            ? fmt::format("{} did not exist before the migration (IF EXISTS): "
                                          "nothing to undo",
                                          original)
                            : context.not_recorded(original, "re-create it by hand",
                                                   "is not described in objects_before");
            context.steps.push_back(base);
            continue;
        }
        if (before_table->kind == "p") {
            base.safety = DataSafety::manual;
            base.note = fmt::format("{} was partitioned: re-create it and its partitions by hand "
                                    "({})",
                                    original, context.snapshot_sentence());
            context.steps.push_back(base);
            continue;
        }
        std::vector<std::string> parts;
        std::string caveats;
        for (const auto& column : before_table->columns) {
            Column copy = column;
            if (copy.default_expression &&
                copy.default_expression->find("nextval(") != std::string::npos) {
                copy.default_expression.reset();
                caveats += fmt::format("; the default of {} used a sequence that went with the "
                                       "table: re-create it",
                                       column.name);
            }
            parts.push_back(column_sql(copy, true));
        }
        for (const auto& constraint : before_table->constraints) {
            parts.push_back(fmt::format("CONSTRAINT {} {}", quote_ident(constraint.name),
                                        without_not_valid(constraint.definition)));
            context.handled.insert(key(original, constraint.name));
        }
        std::string body;
        for (const auto& part : parts) {
            body += (body.empty() ? "\n    " : ",\n    ") + part;
        }
        Step create = base;
        create.safety = DataSafety::needs_snapshot;
        create.sql = fmt::format("CREATE TABLE {} ({}\n)", quoted_table(original), body);
        create.note = fmt::format("the structure comes back empty: {}; foreign keys of other "
                                  "tables that referenced it are not restored{}",
                                  context.snapshot_sentence(), caveats);
        context.late.push_back(create);
        for (const auto& index_def : before_table->indexes) {
            context.handled.insert(key(original, index_def.name));
            if (before_table->constraint(index_def.name) != nullptr) {
                continue; // made by its constraint
            }
            Step build = base;
            build.safety = DataSafety::lossless;
            build.sql = index_def.definition; // the table is new and empty: no CONCURRENTLY
            context.late.push_back(build);
        }
    }
}

} // namespace

std::string Renames::after(std::string table, std::size_t statement) const
{
    for (const auto& rename : list) {
        if (rename.statement > statement && rename.from == table) {
            table = rename.to;
        }
    }
    return table;
}

std::string Renames::before(std::string table, std::size_t statement) const
{
    for (std::size_t i = list.size(); i-- > 0;) {
        const auto& rename = list[i];
        if (rename.statement <= statement && rename.to == table) {
            table = rename.from;
        }
    }
    return table;
}

std::string Renames::column_before(const std::string& table, std::string column,
                                   std::size_t statement) const
{
    for (std::size_t i = columns.size(); i-- > 0;) {
        const auto& rename = columns[i];
        if (rename.statement <= statement && rename.table == table && rename.to == column) {
            column = rename.from;
        }
    }
    return column;
}

std::string Context::where(const model::Statement& statement) const
{
    return fmt::format("{}:{}", migration.up.relative_path, statement.line);
}

std::string Context::archive_name(const std::string& parts) const
{
    // PostgreSQL keeps 63 bytes of a name (NAMEDATALEN - 1); the cut never splits a UTF-8
    // character, which the server would refuse as an invalid byte sequence.
    const std::string suffix = fmt::format("__{:04}", migration.version);
    return platform::utf8_prefix(parts, 63 - suffix.size()) + suffix;
}

std::string Context::archived(const std::string& name) const
{
    return quote_ident(options.archive_schema) + "." + quote_ident(name);
}

Step Context::step_for(const model::Statement& statement) const
{
    return Step{.undoes = where(statement), .original = first_line(statement.sql)};
}

std::string Context::snapshot_sentence() const
{
    return applied.snapshot_id.empty()
               ? std::string("no snapshot was recorded before it; restore the data from a "
                             "backup")
               : fmt::format("restore the data from snapshot {}", applied.snapshot_id);
}

std::string Context::not_recorded(const std::string& what, const std::string& consequence,
                                  std::string_view missing) const
{
    if (applied.adopted_from.empty()) {
        return fmt::format("{} {}: {}", what, missing, consequence);
    }
    return fmt::format("{} was not recorded before it ran: {} ({} applied this migration before "
                       "migsafe adopted it, so migsafe recorded no catalog then)",
                       what, consequence, applied.adopted_from);
}

std::string quoted_table(const std::string& qualified)
{
    const auto relation = model::RelationName::from_qualified(qualified);
    return platform::qualified_name(relation.schema, relation.name);
}

std::string schema_of(const std::string& qualified)
{
    return model::RelationName::from_qualified(qualified).schema;
}

std::string name_of(const std::string& qualified)
{
    return model::RelationName::from_qualified(qualified).name;
}

namespace {

/// Whether what a data statement wrote goes aside anyway: its rows are in a table the
/// migration created (moved aside whole), or it is an UPDATE that only sets columns the
/// migration added (their values are archived with them: a backfill).
bool covered_by_archive(const Context& context, const model::Statement& statement,
                        std::size_t index)
{
    const auto created = [&](const model::RelationName& table) {
        return context.created.contains(context.renames.before(table.qualified(), index));
    };
    if (const auto* insert = statement.get_if<model::Insert>()) {
        return created(insert->table);
    }
    if (const auto* truncate = statement.get_if<model::Truncate>()) {
        return !truncate->tables.empty() &&
               std::all_of(truncate->tables.begin(), truncate->tables.end(), created);
    }
    const auto* change = statement.get_if<model::DataChange>();
    if (change == nullptr) {
        return false;
    }
    if (created(change->table)) {
        return true;
    }
    if (statement.kind != model::StatementKind::update || change->set_columns.empty()) {
        return false;
    }
    const auto original = context.renames.before(change->table.qualified(), index);
    return std::all_of(
        change->set_columns.begin(), change->set_columns.end(), [&](const std::string& column) {
            return context.added_columns.contains(
                original + "/" + context.renames.column_before(original, column, index));
        });
}

/// CREATE VIEW, CREATE MATERIALIZED VIEW and CREATE TABLE AS (a table: moved aside).
void undo_create_view(Context& context, const model::Statement& statement,
                      const model::CreateView& view, std::size_t index)
{
    if (view.kind == model::CreateView::Kind::table_as) {
        move_aside(context, statement, view.name, view.if_not_exists, index);
        return;
    }
    Step base = context.step_for(statement);
    if (view.or_replace) {
        base.safety = DataSafety::manual;
        base.note = "CREATE OR REPLACE: the view's old definition is not recorded";
    } else {
        base.sql = fmt::format(
            "DROP {}VIEW IF EXISTS {}",
            view.kind == model::CreateView::Kind::materialized_view ? "MATERIALIZED " : "",
            quoted_table(view.name.qualified()));
        base.note = "its definition stays in the migration file";
    }
    context.steps.push_back(base);
}

} // namespace

void undo_statement(Context& context, const model::Statement& statement, std::size_t index)
{
    context.current_statement = index;
    using model::StatementKind;
    switch (statement.kind) {
    case StatementKind::create_table:
        // CREATE TABLE AS and CREATE MATERIALIZED VIEW are of this kind too, with the
        // details of a view: undone below, as views are.
        if (const auto* create = statement.get_if<model::CreateTable>()) {
            move_aside(context, statement, create->table, create->if_not_exists, index);
            return;
        }
        undo_create_view(context, statement, statement.as<model::CreateView>(), index);
        return;
    case StatementKind::alter_table: {
        const auto& alter = statement.as<model::AlterTable>();
        for (auto it = alter.actions.rbegin(); it != alter.actions.rend(); ++it) {
            undo_action(context, statement, alter, *it, index);
        }
        return;
    }
    case StatementKind::create_index:
        undo_create_index(context, statement, statement.as<model::CreateIndex>(), index);
        return;
    case StatementKind::drop_index:
        undo_drop_index(context, statement, statement.as<model::DropIndex>());
        return;
    case StatementKind::drop_table:
        undo_drop_table(context, statement, statement.as<model::DropTable>(), index);
        return;
    case StatementKind::rename:
        undo_rename(context, statement, statement.as<model::Rename>());
        return;
    case StatementKind::create_view:
        undo_create_view(context, statement, statement.as<model::CreateView>(), index);
        return;
    case StatementKind::insert:
    case StatementKind::update:
    case StatementKind::delete_rows:
    case StatementKind::truncate: {
        if (covered_by_archive(context, statement, index)) {
            return;
        }
        Step base = context.step_for(statement);
        base.safety = DataSafety::needs_snapshot;
        base.note = fmt::format("the rows it {} are not in the catalog: {}",
                                statement.kind == StatementKind::insert ? "added" : "changed",
                                context.snapshot_sentence());
        context.steps.push_back(base);
        return;
    }
    case StatementKind::set:
    case StatementKind::transaction:
    case StatementKind::select:
    case StatementKind::vacuum:
    case StatementKind::lock:
        return; // no lasting effect on the schema
    default: {
        Step base = context.step_for(statement);
        base.safety = DataSafety::manual;
        base.note = fmt::format("migsafe has no inverse for {} statements: undo it by hand",
                                model::to_string(statement.kind));
        context.steps.push_back(base);
        return;
    }
    }
}

void restore_dropped_along(Context& context)
{
    for (const auto& [original, before_table] : context.before) {
        if (before_table.kind != "r" || context.created.contains(original)) {
            continue;
        }
        std::string final_name = original;
        for (const auto& rename : context.renames.list) {
            final_name = rename.from == final_name ? rename.to : final_name;
        }
        const Table* now_table = find_table(context.now, final_name);
        if (now_table == nullptr) {
            continue; // dropped: its DROP TABLE step re-creates it whole
        }
        Step base{.undoes = context.migration.up.relative_path,
                  .note = "it went with another change of the migration (a dropped column or "
                          "constraint, a CASCADE)"};
        for (const auto& constraint : before_table.constraints) {
            if (context.handled.contains(key(original, constraint.name)) ||
                now_table->constraint(constraint.name) != nullptr) {
                continue;
            }
            base.original = "constraint " + constraint.name;
            recreate_constraint(context, base, original, quoted_table(original), constraint,
                                before_table);
        }
        for (const auto& index : before_table.indexes) {
            if (context.handled.contains(key(original, index.name)) ||
                now_table->index(index.name) != nullptr ||
                before_table.constraint(index.name) != nullptr) {
                continue;
            }
            context.handled.insert(key(original, index.name));
            Step build = base;
            build.original = "index " + index.name;
            build.part = Part::no_transaction;
            build.sql = concurrently(index.definition);
            context.steps.push_back(build);
        }
    }
}

} // namespace migsafe::compensate::detail
