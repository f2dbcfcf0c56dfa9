// The guard of status/check/plan/apply/compensate: another runner's history that
// migsafe.history does not cover (see workflow/adopt.hpp).
#include <migsafe/adopt/history_table.hpp>
#include <migsafe/adopt/match.hpp>
#include <migsafe/adopt/runner_row.hpp>
#include <migsafe/workflow/adopt.hpp>

#include <fmt/format.h>

namespace migsafe::workflow {
namespace {

bool in_history(const std::vector<HistoryEntry>& history, const model::Migration& m)
{
    for (const auto& entry : history) {
        if (entry.version == m.version &&
            (entry.status == HistoryStatus::applied || entry.status == HistoryStatus::adopted)) {
            return true;
        }
    }
    return false;
}

} // namespace

std::vector<UncoveredHistory> uncovered_histories(platform::Session& session,
                                                  const model::MigrationSet& set,
                                                  const std::vector<HistoryEntry>& history,
                                                  std::string_view directory,
                                                  const std::optional<ConfiguredRunner>& configured)
{
    std::vector<UncoveredHistory> out;
    const std::string dir = directory.empty() ? std::string("migrations") : std::string(directory);
    for (auto tool : adopt::all_tools()) {
        adopt::LocateOptions where;
        if (configured && configured->tool == tool) {
            where = {.schema = configured->schema, .table = configured->table};
        }
        auto table = adopt::locate_history(session, tool, where);
        if (!table || !table->is_tools) {
            continue;
        }
        const auto rows = adopt::read_rows(session, *table);
        const auto matched = adopt::match_rows(session, *table, set, rows,
                                               {.directory = dir, .check_checksums = false});
        UncoveredHistory found{.tool = tool, .table = table->qualified()};
        found.rows = static_cast<int>(matched.adoptions.size() + matched.refusals.size());
        for (const auto& a : matched.adoptions) {
            if (!in_history(history, *a.migration)) {
                if (found.uncovered++ == 0) {
                    found.example = adopt::tool_identity(tool, *a.migration);
                }
            }
        }
        for (const auto& r : matched.refusals) {
            if (found.uncovered++ == 0) {
                found.example = r.row.version;
            }
        }
        if (found.uncovered == 0) {
            continue;
        }
        std::string where_options;
        if (!where.schema.empty()) {
            where_options += " --schema " + where.schema;
        }
        if (!where.table.empty()) {
            where_options += " --table " + where.table;
        }
        found.command = fmt::format("migsafe adopt --from {} --dir {}{}", adopt::to_string(tool),
                                    dir, where_options);
        found.message = fmt::format(
            "{} records {} migration{} applied by {} that migsafe.history does not know "
            "(first: {}); migsafe would run them again: run `{}` first",
            found.table, found.uncovered, found.uncovered == 1 ? "" : "s", adopt::to_string(tool),
            found.example, found.command);
        out.push_back(std::move(found));
    }
    return out;
}

} // namespace migsafe::workflow
