// Statements the model does not type in detail, recognised by their leading keywords:
// REINDEX, CLUSTER, VACUUM, REFRESH, ALTER DOMAIN/TYPE/SCHEMA, CREATE POLICY/TRIGGER/VIEW,
// LOCK TABLE, ALTER INDEX.
#include "plan/effects.hpp"
#include "plan/sql_text.hpp"

#include <migsafe/model/catalog_facts.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace migsafe::plan::detail {
namespace {

using Words = std::vector<Word>;

constexpr std::string_view k_alone = ";\n-- alone in a migration marked -- migsafe:no-transaction";

// Skips `( ... )` option lists and the given optional keywords at `at`.
void skip_options(const Words& words, std::size_t& at)
{
    while (at < words.size()) {
        if (words[at].text == "(") {
            at = find_word(words, ")", at) + 1;
        } else if (words[at].text == "CONCURRENTLY" || words[at].text == "VERBOSE" ||
                   words[at].text == "FULL" || words[at].text == "FREEZE" ||
                   words[at].text == "ANALYZE" || words[at].text == "IF" ||
                   words[at].text == "NOT" || words[at].text == "EXISTS" ||
                   words[at].text == "ONLY") {
            ++at;
        } else {
            return;
        }
    }
}

void plan_reindex(const model::Statement& statement, const Words& words, Context& context,
                  Effects& effects)
{
    std::size_t at = 1;
    skip_options(words, at);
    if (at >= words.size()) {
        return;
    }
    const std::string target = words[at].text;
    ++at;
    skip_options(words, at);
    const bool concurrently = has_word(words, "CONCURRENTLY");
    std::string name = relation_at(words, at);
    std::string table = name;
    if (target == "INDEX") {
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
    } else if (target != "TABLE") {
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
                         ? insert_after(statement.sql, target, " CONCURRENTLY") +
                               std::string(k_alone)
                         : "-- PostgreSQL < 12 has no REINDEX CONCURRENTLY: CREATE INDEX "
                           "CONCURRENTLY a copy, drop the old one, rename");
    }
}

void plan_rewrite_maintenance(const model::Statement& statement, const Words& words, std::size_t at,
                              Context& context, Effects& effects)
{
    skip_options(words, at);
    const std::string table = relation_at(words, at);
    if (table.empty()) {
        return;
    }
    effects.lock(context, table, LockMode::access_exclusive);
    effects.rewrite(context, table);
    effects.scan(context, table);
    if (!context.is_new(table)) {
        effects.find("MS-MAINT-01",
                     blocking(words[0].text == "CLUSTER" ? "CLUSTER" : "VACUUM FULL", table,
                              LockMode::access_exclusive) +
                         " while the table is rewritten",
                     "-- use pg_repack or pg_squeeze instead of " +
                         std::string(statement.sql.substr(0, 40)));
    }
}

void plan_vacuum(const model::Statement& statement, const Words& words, Context& context,
                 Effects& effects)
{
    const bool full = has_word(words, "FULL");
    if (words[0].text == "VACUUM" && context.in_transaction()) {
        effects.find("MS-IDX-04", "VACUUM cannot run inside a transaction block",
                     statement.sql + std::string(k_alone));
    }
    if (full) {
        plan_rewrite_maintenance(statement, words, 1, context, effects);
        return;
    }
    std::size_t at = 1;
    skip_options(words, at);
    if (const auto table = relation_at(words, at); !table.empty()) {
        effects.lock(context, table, LockMode::share_update_exclusive);
    }
}

