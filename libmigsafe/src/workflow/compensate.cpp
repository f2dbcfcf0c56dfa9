// workflow::compensate: the history and the catalog read, then the pure engine.
#include "model/version_format.hpp"
#include "platform/catalog/object_queries.hpp"

#include <migsafe/platform/error.hpp>
#include <migsafe/platform/session.hpp>
#include <migsafe/workflow/adopt.hpp>
#include <migsafe/workflow/compensate.hpp>
#include <migsafe/workflow/history.hpp>
#include <migsafe/workflow/status.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace migsafe::workflow {
namespace {

/// `0007_x.sql`, or the bare version when there is no file.
std::string label(const model::Version& version, const model::Migration* migration)
{
    return migration != nullptr ? migration->up.relative_path : fmt::format("version {}", version);
}

/// The applied versions, for the hint of an unknown one.
std::string applied_list(const std::vector<HistoryEntry>& history)
{
    std::string out;
    int shown = 0;
    for (auto it = history.rbegin(); it != history.rend() && shown < 5; ++it) {
        if (it->is_applied()) {
            out += fmt::format("{}{}", out.empty() ? "" : ", ", it->version);
            ++shown;
        }
    }
    return out.empty() ? std::string("none") : out;
}

/// The runner that applied an adopted migration (from its provenance), else empty.
std::string adopted_from(const HistoryEntry& entry)
{
    if (entry.status != HistoryStatus::adopted) {
        return {};
    }
    const auto provenance = nlohmann::json::parse(entry.provenance, nullptr, false);
    if (provenance.is_object() && provenance.contains("tool") && provenance["tool"].is_string()) {
        return provenance["tool"].get<std::string>();
    }
    return "another runner";
}

} // namespace

compensate::Report compensate(const std::string& conninfo, const model::MigrationSet& set,
                              const model::Version& version, const compensate::Options& options)
{
    auto session = platform::Session::connect(conninfo, {.application_name = "migsafe compensate"});
    return compensate(session, set, version, options);
}

compensate::Report compensate(platform::Session& session, const model::MigrationSet& set,
                              const model::Version& version, const compensate::Options& options)
{
    const auto history = read_history(session);
    const auto found =
        std::find_if(history.begin(), history.end(),
                     [version](const HistoryEntry& e) { return e.version == version; });
    const HistoryEntry* entry = found == history.end() ? nullptr : &*found;
    const model::Migration* migration = set.find(version);
    if (migration == nullptr) {
        throw Error(
            "compensate-unknown-version",
            entry != nullptr
                ? fmt::format("version {} ({}) is in migsafe.history but its file is not in {}",
                              version, entry->file, set.directory.string())
                : fmt::format("version {} is neither in {} nor in migsafe.history", version,
                              set.directory.string()),
            {.object = version.text()},
            fmt::format("pass the version of an applied migration (the newest applied: {}) and "
                        "the --dir that holds its file",
                        applied_list(history)));
    }
    if (entry == nullptr) {
        // Another runner may have applied it: say how to adopt instead of "not applied".
        for (const auto& uncovered :
             uncovered_histories(session, set, history, set.directory.string())) {
            throw Error("compensate-not-applied",
                        fmt::format("{} is not in migsafe.history: {}", label(version, migration),
                                    uncovered.message),
                        {.file = migration->up.relative_path, .object = version.text()},
                        "adopt the other runner's history first (docs/adopt.md), then compensate");
        }
    }
    if (entry == nullptr || !entry->is_applied()) {
        throw Error("compensate-not-applied",
                    fmt::format("{} is not applied to this database ({})",
                                label(version, migration),
                                entry == nullptr
                                    ? std::string("not in migsafe.history")
                                    : "its history says " + std::string(to_string(entry->status))),
                    {.file = migration->up.relative_path, .object = version.text()});
    }
    const auto checksum = file_checksum(migration->up.text);
    if (checksum != entry->checksum) {
        throw Error("compensate-drifted",
                    fmt::format("{} changed after it was applied (applied {}, now {}): its "
                                "statements are not the ones that ran",
                                migration->up.relative_path, entry->checksum, checksum),
                    {.file = migration->up.relative_path, .object = version.text()});
    }
    compensate::AppliedMigration applied{.version = version,
                                         .file = entry->file,
                                         .finished_at = entry->finished_at,
                                         .snapshot_id = entry->snapshot_id,
                                         .objects_before = entry->objects_before,
                                         .adopted_from = adopted_from(*entry)};
    const auto now = platform::catalog::describe_objects(
        session, compensate::relations_after(*migration, applied.objects_before));
    return compensate::plan(*migration, applied, now, options);
}

} // namespace migsafe::workflow
