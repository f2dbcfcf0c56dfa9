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
    return nlohmann::json{{"removed", removed}, {"kept", kept}}.dump(indent);
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
    if (options.dry_run == DryRun::yes) {
        return result;
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