void plan_refresh(const model::Statement& statement, const Words& words, Context& context,
                  Effects& effects)
{
    std::size_t at = find_word(words, "VIEW") + 1;
    skip_options(words, at);
    const std::string view = relation_at(words, at);
    // The view's query runs again: AccessShareLock on, and a read of, what it names
    // (known from the release or the catalog; without them, unknown).
    for (const auto& relation : view_reads(context, view)) {
        effects.lock(context, relation, LockMode::access_share);
        effects.scan(context, relation);
    }
    if (has_word(words, "CONCURRENTLY")) {
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
                     insert_after(statement.sql, "VIEW", " CONCURRENTLY") +
                         ";  -- needs a unique index on the view");
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

// ADD CHECK (not NOT VALID), VALIDATE CONSTRAINT and SET NOT NULL check every row of every
// table using the domain, under ShareLock.
void plan_alter_domain(const model::Statement& statement, const Words& words, Context& context,
                       Effects& effects)
{
    std::size_t at = 2;
    const std::string domain = relation_at(words, at);
    const bool add_check =
        has_word(words, "ADD") && has_word(words, "CHECK") && !has_word(words, "VALID");
    const bool checks_rows = add_check || has_word(words, "VALIDATE") ||
                             (has_word(words, "SET") && has_word(words, "NULL"));
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

void plan_alter_type(const model::Statement& statement, const Words& words, Context& context,
                     Effects& effects)
{
    if (words[1].text == "DOMAIN") {
        plan_alter_domain(statement, words, context, effects);
        return;
    }
    const bool rename_value = has_word(words, "RENAME") && has_word(words, "VALUE");
    const bool add_value = has_word(words, "ADD") && has_word(words, "VALUE");
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
        // The new value's literal: the first quoted string after VALUE.
        const auto value_at = words[find_word(words, "VALUE")].offset;
        const auto open = statement.sql.find('\'', value_at);
        const auto close = statement.sql.find('\'', open + 1);
        if (open != std::string::npos && close != std::string::npos) {
            context.file.new_enum_values.push_back(statement.sql.substr(open, close - open + 1));
        }
    }
    if (add_value && !rename_value && !has_word(words, "BEFORE") && !has_word(words, "AFTER") &&
        effects.findings.empty()) {
        effects.find("MS-BRK-07",
                     "ALTER TYPE ... ADD VALUE without BEFORE/AFTER: the value sorts last, "
                     "and it cannot be used in the same transaction",
                     "-- add BEFORE/AFTER if order matters; use the value in a later migration");
        effects.findings.back().severity = Severity::info;
    }
}

void plan_create_other(const Words& words, Context& context, Effects& effects)
{
    const std::size_t on = find_word(words, "ON");
    if (on >= words.size()) {
        return;
    }
    std::size_t at = on + 1;
    skip_options(words, at);
    const std::string table = relation_at(words, at);
    if (words[1].text == "POLICY") {
        effects.lock(context, table, LockMode::access_exclusive);
        if (!context.is_new(table)) {
            effects.find("MS-OPS-08", blocking("CREATE POLICY", table, LockMode::access_exclusive),
                         "SET lock_timeout = '2s';");
        }
    } else if (has_word(words, "TRIGGER")) {
        effects.lock(context, table, LockMode::share_row_exclusive);
    }
}

void plan_lock(const Words& words, Context& context, Effects& effects)
{
    std::size_t at = 1;
    if (at < words.size() && words[at].text == "TABLE") {
        ++at;
    }
    skip_options(words, at);
    const std::string table = relation_at(words, at);
    std::string mode_words;
    for (std::size_t i = find_word(words, "IN") + 1; i < words.size() && words[i].text != "MODE";
         ++i) {
        mode_words += words[i].text;
    }
    LockMode mode = LockMode::access_exclusive;
    for (LockMode candidate :
         {LockMode::access_share, LockMode::row_share, LockMode::row_exclusive,
          LockMode::share_update_exclusive, LockMode::share, LockMode::share_row_exclusive,
          LockMode::exclusive, LockMode::access_exclusive}) {
        std::string name(to_string(candidate));
        name = name.substr(0, name.size() - 4); // without "Lock"
        std::string upper;
        for (char c : name) {
            upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
        if (upper == mode_words) {
            mode = candidate;
        }
    }
    effects.lock(context, table, mode);
}

// COMMENT ON TABLE t / COLUMN t.c: ShareUpdateExclusiveLock on the table.
void plan_comment(const Words& words, Context& context, Effects& effects)
{
    if (words.size() < 4 || (words[2].text != "TABLE" && words[2].text != "COLUMN")) {
        return;
    }
    std::size_t at = 3;
    if (words[2].text == "COLUMN") {
        // schema.table.column or table.column: drop the column part
        std::size_t end = find_word(words, "IS", at);
        if (end >= at + 5) {
            effects.lock(context,
                         platform::qualified_name(words[at].identifier, words[at + 2].identifier),
                         LockMode::share_update_exclusive);
        } else if (end >= at + 3) {
            effects.lock(context, platform::qualified_name("public", words[at].identifier),
                         LockMode::share_update_exclusive);
        }
        return;
    }
    effects.lock(context, relation_at(words, at), LockMode::share_update_exclusive);
}

} // namespace

void plan_misc(const model::Statement& statement, Context& context, Effects& effects)
{
    const auto words = words_of(statement.sql);
    if (words.size() < 2) {
        return;
    }
    const std::string& first = words[0].text;
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
    if (first == "REINDEX") {
        effects.at_least(Phase::expand);
        plan_reindex(statement, words, context, effects);
    } else if (first == "CLUSTER") {
        effects.at_least(Phase::expand);
        plan_rewrite_maintenance(statement, words, 1, context, effects);
    } else if (first == "VACUUM" || first == "ANALYZE") {
        plan_vacuum(statement, words, context, effects);
    } else if (first == "REFRESH") {
        effects.at_least(Phase::backfill);
        plan_refresh(statement, words, context, effects);
    } else if (first == "ALTER" && (words[1].text == "DOMAIN" || words[1].text == "TYPE")) {
        effects.at_least(Phase::expand);
        plan_alter_type(statement, words, context, effects);
    } else if (first == "CREATE") {
        effects.at_least(Phase::expand);
        plan_create_other(words, context, effects);
    } else if (first == "COMMENT") {
        plan_comment(words, context, effects);
    } else if (first == "LOCK") {
        plan_lock(words, context, effects);
    } else if (first == "ALTER" && words[1].text == "SEQUENCE" && has_word(words, "OWNED")) {
        // OWNED BY table.column reads the table's definition under AccessShareLock.
        std::size_t at = find_word(words, "BY") + 1;
        std::vector<std::string> parts;
        for (; at < words.size(); ++at) {
            if (words[at].text != ".") {
                parts.push_back(words[at].identifier);
            }
        }
        if (parts.size() == 2 || parts.size() == 3) {
            effects.lock(context,
                         parts.size() == 3 ? platform::qualified_name(parts[0], parts[1])
                                           : platform::qualified_name("public", parts[0]),
                         LockMode::access_share);
        }
    } else if (first == "ALTER" && words[1].text == "POLICY") {
        // ALTER POLICY name ON table ...: AccessExclusiveLock on the table.
        std::size_t at = find_word(words, "ON") + 1;
        if (at < words.size()) {
            effects.lock(context, relation_at(words, at), LockMode::access_exclusive);
        }
    } else if (first == "ALTER" && words[1].text == "INDEX") {
        std::size_t at = 2;
        skip_options(words, at);
        effects.at_least(Phase::expand);
        effects.lock(context, relation_at(words, at), LockMode::share_update_exclusive);
    }
}

} // namespace migsafe::plan::detail
