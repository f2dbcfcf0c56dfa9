// migsafe adopt: another runner's history into migsafe.history (see workflow/adopt.hpp).
#include "platform/client_identity.hpp"
#include "platform/enum_names.hpp"
#include "platform/logging.hpp"
#include "workflow/history_store.hpp"
#include "workflow/runner_lock.hpp"

#include <migsafe/adopt/history_table.hpp>
#include <migsafe/adopt/match.hpp>
#include <migsafe/adopt/runner_row.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/transaction.hpp>
#include <migsafe/version.hpp>
#include <migsafe/workflow/adopt.hpp>
#include <migsafe/workflow/status.hpp>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cstdlib>

namespace migsafe::workflow {
namespace {

std::string utc_now()
{
    auto now =
        std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
    return fmt::format("{:%Y-%m-%dT%H:%M:%S}Z", now);
}

std::string version_text(const model::Migration& m)
{
    return m.version.text();
}

/// The history's status of `m`, if it has an entry.
const HistoryEntry* entry_of(const std::vector<HistoryEntry>& history, const model::Migration& m)
{
    for (const auto& entry : history) {
        if (entry.version == m.version) {
            return &entry;
        }
    }
    return nullptr;
}

bool covers(const HistoryEntry* entry)
{
    return entry != nullptr &&
           (entry->status == HistoryStatus::applied || entry->status == HistoryStatus::adopted);
}

std::string provenance(const adopt::HistoryTable& table, const adopt::Adoption& adoption)
{
    nlohmann::json row = nlohmann::json::parse(adoption.row.row_json, nullptr, false);
    nlohmann::json doc{{"tool", std::string(adopt::to_string(table.tool))},
                       {"table", table.qualified()},
                       {"row", row.is_discarded() ? nlohmann::json(adoption.row.row_json) : row},
                       {"why", adoption.why}};
    return doc.dump();
}

HistoryEntry entry_for(const adopt::HistoryTable& table, const adopt::Adoption& adoption,
                       const std::string& host, const std::string& user, const std::string& run)
{
    const auto& m = *adoption.migration;
    HistoryEntry entry;
    entry.version = m.version;
    entry.name = m.name;
    entry.file = m.up.relative_path;
    entry.checksum = file_checksum(m.up.text);
    if (auto phase = m.up.directives.phase) {
        entry.phase = std::string(model::to_string(*phase));
    }
    entry.transactional = m.up.directives.transactional == model::Transactional::yes;
    entry.status = HistoryStatus::adopted;
    entry.statements_total = static_cast<int>(m.up.statements.size());
    entry.statements_applied = entry.statements_total;
    const auto& row = adoption.row;
    entry.started_at = !row.started_at.empty()   ? row.started_at
                       : !row.applied_at.empty() ? row.applied_at
                                                 : utc_now();
    entry.finished_at = row.applied_at;
    entry.applied_by = row.applied_by;
    entry.duration_ms = row.execution_time_ms;
    entry.client_host = host;
    entry.client_user = user;
    entry.migsafe_version = MIGSAFE_VERSION_STRING;
    entry.run_id = run;
    entry.provenance = provenance(table, adoption);
    return entry;
}

} // namespace

constexpr platform::EnumNames<AdoptState, 3> k_adopt_state_names{
    {{{AdoptState::imported, "imported"},
      {AdoptState::already_adopted, "already-adopted"},
      {AdoptState::refused, "refused"}}}};
static_assert(k_adopt_state_names.unique());

std::string_view to_string(AdoptState state) noexcept
{
    return k_adopt_state_names.name(state);
}

int AdoptReport::count(AdoptState state) const noexcept
{
    int n = 0;
    for (const auto& m : migrations) {
        n += m.state == state ? 1 : 0;
    }
    return n;
}

std::string AdoptReport::to_json(int indent) const
{
    nlohmann::json list = nlohmann::json::array();
    for (const auto& m : migrations) {
        nlohmann::json item{{"version", m.version},
                            {"name", m.name},
                            {"file", m.file},
                            {"tool_version", m.tool_version},
                            {"state", std::string(workflow::to_string(m.state))},
                            {"applied_at", m.applied_at},
                            {"applied_by", m.applied_by}};
        if (m.state == AdoptState::refused) {
            item["reason"] = m.reason;
            item["fix"] = m.fix;
        }
        list.push_back(std::move(item));
    }
    nlohmann::json doc{{"schema_version", k_schema_version},
                       {"tool", std::string(adopt::to_string(tool))},
                       {"table", table},
                       {"dry_run", dry_run},
                       {"written", written},
                       {"rows", rows},
                       {"counts",
                        {{"imported", count(AdoptState::imported)},
                         {"already_adopted", count(AdoptState::already_adopted)},
                         {"refused", count(AdoptState::refused)}}},
                       {"migrations", std::move(list)},
                       {"warnings", warnings}};
    return doc.dump(indent);
}

AdoptReport adopt(platform::Session& session, const model::MigrationSet& set,
                  const AdoptOptions& options)
{
    const adopt::LocateOptions where{.schema = options.schema, .table = options.table};
    auto table = adopt::locate_history(session, options.tool, where);
    if (!table) {
        throw Error(
            "adopt-history-not-found",
            fmt::format("no {} history here: looked for {}", adopt::to_string(options.tool),
                        fmt::join(adopt::history_places(session, options.tool, where), " and ")),
            {.object = std::string(adopt::default_history_table(options.tool))},
            "pass --schema and --table where the tool keeps its history, or pick the "
            "runner with --from");
    }
    if (!table->is_tools) {
        throw Error("adopt-history-foreign", table->mismatch, {.object = table->qualified()},
                    fmt::format("pass --from with the tool that owns {}, or --table with {}'s "
                                "history",
                                table->qualified(), adopt::to_string(options.tool)));
    }

    AdoptReport report{.tool = options.tool,
                       .table = table->qualified(),
                       .dry_run = options.mode == AdoptMode::dry_run};
    const auto rows = adopt::read_rows(session, *table);
    report.rows = static_cast<int>(rows.size());
    auto matched = adopt::match_rows(session, *table, set, rows,
                                     {.directory = options.directory, .check_checksums = true});
    report.warnings = matched.warnings;

    auto fill = [&](const std::vector<HistoryEntry>& history) {
        report.migrations.clear();
        std::vector<const adopt::Adoption*> to_import;
        for (const auto& a : matched.adoptions) {
            const auto& m = *a.migration;
            const bool already = covers(entry_of(history, m));
            report.migrations.push_back(
                {.version = version_text(m),
                 .name = m.name,
                 .file = m.up.relative_path,
                 .tool_version = adopt::tool_identity(options.tool, m),
                 .state = already ? AdoptState::already_adopted : AdoptState::imported,
                 .applied_at = a.row.applied_at,
                 .applied_by = a.row.applied_by});
            if (!already) {
                to_import.push_back(&a);
            }
        }
        for (const auto& r : matched.refusals) {
            report.migrations.push_back({.version = r.row.version,
                                         .name = r.row.name,
                                         .tool_version = r.row.version,
                                         .state = AdoptState::refused,
                                         .reason = r.reason,
                                         .fix = r.fix});
        }
        return to_import;
    };

    auto to_import = fill(read_history(session));
    if (report.refused() || report.dry_run || to_import.empty()) {
        return report;
    }

    // Under the runner lock: no migsafe apply writes the history meanwhile, and two adopts
    // never import the same rows twice (the history is read again under the lock).
    detail::RunnerLock lock(session, options.wait);
    to_import = fill(read_history(session));
    if (to_import.empty()) {
        return report;
    }
    const std::string host = platform::host_name();
    const std::string user = platform::os_user();
    const std::string run = fmt::format("adopt-{}-{}", adopt::to_string(options.tool), getpid());
    platform::Transaction transaction(session);
    detail::ensure_history(session);
    for (const auto* a : to_import) {
        detail::record(session, entry_for(*table, *a, host, user, run), true);
    }
    transaction.commit();
    report.written = true;
    migsafe::detail::log_info("adopted {} migrations from {}", to_import.size(),
                              table->qualified());
    return report;
}

} // namespace migsafe::workflow
