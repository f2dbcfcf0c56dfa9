// CREATE INDEX: ShareLock and a scan, or ShareUpdateExclusiveLock with CONCURRENTLY.
#include "model/scan.hpp"
#include "plan/effects.hpp"

#include <migsafe/model/catalog_facts.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace migsafe::plan::detail {
namespace {

constexpr std::string_view k_alone = "\n-- alone in a migration marked -- migsafe:no-transaction";

void remember(const model::CreateIndex& index, const std::string& table, Context& context)
{
    if (!index.name.empty()) {
        const std::string name = platform::qualified_name(index.table.schema, index.name);
        context.release.created.emplace(name, context.file.file);
        context.release.index_table[name] = table;
        context.release.index_columns[name] = index.columns;
    }
    if (!index.columns.empty() && !index.partial) {
        context.release.index_leading[table].push_back(index.columns.front());
    }
}

void plan_concurrently(const model::Statement& statement, const model::CreateIndex& index,
                       const std::string& table, Context& context, Effects& effects)
{
    effects.lock(context, table, LockMode::share_update_exclusive);
    effects.scan(context, table);
    if (context.in_transaction()) {
        effects.find("MS-IDX-04",
                     fmt::format("CREATE INDEX CONCURRENTLY on {} cannot run inside a "
                                 "transaction block: the migration will fail",
                                 table),
                     std::string(statement.sql) + ";" + std::string(k_alone));
    }
    if (context.release.partitioned.contains(table)) {
        effects.find("MS-IDX-07",
                     fmt::format("CREATE INDEX CONCURRENTLY is refused on the partitioned "
                                 "table {}",
                                 table),
                     fmt::format("CREATE INDEX {} ON ONLY {} (...);\n-- then CREATE INDEX "
                                 "CONCURRENTLY on each partition and ALTER INDEX ... ATTACH "
                                 "PARTITION",
                                 index.name, table));
    }
    if (index.name.empty() || index.if_not_exists) {
        effects.find("MS-IDX-05",
                     fmt::format("CREATE INDEX CONCURRENTLY on {} {}: a failed build leaves an "
                                 "INVALID index that a retry does not notice",
                                 table, index.name.empty() ? "without a name" : "IF NOT EXISTS"),
                     "name the index, drop IF NOT EXISTS, and after a failure check "
                     "pg_index.indisvalid and DROP INDEX CONCURRENTLY the invalid index");
    }
    const auto& timeout = context.file.lock_timeout_ms;
    if (timeout && *timeout <= context.options().short_lock_timeout_ms) {
        effects.find("MS-IDX-06",
                     fmt::format("CREATE INDEX CONCURRENTLY on {} runs with lock_timeout {}ms: "
                                 "it waits for every older transaction and may be cancelled, "
                                 "leaving an INVALID index",
                                 table, *timeout),
                     "SET lock_timeout = '0';  -- or a generous value, for this migration only");
    }
}

} // namespace

void plan_create_index(const model::Statement& statement, Context& context, Effects& effects)
{
    const auto& index = statement.as<model::CreateIndex>();
    const std::string table = index.table.qualified();
    const bool is_new = context.is_new(table);
    effects.at_least(Phase::expand);
    const model::TableFacts* facts = context.existing(table);
    if (index.if_not_exists && !index.name.empty() && facts != nullptr &&
        std::any_of(facts->indexes.begin(), facts->indexes.end(), [&](const auto& known) {
            return known.name == platform::qualified_name(index.table.schema, index.name);
        })) {
        // IF NOT EXISTS and the live catalog has it: the lock is taken, nothing is built.
        effects.lock(context, table,
                     index.concurrently ? LockMode::share_update_exclusive : LockMode::share);
        return;
    }
    if (index.concurrently) {
        plan_concurrently(statement, index, table, context, effects);
    } else {
        effects.lock(context, table, LockMode::share);
        const bool only = index.only;
        const bool partitioned =
            context.release.partitioned.contains(table) || (facts != nullptr && facts->kind == 'p');
        // ON ONLY a partitioned table: an invalid index, nothing built, a brief ShareLock.
        const bool builds = !(only && partitioned);
        if (builds) {
            effects.scan(context, table);
        }
        if (partitioned && builds && !is_new) {
            effects.find("MS-IDX-07",
                         blocking("CREATE INDEX on the partitioned table", table, LockMode::share) +
                             " on the parent and every partition while each is indexed",
                         fmt::format("CREATE INDEX {} ON ONLY {} (...);\n-- then CREATE INDEX "
                                     "CONCURRENTLY on each partition and ALTER INDEX {} ATTACH "
                                     "PARTITION <partition_index>",
                                     index.name, table, index.name));
        } else if (builds && !is_new) {
            effects.find(
                "MS-IDX-01",
                blocking("CREATE INDEX", table, LockMode::share) +
                    " while the table is scanned and sorted",
                model::detail::insert_after_keyword(statement.sql, "INDEX", " CONCURRENTLY") + ";" +
                    std::string(k_alone));
        }
    }
    if (index.unique && !is_new) {
        effects.find("MS-IDX-08",
                     fmt::format("CREATE UNIQUE INDEX on {} fails if existing rows have "
                                 "duplicates",
                                 table),
                     fmt::format("-- check first:\nSELECT {0}, count(*) FROM {1} GROUP BY {0} "
                                 "HAVING count(*) > 1;",
                                 fmt::join(index.columns, ", "), table));
    }
    remember(index, table, context);
}

} // namespace migsafe::plan::detail
