// ALTER TABLE, one action at a time: each action's inverse from what objects_before held.
#include "compensate/inverse_common.hpp"
#include "model/version_format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace migsafe::compensate::detail {
namespace {

/// The column `action` names as the catalog recorded it before the migration; without that
/// record, pushes the step that says what is `unknown` (`what`: the object it names) and
/// returns nullptr.
const Column* recorded_column(Context& context, const Step& base, const std::string& original,
                              const model::AlterTableAction& action, bool if_exists,
                              const std::string& what, std::string_view unknown)
{
    const Column* column = column_before(context, original, action.column);
    if (column == nullptr) {
        push_undescribed(
            context, base, if_exists, what,
            context.not_recorded(fmt::format("column {} of {}", action.column, original),
                                 std::string(unknown)));
    }
    return column;
}

using Kind = model::AlterTableAction::Kind;

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

void undo_drop_column(Context& context, Step base, const std::string& at_statement,
                      const std::string& original, const model::AlterTableAction& action)
{
    const Column* column = recorded_column(context, base, original, action, action.if_exists,
                                           "column " + action.column, "its type is unknown");
    if (column == nullptr) {
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
    const Column* column = recorded_column(context, base, original, action, false, action.column,
                                           "its old type is unknown");
    if (column == nullptr) {
        return;
    }
    if (action.has_using) {
        // The values were converted by an expression migsafe cannot invert (boolean -> an
        // enum through a CASE, text -> int through a parse...): a plain cast back may not
        // exist ("cannot cast type ... to boolean") or may give other values.
        push_manual(
            context, base,
            fmt::format(
                "the migration converted {} with a USING expression, which migsafe cannot invert: "
                "write the way back to {} by hand (ALTER TABLE {} ALTER COLUMN {} TYPE {} USING "
                "<expression>), or restore the column's values from a snapshot",
                action.column, column->type, quoted_table(at_statement), quote_ident(action.column),
                column->type));
        return;
    }
    if (!casts_back(action.new_type, column->type)) {
        push_manual(
            context, base,
            fmt::format(
                "migsafe knows of no cast from {} back to {}: write the way back by hand (ALTER "
                "TABLE {} ALTER COLUMN {} TYPE {} USING <expression>), or restore the column's "
                "values from a snapshot",
                action.new_type, column->type, quoted_table(at_statement),
                quote_ident(action.column), column->type));
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
        push_manual(context, base,
                    fmt::format("the constraint has no name in the migration and migsafe cannot "
                                "tell which constraint of {} it is: drop it by hand",
                                final_name));
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
    const Column* column = recorded_column(context, base, original, action, false, action.column,
                                           "its old default is unknown");
    if (column == nullptr) {
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

} // namespace

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
        push_manual(context, base,
                    fmt::format("migsafe has no inverse for ALTER TABLE ... {}: undo it by hand",
                                model::to_string(action.kind)));
        return;
    }
}

} // namespace migsafe::compensate::detail
