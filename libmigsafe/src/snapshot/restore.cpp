// Restoring a snapshot: unpack every file into a scratch folder, checking each against the
// manifest on the way (one read), then pg_restore the directory archive in parallel.
#include "platform/catalog/snapshot_queries.hpp"
#include "platform/logging.hpp"
#include "platform/parallel.hpp"
#include "platform/pg_program_conninfo.hpp"
#include "platform/private_file.hpp"
#include "platform/zstd_file.hpp"
#include "snapshot/layout.hpp"
#include "snapshot/work_dir.hpp"

#include <migsafe/platform/conninfo.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/process.hpp>
#include <migsafe/snapshot/restore.hpp>
#include <migsafe/snapshot/store.hpp>

namespace migsafe::snapshot {
namespace {

namespace fs = std::filesystem;
using Steady = std::chrono::steady_clock;

std::chrono::milliseconds since(Steady::time_point start)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - start);
}

void unpack(const fs::path& dir, const Manifest& manifest, const fs::path& into, int jobs)
{
    platform::parallel_for(manifest.files.size(), jobs, [&](std::size_t i) {
        const auto& file = manifest.files[i];
        auto source = dir / file.stored_name;
        if (!fs::is_regular_file(source)) {
            throw Error("snapshot-corrupt",
                        fmt::format("snapshot {}: {} is missing", manifest.id, file.stored_name),
                        {.file = source.string(), .object = manifest.id});
        }
        auto read = platform::read_stored_file(source, into / file.name);
        const auto& got = read.digest;
        if (read.error || got.stored_hash != file.stored_hash ||
            got.content_hash != file.content_hash || got.size != file.size) {
            throw Error("snapshot-corrupt",
                        fmt::format("snapshot {}: {} hash {}, expected {}{}", manifest.id,
                                    file.stored_name, got.stored_hash.to_hex(),
                                    file.stored_hash.to_hex(),
                                    read.error ? " (" + *read.error + ")" : std::string()),
                        {.file = source.string(), .object = manifest.id});
        }
    });
}

} // namespace

RestoreResult restore(const fs::path& store, const std::string& id_or_latest,
                      const std::string& target, const RestoreOptions& options)
{
    if (options.jobs < 1) {
        throw Error("usage-invalid-option",
                    fmt::format("--jobs must be at least 1, got {}", options.jobs),
                    {.object = "--jobs"});
    }
    RestoreResult result{.id = resolve_id(store, id_or_latest)};
    auto manifest = read_manifest(store, result.id);
    auto binaries = options.binaries
                        ? *options.binaries
                        : platform::find_pg_binaries({.required = {"pg_dump", "pg_restore"}});
    {
        auto conn = platform::Session::connect(target, {.application_name = "migsafe restore"});
        auto objects = platform::catalog::count_user_objects(conn);
        if (objects > 0 && options.clean == Clean::no) {
            throw Error("restore-target-not-empty",
                        fmt::format("restore target {} is not empty ({} objects)",
                                    redact_conninfo(target), objects),
                        {.object = "--target"});
        }
    }
    auto started = Steady::now();
    detail::WorkDir work(options.work_dir, "restore");
    auto archive = work.path() / "archive";
    platform::make_private_dir(archive);
    unpack(store / result.id, manifest, archive, options.jobs);
    result.unpack = since(started);

    auto connection = platform::program_connection(target);
    std::vector<std::string> args = {"--exit-on-error", fmt::format("--jobs={}", options.jobs),
                                     "--dbname=" + connection.conninfo};
    if (options.clean == Clean::yes) {
        args.insert(args.begin(), {"--clean", "--if-exists"});
    }
    if (options.ownership == Ownership::skip) {
        args.insert(args.begin(), {"--no-owner", "--no-privileges"});
    }
    args.push_back(archive.string());
    migsafe::detail::log_info("restore {}: pg_restore {} jobs into {}", result.id, options.jobs,
                              redact_conninfo(target));
    auto restore_started = Steady::now();
    try {
        platform::run_process({.program = binaries.program("pg_restore").string(),
                               .args = args,
                               .env = connection.env,
                               .timeout = options.timeout});
    } catch (const Error& e) {
        if (e.code() == "binary-not-found") {
            throw;
        }
        throw Error("restore-failed",
                    fmt::format("restore of snapshot {} into {} failed: {}", result.id,
                                redact_conninfo(target), e.message()),
                    {.object = result.id});
    }
    result.restore = since(restore_started);
    return result;
}

} // namespace migsafe::snapshot
