// migsafe status: the set against the history.
#include "model/version_format.hpp"
#include "platform/enum_names.hpp"

#include <migsafe/platform/hash.hpp>
#include <migsafe/platform/session.hpp>
#include <migsafe/workflow/status.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace migsafe::workflow {
namespace {

std::string statement_checksum(const model::Statement& statement)
{
    return xxh3_128(statement.sql).to_hex();
}

/// The first statement among the first `count` whose checksum differs from `recorded`, or
/// -1 when they all match.
int first_edited_statement(const model::MigrationFile& file,
                           const std::vector<std::string>& recorded, int count)
{
    for (int i = 0; i < count; ++i) {
        if (static_cast<std::size_t>(i) >= file.statements.size() ||
            static_cast<std::size_t>(i) >= recorded.size() ||
            statement_checksum(file.statements[static_cast<std::size_t>(i)]) !=
                recorded[static_cast<std::size_t>(i)]) {
            return i;
        }
    }
    return -1;
}

MigrationStatus from_file(const model::Migration& migration)
{
    MigrationStatus out;
    out.version = migration.version;
    out.name = migration.name;
    out.file = migration.up.relative_path;
    out.checksum = file_checksum(migration.up.text);
    if (migration.up.directives.phase) {
        out.phase = std::string(model::to_string(*migration.up.directives.phase));
    }
    out.statements_total = static_cast<int>(migration.up.statements.size());
    return out;
}

void apply_history(MigrationStatus& status, const model::Migration& migration,
                   const HistoryEntry& entry)
{
    status.applied_checksum = entry.checksum;
    status.statements_applied = entry.statements_applied;
    if (status.phase.empty()) {
        status.phase = entry.phase;
    }
    switch (entry.status) {
    case HistoryStatus::applied:
    case HistoryStatus::adopted:
        status.applied_at = entry.finished_at;
        if (entry.checksum != status.checksum && migration.version.is_repeatable()) {
            // A repeatable migration runs again whenever its file changes (as in Flyway).
            status.state = MigrationState::pending;
            status.detail = fmt::format("{} changed since it last ran: it runs again", status.file);
        } else if (entry.checksum != status.checksum) {
            status.state = MigrationState::drifted;
            status.detail = fmt::format("{} changed after it was applied (applied {}, now {})",
                                        status.file, entry.checksum, status.checksum);
        } else {
            status.state = MigrationState::applied;
            if (entry.status == HistoryStatus::adopted) {
                status.detail = "applied by another runner, adopted";
            }
        }
        break;
    case HistoryStatus::failed:
        status.state = MigrationState::pending;
        status.failed_before = true;
        status.detail = fmt::format("failed at {}: {}", entry.started_at, entry.error);
        break;
    case HistoryStatus::partial: {
        int edited = first_edited_statement(migration.up, entry.statement_checksums,
                                            entry.statements_applied);
        if (edited >= 0) {
            status.state = MigrationState::drifted;
            const auto& statements = migration.up.statements;
            status.detail = fmt::format(
                "statement {} of {} ran already but was edited since{}", edited + 1, status.file,
                static_cast<std::size_t>(edited) < statements.size()
                    ? fmt::format(" (line {})", statements[static_cast<std::size_t>(edited)].line)
                    : std::string(" (it is gone)"));
        } else {
            status.state = MigrationState::partial;
            status.detail = fmt::format("{} of {} statements applied; {}", entry.statements_applied,
                                        status.statements_total,
                                        entry.error.empty() ? "interrupted" : entry.error);
        }
        break;
    }
    }
}

nlohmann::json uncovered_json(const std::vector<UncoveredHistory>& uncovered)
{
    nlohmann::json out = nlohmann::json::array();
    for (const auto& u : uncovered) {
        out.push_back({{"tool", adopt::to_string(u.tool)},
                       {"table", u.table},
                       {"rows", u.rows},
                       {"uncovered", u.uncovered},
                       {"example", u.example},
                       {"command", u.command},
                       {"message", u.message}});
    }
    return out;
}

} // namespace

constexpr platform::EnumNames<MigrationState, 6> k_migration_state_names{
    {{{MigrationState::applied, "applied"},
      {MigrationState::pending, "pending"},
      {MigrationState::partial, "partial"},
      {MigrationState::drifted, "drifted"},
      {MigrationState::missing_file, "missing-file"},
      {MigrationState::out_of_order, "out-of-order"}}}};
static_assert(k_migration_state_names.unique());

std::string_view to_string(MigrationState state) noexcept
{
    return k_migration_state_names.name(state);
}

std::string file_checksum(std::string_view text)
{
    return xxh3_128(text).to_hex();
}

