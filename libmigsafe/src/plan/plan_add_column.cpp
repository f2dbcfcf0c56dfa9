// ADD COLUMN: metadata only, unless a default, a generated value, a sequence or an
// inline constraint makes PostgreSQL rewrite or scan the table.
#include "plan/alter_actions.hpp"

#include <fmt/format.h>

namespace migsafe::plan::detail {
namespace {

bool is_serial(const std::string& type)
{
    return type == "serial" || type == "bigserial" || type == "smallserial" || type == "serial4" ||
           type == "serial8" || type == "serial2";
}

std::string add_plain(const std::string& table, const model::ColumnDefinition& column)
{
    return fmt::format("ALTER TABLE {} ADD COLUMN {} {};", table, column.name, column.type);
}

// The default's behaviour, sharpened by the live catalog (`--db`) when the text alone cannot
// tell: the most volatile of the functions it calls, looked up as written, then in
// pg_catalog and public (the default search_path). Unknown functions keep `other`.
model::DefaultKind default_kind(const model::ColumnDefinition& column, const Context& context)
{
    const model::CatalogFacts* catalog = context.options().catalog;
    if (catalog == nullptr || column.default_kind != model::DefaultKind::other ||
        column.default_functions.empty()) {
        return column.default_kind;
    }
    model::DefaultKind kind = model::DefaultKind::stable;
    for (const auto& name : column.default_functions) {
        auto volatility = catalog->volatility(name);
        if (!volatility && name.find('.') == std::string::npos) {
            volatility = catalog->volatility("public." + name);
        }
        if (!volatility) {
            kind = model::DefaultKind::other;
        } else if (*volatility == model::Volatility::volatile_) {
            return model::DefaultKind::volatile_function;
        }
    }
    return kind;
}

void rewrite_findings(const std::string& table, const model::ColumnDefinition& column,
                      Context& context, Effects& effects)
{
    const std::string what = fmt::format("ADD COLUMN {}.{}", table, column.name);
    const model::DefaultKind kind = default_kind(column, context);
    const std::string backfill =
        "\n-- then backfill existing rows in batches (-- migsafe:phase backfill)";
    auto rewrite = [&](std::string_view rule_id, std::string_view cause) {
        effects.rewrite(context, table);
        effects.scan(context, table); // the copy reads every row
        effects.find(rule_id,
                     blocking(what, table, LockMode::access_exclusive) +
                         fmt::format(" while {} rewrites the table and its indexes", cause),
                     add_plain(table, column) + backfill);
    };
    if (column.generated) {
        rewrite("MS-COL-05", "the STORED generated value");
    } else if (column.identity || is_serial(column.type)) {
        rewrite("MS-COL-06", "filling the new sequence");
    } else if (kind == model::DefaultKind::volatile_function) {
        rewrite("MS-COL-03", "the volatile default");
    } else if (kind != model::DefaultKind::none && context.options().pg_version < 11) {
        rewrite("MS-COL-04",
                fmt::format("a default (PostgreSQL {})", context.options().pg_version));
    } else if (kind == model::DefaultKind::other) {
        effects.find("MS-COL-03",
                     what + ": the default's volatility is unknown without --db; a volatile "
                            "default rewrites the table under AccessExclusiveLock",
                     add_plain(table, column) + backfill);
        effects.findings.back().severity = Severity::warning;
    }
    if (column.not_null && column.default_kind == model::DefaultKind::none && !column.identity &&
        !column.generated && !is_serial(column.type)) {
        // PostgreSQL checks the new NOT NULL over every row (it fails when there is one).
        effects.scan(context, table);
        effects.find("MS-COL-02",
                     what + " is NOT NULL without a default: fails on a non-empty table and "
                            "breaks INSERTs of running application versions",
                     add_plain(table, column) +
                         "\n-- backfill, then SET NOT NULL through a validated CHECK "
                         "(MS-COL-01)");
    }
}

void inline_constraint_findings(const std::string& table, const model::ColumnDefinition& column,
                                Context& context, Effects& effects)
{
    using Kind = model::Constraint::Kind;
    const std::string what = fmt::format("ADD COLUMN {}.{}", table, column.name);
    for (const auto& constraint : column.constraints) {
        if (constraint.kind == Kind::check) {
            effects.scan(context, table);
            effects.find(
                "MS-CON-11",
                blocking(what + " with an inline CHECK", table, LockMode::access_exclusive) +
                    " while the whole table is scanned",
                add_plain(table, column) +
                    fmt::format("\nALTER TABLE {0} ADD CONSTRAINT {1}_{2}_check CHECK "
                                "(...) NOT VALID;\n-- in a later migration:\nALTER "
                                "TABLE {0} VALIDATE CONSTRAINT {1}_{2}_check;",
                                table, short_name(table), column.name));
        } else if (constraint.kind == Kind::unique || constraint.kind == Kind::primary_key) {
            effects.scan(context, table);
            const bool unique = constraint.kind == Kind::unique;
            effects.find(unique ? "MS-CON-01" : "MS-CON-02",
                         blocking(what + (unique ? " UNIQUE" : " PRIMARY KEY"), table,
                                  LockMode::access_exclusive) +
                             " while the index is built",
                         add_plain(table, column) +
                             fmt::format("\nCREATE UNIQUE INDEX CONCURRENTLY {1}_{2}_key ON {0} "
                                         "({2});  -- no-transaction migration\nALTER TABLE {0} "
                                         "ADD CONSTRAINT {1}_{2}_key {3} USING INDEX {1}_{2}_key;",
                                         table, short_name(table), column.name,
                                         unique ? "UNIQUE" : "PRIMARY KEY"));
        } else if (constraint.kind == Kind::foreign_key && constraint.references) {
            const auto parent = constraint.references->qualified();
            effects.lock(context, parent, LockMode::share_row_exclusive);
            if (!context.is_new(parent)) {
                effects.find("MS-CON-07",
                             fmt::format("{} REFERENCES {} takes AccessExclusiveLock on {} and "
                                         "ShareRowExclusiveLock on {}: blocks writes on {} "
                                         "while it waits",
                                         what, parent, table, parent, parent),
                             "SET lock_timeout = '2s';\n" + add_plain(table, column) +
                                 fmt::format("\nALTER TABLE {} ADD FOREIGN KEY ({}) "
                                             "REFERENCES {} NOT VALID;\n-- in a later "
                                             "migration: VALIDATE CONSTRAINT",
                                             table, column.name, parent));
            }
        }
    }
}

} // namespace

void plan_add_column(const ActionScope& scope, const model::AlterTableAction& action,
                     Context& context, Effects& effects)
{
    effects.at_least(Phase::expand);
    if (!action.column_definition) {
        return;
    }
    const auto& column = *action.column_definition;
    context.release.columns[scope.table][column.name] = {
        column.type, column.not_null,
        fmt::format("{}:{}", scope.statement.file.string(), scope.statement.line)};
    for (const auto& constraint : column.constraints) {
        if (constraint.kind == model::Constraint::Kind::foreign_key) {
            remember_foreign_key(scope.table, constraint, context);
        }
    }
    if (scope.table_is_new) {
        return;
    }
    rewrite_findings(scope.table, column, context, effects);
    inline_constraint_findings(scope.table, column, context, effects);
    if (column.type == "json") {
        effects.find("MS-COL-09",
                     fmt::format("ADD COLUMN {}.{} json: json has no equality operator, so "
                                 "SELECT DISTINCT and UNION over {} break",
                                 scope.table, column.name, scope.table),
                     fmt::format("ALTER TABLE {} ADD COLUMN {} jsonb;", scope.table, column.name));
    }
}

} // namespace migsafe::plan::detail
