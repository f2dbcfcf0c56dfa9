// What the inverse rules share: lookups in objects_before, quoting, the archive schema,
// putting a constraint back, and the context's own helpers.
#include "compensate/inverse_common.hpp"

#include "model/version_format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace migsafe::compensate::detail {

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

/// The step for something the migration dropped or changed that objects_before does not
/// describe: with IF EXISTS it did not exist (nothing to undo); else `unknown` says what a
/// person must supply.
void push_manual(Context& context, Step base, std::string note)
{
    base.safety = DataSafety::manual;
    base.note = std::move(note);
    context.steps.push_back(std::move(base));
}

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

} // namespace migsafe::compensate::detail