const MigrationStatus* StatusReport::find(const model::Version& version) const noexcept
{
    auto found = std::lower_bound(migrations.begin(), migrations.end(), version,
                                  [](const MigrationStatus& line, const model::Version& wanted) {
                                      return line.version < wanted;
                                  });
    return found != migrations.end() && found->version == version ? &*found : nullptr;
}

int StatusReport::count(MigrationState state) const noexcept
{
    return static_cast<int>(std::count_if(migrations.begin(), migrations.end(),
                                          [state](const auto& m) { return m.state == state; }));
}

bool StatusReport::needs_attention() const noexcept
{
    return count(MigrationState::drifted) + count(MigrationState::missing_file) +
                   count(MigrationState::partial) + count(MigrationState::out_of_order) >
               0 ||
           !uncovered.empty();
}

std::string StatusReport::to_json(int indent) const
{
    nlohmann::json counts = nlohmann::json::object();
    for (auto state :
         {MigrationState::applied, MigrationState::pending, MigrationState::partial,
          MigrationState::drifted, MigrationState::missing_file, MigrationState::out_of_order}) {
        counts[std::string(to_string(state))] = count(state);
    }
    nlohmann::json list = nlohmann::json::array();
    for (const auto& m : migrations) {
        list.push_back({{"version", m.version},
                        {"name", m.name},
                        {"file", m.file},
                        {"state", to_string(m.state)},
                        {"phase", m.phase},
                        {"checksum", m.checksum},
                        {"applied_checksum", m.applied_checksum},
                        {"applied_at", m.applied_at},
                        {"statements_applied", m.statements_applied},
                        {"statements_total", m.statements_total},
                        {"failed_before", m.failed_before},
                        {"detail", m.detail}});
    }
    nlohmann::json out = {{"schema_version", k_schema_version},
                          {"current", current ? nlohmann::json(*current) : nlohmann::json()},
                          {"needs_attention", needs_attention()},
                          {"counts", counts},
                          {"migrations", list},
                          {"uncovered_histories", uncovered_json(uncovered)}};
    return out.dump(indent);
}

StatusReport compare_with_history(const model::MigrationSet& set,
                                  const std::vector<HistoryEntry>& history)
{
    std::map<model::Version, const HistoryEntry*> recorded;
    for (const auto& entry : history) {
        recorded[entry.version] = &entry;
    }
    StatusReport report;
    for (const auto& entry : history) {
        if ((entry.is_applied() || entry.status == HistoryStatus::partial) &&
            !entry.version.is_repeatable()) {
            report.current = std::max(report.current.value_or(0), entry.version);
        }
    }
    for (const auto& migration : set.migrations) {
        MigrationStatus status = from_file(migration);
        if (auto found = recorded.find(migration.version); found != recorded.end()) {
            apply_history(status, migration, *found->second);
            recorded.erase(found);
        }
        if (status.state == MigrationState::pending && report.current &&
            !migration.version.is_repeatable() && migration.version < *report.current) {
            status.state = MigrationState::out_of_order;
            status.detail = fmt::format("{} is older than the newest applied migration ({}); "
                                        "apply it with --out-of-order if that is intended",
                                        status.file, *report.current);
        }
        report.migrations.push_back(std::move(status));
    }
    for (const auto& [version, entry] : recorded) {
        if (entry->status == HistoryStatus::failed) {
            continue; // a failed attempt of a file since removed left nothing behind
        }
        MigrationStatus status;
        status.version = version;
        status.name = entry->name;
        status.file = entry->file;
        status.state = MigrationState::missing_file;
        status.phase = entry->phase;
        status.applied_checksum = entry->checksum;
        status.applied_at = entry->finished_at;
        status.statements_applied = entry->statements_applied;
        status.statements_total = entry->statements_total;
        status.detail =
            fmt::format("version {} ({}) is {} in the database but has no file in {}", version,
                        entry->file, to_string(entry->status), set.directory.string());
        report.migrations.push_back(std::move(status));
    }
    std::sort(report.migrations.begin(), report.migrations.end(),
              [](const auto& a, const auto& b) { return a.version < b.version; });
    return report;
}

model::MigrationSet still_to_run(const model::MigrationSet& set, const StatusReport& status)
{
    model::MigrationSet out{.directory = set.directory, .migrations = {}};
    for (const auto& migration : set.migrations) {
        const auto* line = status.find(migration.version);
        if (line != nullptr && line->state != MigrationState::applied &&
            line->state != MigrationState::drifted) {
            out.migrations.push_back(migration);
        }
    }
    return out;
}

StatusReport status(const std::string& conninfo, const model::MigrationSet& set,
                    const std::optional<ConfiguredRunner>& configured)
{
    auto session = platform::Session::connect(conninfo, {.application_name = "migsafe status"});
    const auto history = read_history(session);
    auto report = compare_with_history(set, history);
    report.uncovered =
        uncovered_histories(session, set, history, set.directory.string(), configured);
    return report;
}

} // namespace migsafe::workflow
