// Listing a store and finding snapshots in it.
#include "model/did_you_mean.hpp"
#include "platform/private_file.hpp"
#include "snapshot/layout.hpp"
#include "snapshot/physical/pgbackrest.hpp"

#include <migsafe/platform/error.hpp>
#include <migsafe/snapshot/store.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace migsafe::snapshot {

std::string resolve_id(const std::filesystem::path& store, const std::string& id_or_latest)
{
    auto ids = detail::snapshot_ids(store);
    if (id_or_latest == "latest") {
        if (ids.empty()) {
            throw Error("snapshot-not-found",
                        fmt::format("snapshot store {} has no complete snapshot", store.string()),
                        {.object = "latest"}, "take one with `migsafe snapshot create`");
        }
        return ids.back();
    }
    for (const auto& id : ids) {
        if (id == id_or_latest) {
            return id;
        }
    }
    std::vector<std::string_view> names(ids.begin(), ids.end());
    std::string hint = model::detail::did_you_mean(id_or_latest, names);
    hint += "run `migsafe snapshot list` to see the snapshots";
    throw Error("snapshot-not-found",
                fmt::format("snapshot {} is not in store {}", id_or_latest, store.string()),
                {.object = id_or_latest}, hint);
}

Manifest read_manifest(const std::filesystem::path& store, const std::string& id)
{
    auto dir = store / resolve_id(store, id);
    std::string first_error;
    for (auto name : {detail::k_manifest, detail::k_manifest_copy}) {
        try {
            return Manifest::from_json(platform::read_file(dir / name));
        } catch (const Error& e) {
            if (e.code() == "snapshot-schema-newer") {
                throw;
            }
            if (first_error.empty()) {
                first_error = fmt::format("{}: {}", name, e.message());
            }
        }
    }
    throw Error("snapshot-corrupt",
                fmt::format("snapshot {} has no intact manifest ({})", id, first_error),
                {.file = (dir / detail::k_manifest).string(), .object = id});
}

std::vector<SnapshotInfo> list(const std::filesystem::path& store)
{
    auto ids = detail::snapshot_ids(store);
    auto records = detail::read_records(store);
    auto now = detail::Clock::now();
    std::vector<SnapshotInfo> out;
    for (const auto& id : ids) {
        SnapshotInfo info{.id = id};
        try {
            auto manifest = read_manifest(store, id);
            info.created_at = manifest.created_at;
            info.size = manifest.total_size();
            info.stored_size = manifest.total_stored_size();
            info.database = manifest.source.database;
            info.system_identifier = manifest.source.system_identifier;
            info.engine = manifest.engine;
            if (manifest.physical) {
                info.label = manifest.physical->label;
                info.backup_type = manifest.physical->backup_type;
            }
            if (auto at = detail::parse_rfc3339(manifest.created_at)) {
                info.age = std::chrono::duration_cast<std::chrono::milliseconds>(now - *at);
            }
        } catch (const Error&) {
            info.readable = false;
        }
        info.verified_level = info.readable ? detail::verified_level(records, id) : 0;
        for (const auto& [drilled, line] : records.drills) {
            if (drilled == id) {
                auto j = nlohmann::json::parse(line);
                info.last_drill = DrillSummary{.at = j.value("at", ""),
                                               .passed = j.value("passed", false),
                                               .rto_ms = j.value("rto_ms", std::int64_t{0})};
            }
        }
        out.push_back(std::move(info));
    }
    return out;
}

std::vector<SnapshotInfo> list(const std::filesystem::path& store, const ListOptions& options)
{
    auto out = list(store);
    if (!options.pgbackrest) {
        return out;
    }
    std::set<std::string> known;
    for (const auto& info : out) {
        if (info.engine == "pgbackrest") {
            known.insert(info.label);
        }
    }
    auto stanza = detail::pgbackrest::info(*options.pgbackrest);
    auto now = detail::Clock::now();
    for (const auto& backup : stanza.backups) {
        if (known.contains(backup.label)) {
            continue;
        }
        auto at = detail::Clock::time_point(std::chrono::seconds(backup.time_start));
        out.push_back({.id = backup.label,
                       .created_at = detail::rfc3339(at),
                       .age = std::chrono::duration_cast<std::chrono::milliseconds>(now - at),
                       .size = backup.size,
                       .stored_size = backup.repo_size,
                       .system_identifier = backup.system_id,
                       .engine = "pgbackrest",
                       .label = backup.label,
                       .backup_type = backup.type,
                       .managed = false});
    }
    std::stable_sort(out.begin(), out.end(), [](const SnapshotInfo& a, const SnapshotInfo& b) {
        return a.created_at < b.created_at;
    });
    return out;
}

std::string list_to_json(const std::vector<SnapshotInfo>& snapshots, int indent)
{
    auto out = nlohmann::json::array();
    for (const auto& info : snapshots) {
        nlohmann::json drill = nullptr;
        if (info.last_drill) {
            drill = {{"at", info.last_drill->at},
                     {"passed", info.last_drill->passed},
                     {"rto_ms", info.last_drill->rto_ms}};
        }
        out.push_back({{"id", info.id},
                       {"created_at", info.created_at},
                       {"age_ms", info.age.count()},
                       {"size", info.size},
                       {"stored_size", info.stored_size},
                       {"database", info.database},
                       {"system_identifier", info.system_identifier},
                       {"verified_level", info.verified_level},
                       {"readable", info.readable},
                       {"engine", info.engine},
                       {"label", info.label},
                       {"backup_type", info.backup_type},
                       {"managed", info.managed},
                       {"last_drill", drill}});
    }
    return out.dump(indent);
}

} // namespace migsafe::snapshot
