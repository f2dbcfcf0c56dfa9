// Living beside another runner (`--keep-history TOOL`): its history table found or created
// where the tool keeps it, and its row written with migsafe's, in the same transaction.
#include "platform/catalog/runner_history_queries.hpp"
#include "workflow/apply_internal.hpp"
#include "workflow/history_store.hpp"

#include <migsafe/adopt/match.hpp>
#include <migsafe/adopt/tool_row.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/transaction.hpp>

#include <fmt/format.h>

namespace migsafe::workflow::detail {

adopt::HistoryTable tool_history_place(platform::Session& session, const ConfiguredRunner& runner)
{
    const adopt::LocateOptions where{.schema = runner.schema, .table = runner.table};
    if (auto found = adopt::locate_history(session, runner.tool, where)) {
        if (!found->is_tools) {
            throw Error("adopt-history-foreign",
                        fmt::format("--keep-history {}: {}", adopt::to_string(runner.tool),
                                    found->mismatch),
                        {.object = found->qualified()},
                        "point the [migrations] runner settings at the tool's own table, or "
                        "rename the table that is in its place");
        }
        return *found;
    }
    // Not there yet: where the tool would create it, so that the tool finds it.
    adopt::HistoryTable table{.tool = runner.tool,
                              .schema = runner.schema,
                              .table = runner.table.empty()
                                           ? std::string(adopt::default_history_table(runner.tool))
                                           : runner.table,
                              .columns = {},
                              .is_tools = true,
                              .mismatch = {}};
    if (table.schema.empty()) {
        table.schema = platform::catalog::current_schema_name(session);
    }
    if (table.schema.empty()) {
        table.schema = "public";
    }
    return table;
}

void record_applied(const Run& run, const Pending& pending, const HistoryEntry& entry)
{
    record(run.session, entry, true);
    if (run.tool_table == nullptr) {
        return;
    }
    const model::Migration& migration = *pending.migration;
    adopt::write_tool_row(run.session, *run.tool_table,
                          {.identity = adopt::tool_identity(run.tool_table->tool, migration),
                           .file_name = migration.up.relative_path,
                           .text = migration.up.text,
                           .started_at = entry.started_at,
                           .execution_time = std::chrono::milliseconds(entry.duration_ms)});
}

} // namespace migsafe::workflow::detail
