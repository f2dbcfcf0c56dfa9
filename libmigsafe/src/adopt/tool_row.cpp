// Writing the tool's own row for a migration migsafe applied (SQL in the catalog layer).
#include "platform/catalog/runner_history_queries.hpp"

#include <migsafe/adopt/checksum.hpp>
#include <migsafe/adopt/tool_row.hpp>
#include <migsafe/platform/assert.hpp>

#include <algorithm>
#include <charconv>

namespace migsafe::adopt {
namespace {

namespace catalog = platform::catalog;

} // namespace

std::string flyway_description(std::string_view file_name)
{
    auto slash = file_name.find_last_of('/');
    if (slash != std::string_view::npos) {
        file_name.remove_prefix(slash + 1);
    }
    auto separator = file_name.find("__");
    std::string_view rest =
        separator == std::string_view::npos ? file_name : file_name.substr(separator + 2);
    if (rest.ends_with(".sql")) {
        rest.remove_suffix(4);
    }
    std::string description(rest);
    std::replace(description.begin(), description.end(), '_', ' ');
    return description;
}

void ensure_tool_history(platform::Session& session, const HistoryTable& table)
{
    switch (table.tool) {
    case Tool::prisma:
        catalog::create_prisma_history(session, table.schema, table.table);
        return;
    case Tool::flyway:
        catalog::create_flyway_history(session, table.schema, table.table);
        return;
    case Tool::golang_migrate:
        catalog::create_golang_migrate_history(session, table.schema, table.table);
        return;
    case Tool::dbmate:
        catalog::create_dbmate_history(session, table.schema, table.table);
        return;
    case Tool::rails:
        catalog::create_rails_history(session, table.schema, table.table);
        return;
    case Tool::diesel:
        catalog::create_diesel_history(session, table.schema, table.table);
        return;
    }
}

void write_tool_row(platform::Session& session, const HistoryTable& table,
                    const AppliedMigration& migration)
{
    switch (table.tool) {
    case Tool::prisma:
        catalog::insert_prisma_row(session, table.schema, table.table, migration.identity,
                                   migration.text, migration.started_at);
        return;
    case Tool::flyway:
        catalog::insert_flyway_row(session, table.schema, table.table,
                                   {.version = migration.identity,
                                    .description = flyway_description(migration.file_name),
                                    .script = migration.file_name,
                                    .checksum = flyway_checksum(migration.text),
                                    .execution_time_ms = migration.execution_time.count()});
        return;
    case Tool::golang_migrate: {
        std::int64_t version = 0;
        auto [end, error] =
            std::from_chars(migration.identity.data(),
                            migration.identity.data() + migration.identity.size(), version);
        MIGSAFE_ASSERT(error == std::errc() &&
                       end == migration.identity.data() + migration.identity.size());
        catalog::set_golang_migrate_version(session, table.schema, table.table, version);
        return;
    }
    case Tool::dbmate:
    case Tool::rails:
        catalog::insert_version_row(session, table.schema, table.table, migration.identity);
        return;
    case Tool::diesel:
        catalog::insert_diesel_row(session, table.schema, table.table, migration.identity);
        return;
    }
}

} // namespace migsafe::adopt
