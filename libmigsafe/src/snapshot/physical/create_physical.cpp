// Taking a physical snapshot. The report point comes first: the WAL insert position, the
// catalog and an exported snapshot (with its xmin) are read before the backup starts, and
// the integrity scan reads that snapshot while the engine copies. Every later write to a
// page then carries a later LSN than `report_lsn`, which is what lets a drill recovered
// to any point after the backup tell "written after the report" from "differs".
#include "platform/catalog/physical_queries.hpp"
#include "platform/catalog/snapshot_queries.hpp"
#include "platform/elapsed.hpp"
#include "platform/logging.hpp"
#include "platform/private_file.hpp"
#include "platform/zstd_file.hpp"
#include "snapshot/layout.hpp"
#include "snapshot/physical/basebackup.hpp"
#include "snapshot/physical/pgbackrest.hpp"
#include "snapshot/physical/physical.hpp"

#include <migsafe/integrity/schema.hpp>
#include <migsafe/integrity/verify.hpp>
#include <migsafe/platform/conninfo.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/session.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <future>

namespace migsafe::snapshot::detail {
namespace {

namespace catalog = platform::catalog;
using Steady = std::chrono::steady_clock;

using platform::ms_since;

std::string epoch_rfc3339(std::int64_t seconds)
{
    return rfc3339(Clock::time_point(std::chrono::seconds(seconds)));
}

/// Runs the engine's backup into `temp`, filling the manifest's physical fields.
void run_engine(const platform::ConnInfo& conninfo, const std::filesystem::path& temp,
                const std::string& id, const CreateOptions& options, Manifest& manifest)
{
    if (options.engine == Engine::basebackup) {
        auto binaries =
            options.binaries
                ? *options.binaries
                : platform::find_pg_binaries({.required = {"pg_basebackup", "pg_verifybackup"}});
        auto data = temp / k_data_dir;
        basebackup::take(conninfo, data, binaries, "migsafe " + id, options.dump_timeout, manifest);
        // The backup is not a snapshot until its own manifest says every file is intact.
        auto mismatches = basebackup::verify(data, binaries);
        if (!mismatches.empty()) {
            throw Error("process-failed",
                        fmt::format("pg_verifybackup rejected the new backup: {}",
                                    mismatches.front().describe()),
                        {.file = (data / "backup_manifest").string()});
        }
        auto [hash, size] = platform::hash_file(data / "backup_manifest");
        manifest.files.push_back({.name = "backup_manifest",
                                  .stored_name = fmt::format("{}/backup_manifest", k_data_dir),
                                  .size = size,
                                  .stored_size = size,
                                  .compression = "none",
                                  .content_hash = hash,
                                  .stored_hash = hash});
        return;
    }
    auto settings = *options.pgbackrest;
    manifest.engine_version = pgbackrest::version(settings);
    auto backup = pgbackrest::backup(settings);
    if (!manifest.source.system_identifier.empty() &&
        backup.system_id != manifest.source.system_identifier) {
        throw Error("usage-invalid-option",
                    fmt::format("stanza {} backs up the cluster with system identifier {}, not "
                                "the one --db names ({}): backup {} is of another server",
                                settings.stanza, backup.system_id,
                                manifest.source.system_identifier, backup.label),
                    {.object = settings.stanza},
                    "check --pgbackrest-stanza and --pgbackrest-config");
    }
    auto report = *manifest.physical;
    PhysicalInfo physical{.label = backup.label,
                          .backup_type = backup.type,
                          .prior = backup.prior,
                          .stanza = settings.stanza,
                          .config_file = settings.config_file.string(),
                          .timeline = 0,
                          .start_lsn = backup.lsn_start,
                          .stop_lsn = backup.lsn_stop,
                          .wal_start = backup.wal_start,
                          .wal_stop = backup.wal_stop,
                          .start_time = epoch_rfc3339(backup.time_start),
                          .stop_time = epoch_rfc3339(backup.time_stop),
                          .size = backup.size,
                          .stored_size = backup.repo_size,
                          .report_lsn = report.report_lsn,
                          .report_xmin = report.report_xmin,
                          .catalog = report.catalog,
                          .catalog_hash = report.catalog_hash};
    if (backup.wal_start.size() >= 8) {
        physical.timeline = std::stoi(backup.wal_start.substr(0, 8), nullptr, 16);
    }
    manifest.physical = physical;
}

} // namespace

PgBackRestSettings pgbackrest_settings(const Manifest& manifest,
                                       const std::optional<PgBackRestSettings>& given)
{
    PgBackRestSettings settings = given ? *given : PgBackRestSettings{};
    if (settings.stanza.empty() && manifest.physical) {
        settings.stanza = manifest.physical->stanza;
    }
    if (settings.config_file.empty() && manifest.physical) {
        settings.config_file = manifest.physical->config_file;
    }
    return settings;
}

Manifest build_physical(const platform::ConnInfo& conninfo, const std::filesystem::path& temp,
                        const std::string& id, const CreateOptions& options)
{
    if (options.engine == Engine::pgbackrest &&
        (!options.pgbackrest || options.pgbackrest->stanza.empty())) {
        throw Error("usage-invalid-option",
                    "the pgbackrest engine needs a stanza (--pgbackrest-stanza): migsafe drives "
                    "an existing pgBackRest configuration, it does not make one",
                    {.object = "--pgbackrest-stanza"},
                    "set up the stanza with `pgbackrest stanza-create` first (docs/snapshot.md)");
    }
    Manifest manifest{.schema_version = 2,
                      .id = id,
                      .created_at = rfc3339(Clock::now()),
                      .engine = std::string(to_string(options.engine)),
                      .format = "physical",
                      .has_integrity = options.integrity};
    auto holder = platform::Session::connect(conninfo, {.application_name = "migsafe snapshot"});
    auto facts = catalog::source_facts(holder);
    manifest.source = {.database = facts.database,
                       .server_version = facts.server_version,
                       .system_identifier = facts.system_identifier,
                       .conninfo = conninfo.masked()};

    // The report point, before the backup starts.
    PhysicalInfo point{.report_lsn = catalog::wal_insert_lsn(holder)};
    auto fingerprint = integrity::read_schema(holder, {.lock_timeout = options.lock_wait_timeout});
    // In the form the manifest reads it back in (keys sorted), so a manifest round-trips.
    point.catalog = nlohmann::json::parse(fingerprint.to_json(-1)).dump();
    point.catalog_hash = fingerprint.hash();
    auto snapshot_id = catalog::hold_exported_snapshot(holder);
    point.report_xmin = catalog::snapshot_xmin(holder);
    manifest.physical = point;

    std::future<std::pair<integrity::IntegrityReport, std::int64_t>> scan;
    if (options.integrity) {
        scan = std::async(std::launch::async, [&conninfo, &snapshot_id, &options] {
            auto started = Steady::now();
            auto report = integrity::scan(
                conninfo,
                {.jobs = 1, .snapshot = snapshot_id, .lock_timeout = options.lock_wait_timeout});
            return std::make_pair(std::move(report), ms_since(started));
        });
    }
    auto started = Steady::now();
    try {
        migsafe::detail::log_info("snapshot {}: {} of {}", id, to_string(options.engine),
                                  facts.database);
        run_engine(conninfo, temp, id, options, manifest);
        manifest.dump_ms = ms_since(started);
    } catch (...) {
        if (scan.valid()) {
            try {
                scan.get();
            } catch (...) { // the engine's error is the one reported
            }
        }
        throw;
    }
    if (scan.valid()) {
        auto [report, scan_ms] = scan.get();
        manifest.integrity = std::move(report);
        manifest.scan_ms = scan_ms;
    }
    auto text = manifest.to_json();
    platform::write_file_durably(temp / k_manifest, text);
    platform::write_file_durably(temp / k_manifest_copy, text);
    return manifest;
}

} // namespace migsafe::snapshot::detail
