// Statements the planner reads from their typed details beyond tables, indexes and data:
// REINDEX, CLUSTER, VACUUM, REFRESH, ALTER DOMAIN/TYPE, CREATE / ALTER POLICY, CREATE
// TRIGGER, LOCK TABLE, COMMENT, ALTER INDEX / SEQUENCE, other renames.
#include "model/scan.hpp"
#include "plan/effects.hpp"

#include <migsafe/model/catalog_facts.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace migsafe::plan::detail {
namespace {

using model::Maintenance;
using model::detail::insert_after_keyword;

constexpr std::string_view k_alone = ";\n-- alone in a migration marked -- migsafe:no-transaction";

/// The first relation named, qualified; empty when none (the plan reads the first only).
std::string first_relation(const Maintenance& maintenance)
{
    return maintenance.relations.empty() ? std::string()
                                         : maintenance.relations.front().qualified();
}

std::string_view keyword_of(Maintenance::Object object)
{
    switch (object) {
    case Maintenance::Object::index:
        return "INDEX";
    case Maintenance::Object::table:
        return "TABLE";
    case Maintenance::Object::schema:
        return "SCHEMA";
    case Maintenance::Object::database:
        return "DATABASE";
    case Maintenance::Object::system:
        return "SYSTEM";
    }
    return "TABLE";
}

void plan_reindex(const model::Statement& statement, const Maintenance& reindex, Context& context,
                  Effects& effects)
{
    const std::string target(keyword_of(reindex.object));
    const bool concurrently = reindex.concurrently;
    std::string name = first_relation(reindex);
    std::string table = name;
    if (reindex.object == Maintenance::Object::index) {
        auto known = context.release.index_table.find(name);
        table = known == context.release.index_table.end() ? "" : known->second;
        if (const auto* catalog = context.options().catalog;
            table.empty() && catalog != nullptr && !context.is_new(name)) {
            if (const auto* owner = catalog->table_of_index(name)) {
                table = owner->name; // `--db` knows the index's table
            }
        }
        effects.rewrite(context, name);
        effects.lock(context, name,
                     concurrently ? LockMode::share_update_exclusive : LockMode::access_exclusive);
    } else if (reindex.object != Maintenance::Object::table) {
        return; // SCHEMA, DATABASE, SYSTEM: relations unknown statically
    }
    if (!table.empty()) {
        effects.lock(context, table,
                     concurrently ? LockMode::share_update_exclusive : LockMode::share);
        effects.scan(context, table);
    }
    if (concurrently) {
        if (context.in_transaction()) {
            effects.find("MS-IDX-04",
                         "REINDEX CONCURRENTLY " + name + " cannot run inside a transaction block",
                         statement.sql + std::string(k_alone));
        }
        return;
    }
    if (!context.is_new(table.empty() ? name : table)) {
        effects.find("MS-IDX-03",
                     fmt::format("REINDEX {} {} takes ShareLock on {} and AccessExclusiveLock on "
                                 "each index it rebuilds: blocks writes, and most reads",
                                 target, name, table.empty() ? "the table" : table),
                     context.options().pg_version >= 12
                         ? insert_after_keyword(statement.sql, target, " CONCURRENTLY") +
                               std::string(k_alone)
                         : "-- PostgreSQL < 12 has no REINDEX CONCURRENTLY: CREATE INDEX "
                           "CONCURRENTLY a copy, drop the old one, rename");
    }
}

// CLUSTER and VACUUM FULL rewrite the table.
void plan_rewrite_maintenance(const model::Statement& statement, const Maintenance& maintenance,
                              Context& context, Effects& effects)
{
    const std::string table = first_relation(maintenance);
    if (table.empty()) {
        return;
    }
    effects.lock(context, table, LockMode::access_exclusive);
    effects.rewrite(context, table);
    effects.scan(context, table);
    if (!context.is_new(table)) {
        effects.find(
            "MS-MAINT-01",
            blocking(maintenance.verb == Maintenance::Verb::cluster ? "CLUSTER" : "VACUUM FULL",
                     table, LockMode::access_exclusive) +
                " while the table is rewritten",
            "-- use pg_repack or pg_squeeze instead of " +
                std::string(statement.sql.substr(0, 40)));
    }
}

void plan_vacuum(const model::Statement& statement, const Maintenance& vacuum, Context& context,
                 Effects& effects)
{
    if (vacuum.verb == Maintenance::Verb::vacuum && context.in_transaction()) {
        effects.find("MS-IDX-04", "VACUUM cannot run inside a transaction block",
                     statement.sql + std::string(k_alone));
    }
    if (vacuum.full) {
        plan_rewrite_maintenance(statement, vacuum, context, effects);
        return;
    }
    if (const auto table = first_relation(vacuum); !table.empty()) {
        effects.lock(context, table, LockMode::share_update_exclusive);
    }
}

void plan_refresh(const model::Statement& statement, const Maintenance& refresh, Context& context,
                  Effects& effects)
{
    const std::string view = first_relation(refresh);
    // The view's query runs again: AccessShareLock on, and a read of, what it names
    // (known from the release or the catalog; without them, unknown).
    for (const auto& relation : view_reads(context, view)) {
        effects.lock(context, relation, LockMode::access_share);
        effects.scan(context, relation);
    }
    if (refresh.concurrently) {
        effects.lock(context, view, LockMode::exclusive);
        effects.scan(context, view);
        return;
    }
    effects.lock(context, view, LockMode::access_exclusive);
    effects.rewrite(context, view);
    if (has_index(context, view)) {
        effects.scan(context, view); // each index is rebuilt from the new heap
    }
    if (!context.is_new(view)) {
        effects.find("MS-MAINT-02",
                     blocking("REFRESH MATERIALIZED VIEW", view, LockMode::access_exclusive) +
                         " while it is rebuilt",
                     insert_after_keyword(statement.sql, "VIEW", " CONCURRENTLY") +
                         ";  -- needs a unique index on the view");
    }
}

void plan_maintenance(const model::Statement& statement, const Maintenance& maintenance,
                      Context& context, Effects& effects)
{
    const bool alone = maintenance.relations.empty() && maintenance.options.empty();
    if (alone && maintenance.verb != Maintenance::Verb::reindex) {
        return; // CLUSTER, VACUUM or ANALYZE alone: every table, none known statically
    }
    switch (maintenance.verb) {
    case Maintenance::Verb::reindex:
        effects.at_least(Phase::expand);
        plan_reindex(statement, maintenance, context, effects);
        break;
    case Maintenance::Verb::cluster:
        effects.at_least(Phase::expand);
        plan_rewrite_maintenance(statement, maintenance, context, effects);
        break;
    case Maintenance::Verb::vacuum:
    case Maintenance::Verb::analyze:
        plan_vacuum(statement, maintenance, context, effects);
        break;
    case Maintenance::Verb::refresh:
        effects.at_least(Phase::backfill);
        plan_refresh(statement, maintenance, context, effects);
        break;
    }
}

} // namespace

