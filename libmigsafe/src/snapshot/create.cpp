// Taking a snapshot. Archive layout: pg_dump's directory format without compression,
// written to a staging folder, every file compressed with zstd (column layout) and hashed
// (content and stored bytes) in one read while pg_dump writes it, the raw files removed. The
// directory format is the one pg_restore restores in parallel (--jobs) and pg_dump writes in
// parallel; compressing it ourselves gives zstd (PG 15's pg_dump only has gzip) and per-file
// hashes.
#include "platform/catalog/snapshot_queries.hpp"
#include "platform/elapsed.hpp"
#include "platform/logging.hpp"
#include "platform/parallel.hpp"
#include "platform/private_file.hpp"
#include "platform/program_version.hpp"
#include "platform/zstd_file.hpp"
#include "snapshot/compress_pipeline.hpp"
#include "snapshot/layout.hpp"
#include "snapshot/physical/physical.hpp"

#include <migsafe/integrity/verify.hpp>
#include <migsafe/platform/conninfo.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/interrupt.hpp>
#include <migsafe/platform/process.hpp>
#include <migsafe/snapshot/create.hpp>
#include <migsafe/snapshot/store.hpp>
#include <migsafe/snapshot/verify.hpp>

#include <algorithm>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>

namespace migsafe::snapshot {
namespace {

namespace catalog = platform::catalog;
using Steady = std::chrono::steady_clock;

using platform::ms_since;

void check_options(const CreateOptions& options)
{
    if (options.jobs < 1) {
        throw Error("usage-invalid-option",
                    fmt::format("--jobs must be at least 1, got {}", options.jobs),
                    {.object = "--jobs"});
    }
    if (options.lock_wait_timeout.count() <= 0) {
        throw Error("usage-invalid-option",
                    fmt::format("--lock-wait-timeout must be positive, got {} ms: pg_dump would "
                                "wait forever behind another session's lock",
                                options.lock_wait_timeout.count()),
                    {.object = "--lock-wait-timeout"});
    }
    if (options.compression_level &&
        (*options.compression_level < 1 || *options.compression_level > 19)) {
        throw Error(
            "usage-invalid-option",
            fmt::format("compression level must be 1 to 19, got {}", *options.compression_level),
            {.object = "compression_level"});
    }
}

void prepare_store(const std::filesystem::path& store)
{
    std::error_code ec;
    if (std::filesystem::exists(store, ec) && !std::filesystem::is_directory(store, ec)) {
        detail::check_store(store); // throws store-invalid
    }
    platform::make_private_dir(store);
}

/// pg_dump's failure to lock a table within --lock-wait-timeout, as `db-lock-timeout`
/// naming the table (pg_dump prints the LOCK TABLE statement it gave up on); nullopt for
/// any other failure.
std::optional<Error> lock_timeout_error(const Error& failure, std::chrono::milliseconds timeout)
{
    // pg_dump bounds its LOCK TABLE with statement_timeout (and its parallel workers use
    // NOWAIT), so the server's words are those of a statement timeout or a lock refusal.
    const std::string& text = failure.message();
    bool timed_out = text.find("statement timeout") != std::string::npos ||
                     text.find("lock timeout") != std::string::npos ||
                     text.find("could not obtain lock") != std::string::npos;
    if (failure.code() != "process-failed" || !timed_out ||
        text.find("LOCK TABLE") == std::string::npos) {
        return std::nullopt;
    }
    std::string table = "a table";
    constexpr std::string_view k_lock = "LOCK TABLE ";
    if (auto at = text.find(k_lock); at != std::string::npos) {
        auto start = at + k_lock.size();
        auto end = text.find(" IN ", start);
        table = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    }
    return Error("db-lock-timeout",
                 fmt::format("pg_dump waited longer than --lock-wait-timeout ({} ms) for a lock "
                             "on {}: another session holds a conflicting lock",
                             timeout.count(), table),
                 {.object = table, .sqlstate = "55P03"},
                 "`migsafe health` names the session; take the snapshot once it is released, or "
                 "raise --lock-wait-timeout");
}

/// Bytes written so far into the staging folder (pg_dump's progress).
std::uint64_t folder_bytes(const std::filesystem::path& dir)
{
    std::uint64_t total = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        std::error_code size_ec;
        auto size = entry.file_size(size_ec);
        total += size_ec ? 0 : size;
    }
    return total;
}

/// `CreateOptions::progress`, called by one thread at a time (the dump's watcher and the
/// compression workers report concurrently).
class SerialProgress {
public:
    explicit SerialProgress(const CreateOptions& options)
        : m_options(options)
    {
    }
    void operator()(const CreateProgress& progress)
    {
        if (m_options.progress) {
            std::lock_guard lock(m_mutex);
            m_options.progress(progress);
        }
    }
    [[nodiscard]] bool wanted() const { return static_cast<bool>(m_options.progress); }

private:
    const CreateOptions& m_options;
    std::mutex m_mutex;
};

/// Reports pg_dump's progress (bytes in the staging folder) every 250 ms until stopped.
std::jthread watch_dump(const std::filesystem::path& raw, SerialProgress& progress,
                        Steady::time_point started)
{
    if (!progress.wanted()) {
        return {};
    }
    return std::jthread([raw, &progress, started](const std::stop_token& stop) {
        std::mutex mutex;
        std::condition_variable_any wake;
        std::unique_lock lock(mutex);
        for (;;) {
            wake.wait_for(lock, stop, std::chrono::milliseconds(250), [] { return false; });
            if (stop.stop_requested()) {
                return;
            }
            progress({.step = "dump",
                      .bytes_done = folder_bytes(raw),
                      .elapsed = std::chrono::milliseconds(ms_since(started))});
        }
    });
}

/// Dumps and scans in one exported snapshot, compresses, writes the manifests into `temp`.
Manifest build(const platform::ConnInfo& conninfo, const std::filesystem::path& temp,
               const std::string& id, const platform::PgBinaries& binaries,
               const CreateOptions& options)
{
    auto started = Steady::now();
    Manifest manifest{.id = id, .created_at = detail::rfc3339(detail::Clock::now())};
    manifest.pg_dump_version = platform::program_version(binaries.program("pg_dump"));

    std::optional<platform::Session> holder =
        platform::Session::connect(conninfo, {.application_name = "migsafe snapshot"});
    auto facts = catalog::source_facts(*holder);
    manifest.source = {.database = facts.database,
                       .server_version = facts.server_version,
                       .system_identifier = facts.system_identifier,
                       .conninfo = conninfo.masked()};
    auto snapshot_id = catalog::hold_exported_snapshot(*holder);

    auto raw = temp / "raw";
    std::vector<std::string> args = {
        "--format=directory",
        "--compress=0",
        "--no-sync",
        fmt::format("--jobs={}", options.jobs),
        fmt::format("--lock-wait-timeout={}", options.lock_wait_timeout.count()),
        "--snapshot=" + snapshot_id,
        "--file=" + raw.string()};
    manifest.pg_dump_args = args;
    manifest.pg_dump_args.back() = "--file=raw";
    manifest.pg_dump_args.push_back("--dbname=" + manifest.source.conninfo);
    auto connection = conninfo.for_program();
    args.push_back("--dbname=" + connection.conninfo);

    // The scan and pg_dump read the same exported snapshot, at the same time.
    auto scan = std::async(std::launch::async, [&conninfo, &snapshot_id, &options] {
        auto scan_started = Steady::now();
        auto report = integrity::scan(
            conninfo,
            {.jobs = 1, .snapshot = snapshot_id, .lock_timeout = options.lock_wait_timeout});
        return std::make_pair(std::move(report), ms_since(scan_started));
    });
    // pg_dump fills `raw` (empty, as it requires) while the pipeline compresses each file
    // it writes into `data`.
    SerialProgress progress(options);
    progress({.step = "dump"});
    auto data = temp / detail::k_data_dir;
    platform::make_private_dir(raw);
    platform::make_private_dir(data);
    detail::CompressPipeline pipeline(raw, data, options, [&](std::uint64_t done) {
        progress({.step = "compress",
                  .bytes_done = done,
                  .bytes_total = folder_bytes(raw),
                  .elapsed = std::chrono::milliseconds(ms_since(started))});
    });
    try {
        auto dump_started = Steady::now();
        migsafe::detail::log_info("snapshot {}: pg_dump of {} ({} jobs)", id, facts.database,
                                  options.jobs);
        auto watcher = watch_dump(raw, progress, started);
        try {
            platform::run_process({.program = binaries.program("pg_dump").string(),
                                   .args = args,
                                   .env = connection.env,
                                   .timeout = options.dump_timeout});
        } catch (const Error& e) {
            if (auto locked = lock_timeout_error(e, options.lock_wait_timeout)) {
                throw *locked;
            }
            throw;
        }
        manifest.dump_ms = ms_since(dump_started);
    } catch (...) {
        try {
            scan.get();
        } catch (...) { // the dump's error is the one reported
        }
        throw;
    }
    auto [report, scan_ms] = scan.get();
    manifest.integrity = std::move(report);
    manifest.scan_ms = scan_ms;
    holder.reset(); // ends the exporting transaction
    progress({.step = "dump",
              .bytes_done = folder_bytes(raw),
              .elapsed = std::chrono::milliseconds(ms_since(started))});

    manifest.files = pipeline.finish();
    if (std::any_of(manifest.files.begin(), manifest.files.end(),
                    [](const ManifestFile& file) { return file.compression != "zstd"; })) {
        manifest.schema_version = 3; // older versions cannot decode the column layout
    }
    std::filesystem::remove_all(raw);
    progress({.step = "compress",
              .bytes_done = manifest.total_size(),
              .bytes_total = manifest.total_size(),
              .elapsed = std::chrono::milliseconds(ms_since(started))});
    platform::sync_dir(data);
    auto text = manifest.to_json();
    platform::write_file_durably(temp / detail::k_manifest, text);
    platform::write_file_durably(temp / detail::k_manifest_copy, text);
    return manifest;
}

/// What create checks before it reads the connection string: the options, the store and
/// the programs. Returns the programs.
platform::PgBinaries prepare(const std::filesystem::path& store, const CreateOptions& options)
{
    check_options(options);
    prepare_store(store);
    return options.binaries || options.engine != Engine::pg_dump
               ? options.binaries.value_or(platform::PgBinaries{})
               : platform::find_pg_binaries({.required = {"pg_dump", "pg_restore"}});
}

CreateResult create_prepared(const platform::ConnInfo& conninfo, const std::filesystem::path& store,
                             const CreateOptions& options, const platform::PgBinaries& binaries)
{
    if (options.if_older_than.count() > 0) {
        auto probe = platform::Session::connect(conninfo, {.application_name = "migsafe snapshot"});
        auto source = catalog::source_facts(probe);
        if (auto id = fresh_verified(store, source.database, source.system_identifier,
                                     options.if_older_than)) {
            migsafe::detail::log_info("snapshot: reusing {}", *id);
            return {.manifest = read_manifest(store, *id), .reused = true, .path = store / *id};
        }
    }
    auto id = detail::new_id(detail::Clock::now(), conninfo.masked());
    auto temp = store / detail::temp_name(id);
    platform::make_private_dir(temp);
    detail::write_owner(temp);
    // On SIGINT/SIGTERM (when the host installed migsafe::interrupt) the unfinished folder goes.
    interrupt::Cleanup cleanup("remove the unfinished snapshot " + temp.string(), [temp] {
        std::error_code ec;
        std::filesystem::remove_all(temp, ec);
    });
    try {
        auto manifest = options.engine == Engine::pg_dump
                            ? build(conninfo, temp, id, binaries, options)
                            : detail::build_physical(conninfo, temp, id, options);
        auto final_path = store / id;
        std::filesystem::remove(temp / detail::k_owner_file);
        std::filesystem::rename(temp, final_path);
        cleanup.release();
        platform::sync_dir(store);
        migsafe::detail::log_info("snapshot {}: {} files, {} bytes stored", id,
                                  manifest.files.size(), manifest.total_stored_size());
        return {.manifest = std::move(manifest), .path = final_path};
    } catch (...) {
        std::error_code ec;
        std::filesystem::remove_all(temp, ec);
        if (ec) {
            migsafe::detail::log_warn("snapshot {}: could not remove the partial folder {}: {}", id,
                                      temp.string(), ec.message());
        }
        try {
            throw;
        } catch (const std::filesystem::filesystem_error& e) {
            throw Error(
                "io-write-failed",
                fmt::format("snapshot {}: {}: {}", id, e.path1().string(), e.code().message()),
                {.file = e.path1().string()});
        }
    }
}

} // namespace

CreateResult create(const std::string& conninfo, const std::filesystem::path& store,
                    const CreateOptions& options)
{
    auto binaries = prepare(store, options);
    return create_prepared(platform::ConnInfo::parse(conninfo), store, options, binaries);
}

CreateResult create(const platform::ConnInfo& conninfo, const std::filesystem::path& store,
                    const CreateOptions& options)
{
    auto binaries = prepare(store, options);
    return create_prepared(conninfo, store, options, binaries);
}

} // namespace migsafe::snapshot
