// Restoring a snapshot: check every file against the manifest (unless the caller restores
// into a scratch database), then pg_restore a directory archive whose data files are named
// pipes fed from the stored files while pg_restore reads them, in sections (pre-data, data,
// post-data) so that the caller can read each table as soon as its data is in.
#include "platform/catalog/snapshot_queries.hpp"
#include "platform/elapsed.hpp"
#include "platform/logging.hpp"
#include "platform/parallel.hpp"
#include "platform/private_file.hpp"
#include "platform/zstd_file.hpp"
#include "snapshot/archive_feed.hpp"
#include "snapshot/archive_list.hpp"
#include "snapshot/layout.hpp"
#include "snapshot/work_dir.hpp"

#include <migsafe/platform/conninfo.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/process.hpp>
#include <migsafe/snapshot/restore.hpp>
#include <migsafe/snapshot/store.hpp>

#include <fmt/ranges.h>

#include <map>

namespace migsafe::snapshot {
namespace {

namespace fs = std::filesystem;
using Steady = std::chrono::steady_clock;

std::chrono::milliseconds since(Steady::time_point start)
{
    return std::chrono::milliseconds(platform::ms_since(start));
}

/// Reads every stored file and compares it with the manifest; writes nothing.
void check_files(const fs::path& dir, const Manifest& manifest, int jobs)
{
    platform::parallel_for(manifest.files.size(), jobs, [&](std::size_t i) {
        const auto& file = manifest.files[i];
        auto source = dir / file.stored_name;
        if (!fs::is_regular_file(source)) {
            throw Error("snapshot-corrupt",
                        fmt::format("snapshot {}: {} is missing", manifest.id, file.stored_name),
                        {.file = source.string(), .object = manifest.id});
        }
        auto read = platform::read_stored_file(source, [](std::string_view) {});
        if (auto why = detail::stored_file_mismatch(file, read)) {
            throw Error("snapshot-corrupt",
                        fmt::format("snapshot {}: {} {}", manifest.id, file.stored_name, *why),
                        {.file = source.string(), .object = manifest.id});
        }
    });
}

/// One pg_restore run over the archive folder.
class PgRestore {
public:
    PgRestore(const platform::PgBinaries& binaries, const platform::ConnInfo& target,
              const RestoreOptions& options, fs::path archive, std::string id)
        : m_program(binaries.program("pg_restore").string())
        , m_connection(target.for_program())
        , m_target(target.masked())
        , m_options(options)
        , m_archive(std::move(archive))
        , m_id(std::move(id))
    {
    }

    /// The archive's table of contents (`pg_restore -l`: reads toc.dat only).
    std::string listing() const
    {
        return platform::run_process({.program = m_program, .args = {"-l", m_archive.string()}})
            .out;
    }

    /// Runs pg_restore on `section` ("" for all); `jobs` parallel jobs.
    void run(std::string_view section, int jobs) const
    {
        std::vector<std::string> args = {"--exit-on-error", fmt::format("--jobs={}", jobs),
                                         "--dbname=" + m_connection.conninfo};
        if (!section.empty()) {
            args.push_back(fmt::format("--section={}", section));
        }
        if (m_options.clean == Clean::yes) {
            args.insert(args.begin(), {"--clean", "--if-exists"});
        }
        if (m_options.ownership == Ownership::skip) {
            args.insert(args.begin(), {"--no-owner", "--no-privileges"});
        }
        args.push_back(m_archive.string());
        try {
            platform::run_process({.program = m_program,
                                   .args = args,
                                   .env = m_connection.env,
                                   .timeout = m_options.timeout});
        } catch (const Error& e) {
            if (e.code() == "binary-not-found") {
                throw;
            }
            throw Error("restore-failed",
                        fmt::format("restore of snapshot {} into {} failed{}: {}", m_id, m_target,
                                    section.empty() ? "" : fmt::format(" ({})", section),
                                    e.message()),
                        {.object = m_id});
        }
    }

private:
    std::string m_program;
    platform::ConnInfo::ForProgram m_connection;
    std::string m_target;
    const RestoreOptions& m_options;
    fs::path m_archive;
    std::string m_id;
};

/// Runs the step that reads the data with `feed` feeding it; a corrupt file is the error
/// reported, before pg_restore's own failure (which the corrupt bytes usually caused).
void run_fed(detail::ArchiveFeed& feed, const std::function<void()>& step, const std::string& id)
{
    try {
        step();
    } catch (const Error&) {
        feed.finish(); // throws snapshot-corrupt if a file was
        throw;
    }
    auto unread = feed.finish();
    if (!unread.empty()) {
        migsafe::detail::log_warn("restore {}: pg_restore did not read {} of the snapshot's files "
                                  "({}); they were checked, not restored",
                                  id, unread.size(), fmt::join(unread, ", "));
    }
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
    const auto conninfo = platform::ConnInfo::parse(target); // once for the session and pg_restore
    {
        auto conn = platform::Session::connect(conninfo, {.application_name = "migsafe restore"});
        auto objects = platform::catalog::count_user_objects(conn);
        if (objects > 0 && options.clean == Clean::no) {
            throw Error("restore-target-not-empty",
                        fmt::format("restore target {} is not empty ({} objects)",
                                    conninfo.masked(), objects),
                        {.object = "--target"});
        }
    }
    auto started = Steady::now();
    if (options.check_first) {
        check_files(store / result.id, manifest, options.jobs);
    }
    result.unpack = since(started);

    detail::WorkDir work(options.work_dir, "restore");
    auto archive = work.path() / "archive";
    platform::make_private_dir(archive);
    detail::ArchiveFeed feed(store / result.id, manifest, archive);
    PgRestore pg_restore(binaries, conninfo, options, archive, result.id);
    std::map<std::string, detail::ArchiveTable> tables;
    if (options.table_loaded) {
        tables = detail::table_data_files(pg_restore.listing());
    }
    migsafe::detail::log_info("restore {}: pg_restore {} jobs into {}", result.id, options.jobs,
                              conninfo.masked());
    auto restore_started = Steady::now();
    feed.start([&tables, &options](const std::string& name) {
        if (auto it = tables.find(name); it != tables.end()) {
            options.table_loaded(it->second.schema, it->second.name);
        }
    });
    if (options.clean == Clean::yes) {
        // --clean drops in reverse dependency order across all sections: one run.
        run_fed(
            feed, [&] { pg_restore.run("", options.jobs); }, result.id);
        result.data = since(restore_started);
    } else {
        auto step_started = Steady::now();
        pg_restore.run("pre-data", 1); // reads no data file
        result.pre_data = since(step_started);
        step_started = Steady::now();
        run_fed(
            feed, [&] { pg_restore.run("data", options.jobs); }, result.id);
        result.data = since(step_started);
        step_started = Steady::now();
        pg_restore.run("post-data", options.jobs);
        result.post_data = since(step_started);
    }
    result.restore = since(restore_started);
    result.streamed = feed.busy();
    return result;
}

} // namespace migsafe::snapshot