std::vector<std::string> tables_using(const Context& context, const std::string& domain,
                                      bool partitioned)
{
    std::vector<std::string> tables;
    const model::CatalogFacts* catalog = context.options().catalog;
    if (catalog == nullptr) {
        return tables;
    }
    for (const auto& [name, table] : catalog->tables) {
        const bool uses = std::any_of(table.columns.begin(), table.columns.end(),
                                      [&](const auto& column) { return column.domain == domain; });
        if (uses && !context.is_new(name) && (partitioned || table.kind != 'p')) {
            tables.push_back(name);
        }
    }
    return tables;
}

namespace {

using AlterAction = model::AlterType::Action;

// ADD CHECK (not NOT VALID), VALIDATE CONSTRAINT and SET NOT NULL check every row of every
// table using the domain, under ShareLock.
void plan_alter_domain(const model::Statement& statement, const model::AlterType& alter,
                       Context& context, Effects& effects)
{
    const std::string domain = alter.name.qualified();
    const bool add_check = alter.action == AlterAction::add_check && !alter.not_valid;
    const bool checks_rows = add_check || alter.action == AlterAction::validate_constraint ||
                             alter.action == AlterAction::set_not_null;
    // The rows are in the partitions: a partitioned table itself is neither locked nor read.
    const auto tables =
        checks_rows ? tables_using(context, domain, false) : std::vector<std::string>{};
    for (const auto& table : tables) {
        effects.lock(context, table, LockMode::share);
        effects.scan(context, table);
    }
    if (add_check) {
        effects.find("MS-CON-12",
                     tables.empty()
                         ? "ALTER DOMAIN ADD CHECK takes ShareLock on every table using the "
                           "domain while each is scanned: blocks their writes"
                         : fmt::format("ALTER DOMAIN {} ADD CHECK takes ShareLock on {} while "
                                       "each is scanned: blocks their writes",
                                       domain, fmt::join(tables, ", ")),
                     statement.sql + " NOT VALID;\n-- in a later migration: ALTER DOMAIN "
                                     "... VALIDATE CONSTRAINT ...;");
    }
}

void plan_alter_type(const model::Statement& statement, const model::AlterType& alter,
                     Context& context, Effects& effects)
{
    if (alter.domain) {
        plan_alter_domain(statement, alter, context, effects);
        return;
    }
    const bool rename_value = alter.action == AlterAction::rename_value;
    const bool add_value = alter.action == AlterAction::add_value;
    if (rename_value) {
        effects.find("MS-BRK-07",
                     "ALTER TYPE ... RENAME VALUE: running application versions that write the "
                     "old value fail",
                     "-- add the new value, migrate the rows, stop writing the old one");
    } else if (add_value && context.in_transaction() && context.options().pg_version < 12) {
        effects.find("MS-BRK-07",
                     fmt::format("ALTER TYPE ... ADD VALUE cannot run inside a transaction "
                                 "block on PostgreSQL {}",
                                 context.options().pg_version),
                     statement.sql + std::string(k_alone));
    }
    if (add_value && context.in_transaction()) {
        context.file.new_enum_values.push_back(alter.value);
    }
    if (add_value && !alter.placed && effects.findings.empty()) {
        effects.find("MS-BRK-07",
                     "ALTER TYPE ... ADD VALUE without BEFORE/AFTER: the value sorts last, "
                     "and it cannot be used in the same transaction",
                     "-- add BEFORE/AFTER if order matters; use the value in a later migration");
        effects.findings.back().severity = Severity::info;
    }
}

// CREATE / ALTER POLICY, CREATE TRIGGER, ALTER INDEX, ALTER SEQUENCE ... OWNED BY.
void plan_table_object(const model::TableObject& object, Context& context, Effects& effects)
{
    using Object = model::TableObject::Object;
    if (object.create) {
        effects.at_least(Phase::expand);
    }
    if (object.object == Object::index) {
        effects.at_least(Phase::expand);
    }
    if (!object.table) {
        return;
    }
    const std::string table = object.table->qualified();
    switch (object.object) {
    case Object::policy:
        effects.lock(context, table, LockMode::access_exclusive);
        if (object.create && !context.is_new(table)) {
            effects.find("MS-OPS-08", blocking("CREATE POLICY", table, LockMode::access_exclusive),
                         "SET lock_timeout = '2s';");
        }
        break;
    case Object::trigger:
        effects.lock(context, table, LockMode::share_row_exclusive);
        break;
    case Object::index:
        effects.lock(context, table, LockMode::share_update_exclusive);
        break;
    case Object::sequence:
        // OWNED BY table.column reads the table's definition under AccessShareLock.
        effects.lock(context, table, LockMode::access_share);
        break;
    }
}

void plan_lock(const model::LockTable& lock, Context& context, Effects& effects)
{
    if (lock.tables.empty()) {
        return;
    }
    // PostgreSQL numbers the modes 1 (AccessShareLock) to 8, in LockMode's order.
    const LockMode mode = lock.mode >= 1 && lock.mode <= 8 ? static_cast<LockMode>(lock.mode - 1)
                                                           : LockMode::access_exclusive;
    effects.lock(context, lock.tables.front().qualified(), mode);
}

// A statement that creates something (the kinds below, CREATE POLICY / TRIGGER, and the
// CREATEs the model does not type).
bool creates(const model::Statement& statement)
{
    using model::StatementKind;
    switch (statement.kind) {
    case StatementKind::create_type:
    case StatementKind::create_function:
    case StatementKind::create_sequence:
    case StatementKind::create_schema:
    case StatementKind::create_extension:
        return true;
    default:
        break;
    }
    const auto* object = statement.get_if<model::TableObject>();
    return statement.get_if<model::CreateOther>() != nullptr ||
           (object != nullptr && object->create);
}

} // namespace

