// CREATE TABLE, DROP INDEX / TABLE / other, TRUNCATE, and data changes.
#include "plan/alter_actions.hpp"
#include "plan/effects.hpp"

#include <migsafe/model/catalog_facts.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <functional>

namespace migsafe::plan::detail {

void plan_create_table(const model::Statement& statement, Context& context, Effects& effects)
{
    effects.at_least(Phase::expand);
    const auto* create = statement.get_if<model::CreateTable>();
    if (create == nullptr) {
        return; // CREATE TABLE AS: the model keeps no details
    }
    const std::string table = create->table.qualified();
    // LIKE source: its definition is read under AccessShareLock.
    for (const auto& source : create->like) {
        effects.lock(context, source.qualified(), LockMode::access_share);
    }
    // PARTITION OF parent: AccessExclusiveLock on the parent.
    if (create->partition_of) {
        const std::string parent = create->partition_of->qualified();
        effects.lock(context, parent, LockMode::access_exclusive);
        lock_keys_into(parent, LockMode::share_row_exclusive, false, context, effects);
        const auto default_partition = context.release.default_partition.find(parent);
        if (create->default_partition) {
            context.release.default_partition[parent] = table;
        } else if (default_partition != context.release.default_partition.end() &&
                   !context.is_new(default_partition->second)) {
            // The DEFAULT partition may hold rows of the new range: PostgreSQL reads it all
            // to prove it does not, under AccessExclusiveLock on the parent.
            effects.lock(context, default_partition->second, LockMode::access_exclusive);
            effects.scan(context, default_partition->second);
            effects.find("MS-PART-02",
                         fmt::format("CREATE TABLE {} PARTITION OF {} reads the DEFAULT "
                                     "partition {} in full while AccessExclusiveLock on {} "
                                     "blocks every query on the partitioned table",
                                     table, parent, default_partition->second, parent),
                         fmt::format("-- create the partition before rows of its range reach "
                                     "the DEFAULT partition, or detach {}, create the partition "
                                     "and attach it again with a CHECK that excludes the range",
                                     default_partition->second));
        }
    }
    context.release.created.emplace(table, context.file.file);
    if (create->partitioned) {
        context.release.partitioned.insert(table);
    }
    auto& columns = context.release.columns[table];
    auto reference = [&](const model::Constraint& constraint) {
        if (constraint.kind != model::Constraint::Kind::foreign_key || !constraint.references) {
            return;
        }
        const std::string parent = constraint.references->qualified();
        effects.lock(context, parent, LockMode::share_row_exclusive);
        remember_foreign_key(table, constraint, context);
        if (!context.is_new(parent) && parent != table) {
            effects.find("MS-CON-08",
                         fmt::format("CREATE TABLE {} REFERENCES {}: takes "
                                     "ShareRowExclusiveLock on {}, blocking its writes while "
                                     "it waits for the lock",
                                     table, parent, parent),
                         "SET lock_timeout = '2s';");
        }
    };
    for (const auto& column : create->columns) {
        columns[column.name] = {column.type, column.not_null, ""};
        for (const auto& constraint : column.constraints) {
            if (constraint.kind == model::Constraint::Kind::primary_key) {
                columns[column.name].not_null = true;
                context.release.primary_key[table] = {column.name};
            }
            if (constraint.kind == model::Constraint::Kind::primary_key ||
                constraint.kind == model::Constraint::Kind::unique) {
                context.release.index_leading[table].push_back(column.name);
            }
            reference(constraint);
        }
    }
    for (const auto& constraint : create->constraints) {
        reference(constraint);
        const bool indexed = constraint.kind == model::Constraint::Kind::primary_key ||
                             constraint.kind == model::Constraint::Kind::unique;
        if (indexed && !constraint.columns.empty()) {
            context.release.index_leading[table].push_back(constraint.columns.front());
        }
        if (constraint.kind == model::Constraint::Kind::primary_key) {
            for (const auto& column : constraint.columns) {
                columns[column].not_null = true;
            }
            context.release.primary_key[table] = constraint.columns;
        }
    }
}

namespace {

// DROP TABLE `table`: its foreign keys go with it, and dropping one takes
// AccessExclusiveLock on both of its tables (docs/locks.md, 2.8: "DROP a foreign key").
// Returns the clause a finding adds ("" when none is known).
std::string lock_foreign_key_neighbours(const std::string& table, Context& context,
                                        Effects& effects)
{
    std::vector<std::string> parts;
    for (const auto& neighbour : foreign_key_neighbours(context, table)) {
        effects.lock(context, neighbour.table, LockMode::access_exclusive);
        parts.push_back(fmt::format("{} ({})", neighbour.table, neighbour.constraint));
    }
    if (parts.empty()) {
        return {};
    }
    return fmt::format(", and on {}, as the foreign keys go with it", fmt::join(parts, ", "));
}

// DROP SCHEMA ... CASCADE: every table in it (the catalog's and the release's), and the
// tables outside it whose foreign keys reference them. Without a catalog only the tables
// the release created are known.
void lock_schema(const std::string& schema, Context& context, Effects& effects)
{
    const auto in_schema = [&schema](const std::string& name) {
        return model::RelationName::from_qualified(name).schema == schema;
    };
    std::vector<std::string> tables;
    if (const auto* catalog = context.options().catalog) {
        for (const auto& [name, table] : catalog->tables) {
            if (in_schema(name)) {
                tables.push_back(name);
            }
        }
    }
    for (const auto& [name, file] : context.release.created) {
        if (in_schema(name) && std::find(tables.begin(), tables.end(), name) == tables.end()) {
            tables.push_back(name);
        }
    }
    for (const auto& table : tables) {
        effects.lock(context, table, LockMode::access_exclusive);
        for (const auto& neighbour : foreign_key_neighbours(context, table)) {
            if (!in_schema(neighbour.table)) {
                effects.lock(context, neighbour.table, LockMode::access_exclusive);
            }
        }
    }
}

// TRUNCATE ... CASCADE also empties every table whose foreign key references a truncated
// one, transitively (`--db`, or foreign keys the release defined).
std::vector<std::string> truncate_cascade(const std::vector<std::string>& tables,
                                          const Context& context)
{
    std::vector<std::string> all = tables;
    for (std::size_t i = 0; i < all.size(); ++i) {
        for (const auto& neighbour : foreign_key_neighbours(context, all[i])) {
            if (neighbour.referencing &&
                std::find(all.begin(), all.end(), neighbour.table) == all.end()) {
                all.push_back(neighbour.table);
            }
        }
    }
    return {all.begin() + static_cast<std::ptrdiff_t>(tables.size()), all.end()};
}

// With a catalog: a WHERE that names no leading column of a valid, non-partial index
// (the catalog's or one the release built) reads the whole table. A column restricts the
// target's own rows when the top-level WHERE names it unqualified or qualified by the
// target's name or alias: `parent.id = t.p` restricts nothing of `t` through `id`.
bool where_is_indexed(const model::DataChange& change, const std::string& table,
                      const Context& context)
{
    // With `--db`: the table and each of its inheritance children (and partitions) need
    // such an index of their own: a child without one is read whole.
    std::function<bool(const model::TableFacts&, const std::string&, int)> indexed_everywhere =
        [&](const model::TableFacts& facts, const std::string& column, int depth) {
            const bool here =
                std::any_of(facts.indexes.begin(), facts.indexes.end(), [&](const auto& index) {
                    return index.valid && !index.partial && !index.columns.empty() &&
                           index.columns.front() == column;
                });
            return here && (depth > 8 ||
                            std::all_of(facts.children.begin(), facts.children.end(),
                                        [&](const std::string& child) {
                                            const auto* below = context.existing(child);
                                            return below == nullptr ||
                                                   indexed_everywhere(*below, column, depth + 1);
                                        }));
        };
    auto leading = [&](const std::string& column) {
        if (const auto* facts = context.existing(table)) {
            if (indexed_everywhere(*facts, column, 0)) {
                return true;
            }
        }
        auto known = context.release.index_leading.find(table);
        return known != context.release.index_leading.end() &&
               std::find(known->second.begin(), known->second.end(), column) != known->second.end();
    };
    return std::any_of(
        change.where_columns.begin(), change.where_columns.end(), [&](const std::string& column) {
            return leading(column) &&
                   std::find(change.target_where_columns.begin(), change.target_where_columns.end(),
                             column) != change.target_where_columns.end();
        });
}

// The other relations a data change or query reads (the model's, in the order of the
// text), qualified.
std::vector<std::string> relations_read(const model::Statement& statement)
{
    const std::vector<model::RelationName>* reads = nullptr;
    if (const auto* change = statement.get_if<model::DataChange>()) {
        reads = &change->reads;
    } else if (const auto* insert = statement.get_if<model::Insert>()) {
        reads = &insert->reads;
    } else if (const auto* query = statement.get_if<model::Query>()) {
        reads = &query->reads;
    }
    std::vector<std::string> names;
    for (const auto& relation : reads != nullptr ? *reads : std::vector<model::RelationName>{}) {
        names.push_back(relation.qualified());
    }
    return names;
}

// UPDATE of a foreign-key column of a table the catalog says has rows: the new values are
// checked in the referenced table (SELECT ... FOR KEY SHARE): RowShareLock on it (`--db`).
void lock_referenced_by_update(const model::Statement& statement, const std::string& table,
                               const Context& context, Effects& effects)
{
    const auto* change = statement.get_if<model::DataChange>();
    const model::CatalogFacts* catalog = context.options().catalog;
    const model::TableFacts* facts = context.existing(table);
    if (change == nullptr || catalog == nullptr || facts == nullptr || facts->rows <= 0) {
        return; // no rows to update: nothing is checked
    }
    for (const auto& key : catalog->foreign_keys_of(table)) {
        const bool sets =
            key.table == table &&
            std::any_of(key.columns.begin(), key.columns.end(), [&](const auto& c) {
                return std::find(change->set_columns.begin(), change->set_columns.end(), c) !=
                       change->set_columns.end();
            });
        if (sets) {
            effects.lock(context, key.referenced, LockMode::row_share);
        }
    }
}

// DELETE from a table that foreign keys reference, when the catalog says it has rows: each
// deleted row is looked up in every referencing table (SELECT ... FOR KEY SHARE, or the
// ON DELETE action): RowShareLock (RowExclusiveLock for CASCADE / SET NULL / SET
// DEFAULT, which the facts do not tell apart: RowShareLock is claimed), and a full read
// of a referencing table whose key columns lead no index (`--db`).
void check_referencing_rows(const model::Statement& statement, const std::string& table,
                            const Context& context, Effects& effects)
{
    const model::CatalogFacts* catalog = context.options().catalog;
    const model::TableFacts* facts = context.existing(table);
    if (statement.kind != model::StatementKind::delete_rows || catalog == nullptr ||
        facts == nullptr || facts->rows <= 0) {
        return;
    }
    for (const auto& key : catalog->foreign_keys_of(table)) {
        if (key.referenced != table || key.table == table || key.columns.empty()) {
            continue;
        }
        effects.lock(context, key.table, LockMode::row_share);
        const model::TableFacts* referencing = context.existing(key.table);
        const bool indexed = referencing != nullptr &&
                             std::any_of(referencing->indexes.begin(), referencing->indexes.end(),
                                         [&](const auto& index) {
                                             return index.valid && !index.partial &&
                                                    !index.columns.empty() &&
                                                    index.columns.front() == key.columns.front();
                                         });
        if (!indexed) {
            effects.scan(context, key.table);
        }
    }
}

// DROP VIEW / MATERIALIZED VIEW: AccessExclusiveLock on each. DROP TRIGGER / POLICY /
// RULE ... ON t: AccessExclusiveLock on t. DROP DOMAIN ... CASCADE drops the columns of
// that domain: AccessExclusiveLock on each table using it (`--db`).
void lock_dropped_objects(const model::DropObjects& drop, Context& context, Effects& effects)
{
    const auto& type = drop.object_type;
    if (type == "view" || type == "matview" || type == "materialized_view") {
        for (const auto& name : drop.names) {
            effects.lock(context, name, LockMode::access_exclusive);
        }
    } else if ((type == "trigger" || type == "policy" || type == "rule") && drop.table) {
        effects.lock(context, drop.table->qualified(), LockMode::access_exclusive);
    } else if (type == "domain" && drop.cascade) {
        for (const auto& domain : drop.types) {
            for (const auto& table : tables_using(context, domain.qualified(), true)) {
                effects.lock(context, table, LockMode::access_exclusive);
            }
        }
    }
}

} // namespace

void plan_drop(const model::Statement& statement, Context& context, Effects& effects)
{
    effects.at_least(Phase::contract);
    if (const auto* drop = statement.get_if<model::DropIndex>()) {
        for (const auto& index : drop->indexes) {
            const std::string name = index.qualified();
            const auto mode =
                drop->concurrently ? LockMode::share_update_exclusive : LockMode::access_exclusive;
            // The index's table: known when the release created the index, or from the
            // catalog (`--db`); without either, unknown (the finding says "its table").
            std::string table;
            if (auto known = context.release.index_table.find(name);
                known != context.release.index_table.end()) {
                table = known->second;
            } else if (const auto* catalog = context.options().catalog;
                       catalog != nullptr && !context.is_new(name)) {
                if (const auto* owner = catalog->table_of_index(name)) {
                    table = owner->name;
                }
            }
            if (drop->if_exists && table.empty() && context.options().catalog != nullptr &&
                !context.is_new(name)) {
                continue; // IF EXISTS, and the live catalog has no such index
            }
            const bool known_table = !table.empty();
            if (known_table) {
                effects.lock(context, table, mode);
            }
            effects.lock(context, name, mode);
            if (drop->concurrently && context.in_transaction()) {
                effects.find("MS-IDX-04",
                             "DROP INDEX CONCURRENTLY " + name +
                                 " cannot run inside a transaction block",
                             statement.sql + ";\n-- alone in a migration marked -- "
                                             "migsafe:no-transaction");
            }
            if (!drop->concurrently && !context.is_new(name)) {
                effects.find("MS-IDX-02",
                             blocking("DROP INDEX " + name, known_table ? table : "its table",
                                      LockMode::access_exclusive),
                             fmt::format("DROP INDEX CONCURRENTLY{} {};\n-- alone in a "
                                         "migration marked -- migsafe:no-transaction",
                                         drop->if_exists ? " IF EXISTS" : "", name));
            }
        }
        return;
    }
    if (const auto* drop = statement.get_if<model::DropTable>()) {
        for (const auto& relation : drop->tables) {
            const std::string table = relation.qualified();
            effects.lock(context, table, LockMode::access_exclusive);
            if (const auto* facts = context.existing(table); facts != nullptr && drop->cascade) {
                for (const auto& view : facts->views) { // dropped with it
                    effects.lock(context, view, LockMode::access_exclusive);
                }
            }
            const auto neighbours = lock_foreign_key_neighbours(table, context, effects);
            auto created = context.release.created.find(table);
            if (created != context.release.created.end() && created->second == context.file.file) {
                context.release.created.erase(created); // a scratch table of this migration
            } else if (created != context.release.created.end()) {
                effects.find("MS-BRK-04",
                             fmt::format("DROP TABLE {} contracts a table created by {} in "
                                         "the same release: the contract step must ship in "
                                         "a later release than its expand",
                                         table, created->second),
                             "-- move the DROP TABLE to the next release's contract migration");
                context.release.created.erase(created);
            } else if (context.file.declared_phase != Phase::contract) {
                effects.find(
                    "MS-BRK-04",
                    fmt::format("{}{}; application versions still using it fail and "
                                "its rows are gone",
                                blocking("DROP TABLE " + table, table, LockMode::access_exclusive),
                                neighbours),
                    "-- stop using the table, then drop it in a later release, in a "
                    "file marked -- migsafe:phase contract");
            }
        }
        return;
    }
    const auto* dropped = statement.get_if<model::DropObjects>();
    if (const auto* drop = dropped) {
        lock_dropped_objects(*drop, context, effects);
        const bool view = drop->object_type == "view" || drop->object_type == "matview" ||
                          drop->object_type == "materialized_view";
        for (const auto& name : view ? drop->names : std::vector<std::string>{}) {
            // A view the release created is a scratch object; one dropped and created
            // again in the same transaction is dropped from the report afterwards
            // (compatibility_views).
            if (!context.is_new(name) && context.file.declared_phase != Phase::contract) {
                effects.find("MS-BRK-09",
                             fmt::format("DROP VIEW {} takes AccessExclusiveLock on it, and "
                                         "application versions still selecting from it fail",
                                         name),
                             "-- stop using the view, then drop it in a later release, in a "
                             "file marked -- migsafe:phase contract; to change it, create it "
                             "again in the same transaction");
            }
        }
    }
    if (const auto* drop = statement.get_if<model::DropObjects>();
        drop != nullptr && drop->object_type == "schema" && drop->cascade) {
        for (const auto& schema : drop->names) {
            lock_schema(schema, context, effects);
        }
    }
    if (dropped != nullptr && dropped->object_type == "schema") {
        effects.find("MS-BRK-05",
                     "DROP SCHEMA drops every object inside it, with no way back but a restore",
                     "-- drop the objects one by one in contract steps");
    }
}

void plan_data(const model::Statement& statement, Context& context, Effects& effects)
{
    effects.at_least(Phase::backfill);
    if (const auto* truncate = statement.get_if<model::Truncate>()) {
        const bool cascade = truncate->cascade;
        std::vector<std::string> named;
        for (const auto& relation : truncate->tables) {
            named.push_back(relation.qualified());
        }
        const auto children =
            cascade ? truncate_cascade(named, context) : std::vector<std::string>{};
        std::string gone = "; the rows are gone";
        if (!children.empty()) {
            gone = fmt::format(", and on {} emptied by CASCADE{}", fmt::join(children, ", "), gone);
        } else if (cascade) {
            gone = ", and on every foreign-key child reached by CASCADE" + gone;
        }
        for (const auto& relation : truncate->tables) {
            const std::string table = relation.qualified();
            effects.lock(context, table, LockMode::access_exclusive);
            effects.rewrite(context, table);
            if (!context.is_new(table)) {
                effects.find(
                    "MS-BRK-06",
                    fmt::format("{}{}",
                                blocking("TRUNCATE " + table, table, LockMode::access_exclusive),
                                gone),
                    "-- list the tables explicitly, or DELETE in batches");
            }
        }
        for (const auto& child : children) {
            effects.lock(context, child, LockMode::access_exclusive);
            effects.rewrite(context, child);
        }
        return;
    }
    // The other relations it reads (UPDATE ... FROM, DELETE ... USING, subqueries, CTEs,
    // INSERT ... SELECT): AccessShareLock; FOR UPDATE / SHARE takes RowShareLock.
    const auto* query = statement.get_if<model::Query>();
    const bool locking_read = query != nullptr && query->locking;
    for (const auto& relation : relations_read(statement)) {
        effects.lock(context, relation,
                     locking_read ? LockMode::row_share : LockMode::access_share);
    }
    const auto target = statement.target_table();
    if (!target || statement.kind == model::StatementKind::select) {
        return;
    }
    const std::string table = target->qualified();
    effects.lock(context, table, LockMode::row_exclusive);
    lock_referenced_by_update(statement, table, context, effects);
    check_referencing_rows(statement, table, context, effects);
    const auto* change = statement.get_if<model::DataChange>();
    if (change != nullptr && change->has_where && context.existing(table) != nullptr &&
        !where_is_indexed(*change, table, context)) {
        effects.scan(context, table); // no index to find the rows: a sequential scan
    } else if (change != nullptr && change->has_where &&
               context.release.created_earlier.contains(table)) {
        // Without a catalog, a table an earlier migration of the set created has only the
        // indexes the set gave it. In a migration, an UPDATE or DELETE whose WHERE none of
        // them serves (`WHERE done`, `WHERE name IS NULL`), or whose rows another relation
        // picks (UPDATE ... FROM, DELETE ... USING, a subquery), is a backfill: it usually
        // touches most of the table in one statement.
        const bool indexed = where_is_indexed(*change, table, context);
        const auto pickers = relations_read(statement);
        if (!indexed) {
            effects.scan(context, table);
        }
        if (!indexed || !pickers.empty()) {
            const auto verb = statement.kind == model::StatementKind::update ? "UPDATE" : "DELETE";
            const auto how =
                indexed ? fmt::format("its rows are whatever {} matches", fmt::join(pickers, ", "))
                        : fmt::format("no index of the table serves WHERE {}, so every row is "
                                      "read",
                                      fmt::join(change->where_columns, ", "));
            effects.find("MS-OPS-04",
                         fmt::format("{} of {} in one statement: {}, and a backfill's condition "
                                     "usually matches most of them: their row locks are held "
                                     "until COMMIT, with a WAL spike and bloat",
                                     verb, table, how),
                         "-- batch by primary-key range outside the DDL transaction, in a file "
                         "marked -- migsafe:phase backfill");
        }
    }
    if (change != nullptr && !change->has_where) {
        effects.scan(context, table);
        if (!context.is_new(table)) {
            effects.find(
                "MS-OPS-04",
                fmt::format("{} of every row of {} in one statement: row locks on "
                            "every row, a WAL spike and bloat",
                            statement.kind == model::StatementKind::update ? "UPDATE" : "DELETE",
                            table),
                "-- batch by primary-key range outside the DDL transaction, in a "
                "file marked -- migsafe:phase backfill");
        }
    }
}

} // namespace migsafe::plan::detail
