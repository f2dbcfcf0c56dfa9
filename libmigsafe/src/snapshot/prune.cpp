// Retention. A snapshot leaves the listing atomically (renamed to `.trash-<id>`) before
// its files are deleted, so an interrupted prune never leaves a half-deleted snapshot listed.
#include "platform/logging.hpp"
#include "platform/private_file.hpp"
#include "snapshot/layout.hpp"

#include <migsafe/platform/error.hpp>
#include <migsafe/snapshot/prune.hpp>
#include <migsafe/snapshot/store.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace migsafe::snapshot {

std::string PruneResult::to_json(int indent) const
{
    return nlohmann::json{{"removed", removed}, {"kept", kept}, {"abandoned", abandoned}}.dump(
        indent);
}

PruneResult prune(const std::filesystem::path& store, const PruneOptions& options)
{
    if (options.keep < 0) {
        throw Error("usage-invalid-option",
                    fmt::format("--keep must be 0 or more, got {}", options.keep),
                    {.object = "--keep"});
    }
    auto snapshots = list(store); // oldest first
    // The one snapshot that always stays: the newest verified, else the newest.
    std::string protected_id = snapshots.empty() ? "" : snapshots.back().id;
    for (const auto& info : snapshots) {
        if (info.verified_level >= 1) {
            protected_id = info.id;
        }
    }
    PruneResult result;
    auto count = static_cast<int>(snapshots.size());
    for (int i = 0; i < count; ++i) {
        const auto& info = snapshots[static_cast<std::size_t>(i)];
        bool too_many = options.keep > 0 && count - i > options.keep;
        bool too_old = options.max_age.count() > 0 && info.age > options.max_age;
        if ((too_many || too_old) && info.id != protected_id) {
            result.removed.push_back(info.id);
        } else {
            result.kept.push_back(info.id);
        }
    }
    for (const auto& entry : std::filesystem::directory_iterator(store)) {
        const std::string name = entry.path().filename().string();
        const bool unfinished = name.rfind(detail::k_temp_prefix, 0) == 0;
        const bool trash = name.rfind(detail::k_trash_prefix, 0) == 0;
        if (entry.is_directory() &&
            (trash || (unfinished && detail::abandoned(entry.path(), std::chrono::hours(24))))) {
            result.abandoned.push_back(name);
        }
    }
    std::sort(result.abandoned.begin(), result.abandoned.end());
    if (options.dry_run == DryRun::yes) {
        return result;
    }
    for (const auto& name : result.abandoned) {
        std::error_code ec;
        std::filesystem::remove_all(store / name, ec);
        if (ec) {
            throw Error(
                "io-write-failed",
                fmt::format("cannot remove the left-over folder {}: {}", name, ec.message()),
                {.file = (store / name).string()});
        }
        migsafe::detail::log_info("prune: removed the left-over folder {}", name);
    }
    for (const auto& id : result.removed) {
        auto trash = store / (std::string(detail::k_trash_prefix) + id);
        std::error_code ec;
        std::filesystem::rename(store / id, trash, ec);
        if (!ec) {
            std::filesystem::remove_all(trash, ec);
        }
        if (ec) {
            throw Error("io-write-failed",
                        fmt::format("cannot remove snapshot {}: {}", id, ec.message()),
                        {.file = (store / id).string(), .object = id});
        }
        migsafe::detail::log_info("prune: removed snapshot {}", id);
    }
    platform::sync_dir(store);
    return result;
}

} // namespace migsafe::snapshot