void plan_misc(const model::Statement& statement, Context& context, Effects& effects)
{
    if (statement.kind == model::StatementKind::rename) {
        const auto& rename = statement.as<model::Rename>();
        effects.at_least(Phase::contract);
        if (rename.object_type == "schema") {
            effects.find("MS-BRK-08",
                         fmt::format("ALTER SCHEMA {} RENAME TO {}: running application "
                                     "versions that name {} fail",
                                     rename.from, rename.to, rename.from),
                         "-- create the new schema, move objects, keep views in the old one");
        } else if (rename.object_type == "index") {
            effects.lock(context, rename.from, LockMode::share_update_exclusive);
        } else if (rename.object_type == "view" || rename.object_type == "matview" ||
                   rename.object_type == "trigger" || rename.object_type == "policy") {
            // A view's own lock; for a trigger or policy, `from` is its table.
            effects.lock(context, rename.from, LockMode::access_exclusive);
        }
        return;
    }
    if (const auto* maintenance = statement.get_if<model::Maintenance>()) {
        plan_maintenance(statement, *maintenance, context, effects);
    } else if (const auto* alter = statement.get_if<model::AlterType>()) {
        effects.at_least(Phase::expand);
        plan_alter_type(statement, *alter, context, effects);
    } else if (const auto* object = statement.get_if<model::TableObject>()) {
        plan_table_object(*object, context, effects);
    } else if (creates(statement)) {
        effects.at_least(Phase::expand);
    } else if (const auto* comment = statement.get_if<model::CommentOn>()) {
        // COMMENT ON TABLE t / COLUMN t.c: ShareUpdateExclusiveLock on the table.
        if (comment->table) {
            effects.lock(context, comment->table->qualified(), LockMode::share_update_exclusive);
        }
    } else if (const auto* lock = statement.get_if<model::LockTable>()) {
        plan_lock(*lock, context, effects);
    }
}

} // namespace migsafe::plan::detail
