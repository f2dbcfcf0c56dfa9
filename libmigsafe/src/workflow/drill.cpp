// A restore drill: restore, scan, compare with the manifest's report, record.
#include "platform/elapsed.hpp"
#include "platform/logging.hpp"
#include "platform/private_file.hpp"
#include "snapshot/layout.hpp"
#include "workflow/drill_loaded_scans.hpp"
#include "workflow/drill_physical.hpp"
#include "workflow/drill_tables.hpp"

#include <migsafe/integrity/verify.hpp>
#include <migsafe/platform/conninfo.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/snapshot/store.hpp>
#include <migsafe/workflow/drill.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>
#include <set>
#include <tuple>

namespace migsafe::workflow {
namespace {

using Steady = std::chrono::steady_clock;
namespace sd = snapshot::detail;

using platform::ms_since;

/// How long a table read during the restore may wait for pg_restore's lock on it (its
/// COPY, or a post-data ALTER TABLE); a read that gives up leaves the table to the final
/// scan.
constexpr std::chrono::minutes k_early_read_lock_wait{10};

/// Adds the tables read during the restore to the final scan's report, in report order.
void merge_tables(integrity::IntegrityReport& report, std::vector<integrity::TableReport> early)
{
    for (auto& table : early) {
        report.tables.push_back(std::move(table));
    }
    std::sort(report.tables.begin(), report.tables.end(),
              [](const integrity::TableReport& a, const integrity::TableReport& b) {
                  return std::tie(a.schema, a.name) < std::tie(b.schema, b.name);
              });
}

} // namespace

std::string DrillRecord::to_json_line() const
{
    nlohmann::json differences_json =
        nlohmann::json::parse(integrity::differences_to_json(differences, -1));
    nlohmann::json j = {{"schema_version", schema_version},
                        {"snapshot_id", snapshot_id},
                        {"at", at},
                        {"passed", passed},
                        {"target", target},
                        {"restore_ms", restore_ms},
                        {"verify_ms", verify_ms},
                        {"data_ms", data_ms},
                        {"post_data_ms", post_data_ms},
                        {"unpack_ms", unpack_ms},
                        {"overlapped_verify_ms", overlapped_verify_ms},
                        {"rto_ms", rto_ms},
                        {"rpo_s", rpo_s},
                        {"size", size},
                        {"stored_size", stored_size},
                        {"tables_differing", tables_differing},
                        {"differences", differences_json}};
    if (!error.empty()) {
        j["error"] = error;
    }
    j["engine"] = engine;
    if (engine != "pg_dump") {
        j["recovery_ms"] = recovery_ms;
        j["target_time"] = target_time;
        j["target_lsn"] = target_lsn;
        j["recovered_lsn"] = recovered_lsn;
        j["last_commit_at"] = last_commit_at;
        j["catalog"] = catalog;
        j["catalog_changes"] = catalog_changes;
        j["tables_compared"] = tables_compared;
        j["tables_written_after"] = tables_written_after;
        j["tables_dropped"] = tables_dropped;
        j["tables_added"] = tables_added;
        j["amcheck_problems"] = amcheck_problems;
        j["server_log_tail"] = server_log_tail;
    }
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

DrillRecord drill(const std::filesystem::path& store, const std::string& id_or_latest,
                  const DrillOptions& options)
{
    auto id = snapshot::resolve_id(store, id_or_latest);
    auto manifest = snapshot::read_manifest(store, id);
    auto now = sd::Clock::now();
    DrillRecord record{.snapshot_id = id,
                       .at = sd::rfc3339(now),
                       .size = manifest.total_size(),
                       .stored_size = manifest.total_stored_size()};
    if (auto created = sd::parse_rfc3339(manifest.created_at)) {
        record.rpo_s = std::chrono::duration_cast<std::chrono::seconds>(now - *created).count();
    }

    if (manifest.physical) {
        if (!options.target.empty()) {
            throw Error("usage-invalid-option",
                        fmt::format("snapshot {} is a physical ({}) backup: it restores into a "
                                    "scratch cluster of its own, not into --target",
                                    id, manifest.engine),
                        {.object = "--target"}, "drop --target");
        }
        record.target = "ephemeral";
        try {
            detail::drill_physical(store / id, manifest, options, record);
        } catch (const Error&) {
            platform::append_line(store / sd::k_drills, record.to_json_line());
            throw;
        }
        platform::append_line(store / sd::k_drills, record.to_json_line());
        if (record.passed) {
            migsafe::detail::log_info("drill {}: pass, RTO {} ms", id, record.rto_ms);
        } else {
            migsafe::detail::log_warn(
                "drill {}: FAIL {}", id,
                record.error.empty() ? fmt::format("{}", fmt::join(record.tables_differing, ", "))
                                     : record.error);
        }
        return record;
    }
    std::optional<platform::EphemeralCluster> cluster;
    std::string target = options.target;
    if (target.empty()) {
        cluster = platform::EphemeralCluster::start(options.cluster);
        target = cluster->conninfo();
        record.target = "ephemeral";
    } else {
        record.target = redact_conninfo(target);
    }
    auto started = Steady::now();
    try {
        // Tests that alter the restored data need every read after their change.
        std::optional<detail::LoadedTableScans> early;
        if (!options.before_compare) {
            early.emplace(target, manifest.integrity, k_early_read_lock_wait);
        }
        auto restored = snapshot::restore(
            store, id, target,
            {.jobs = options.jobs,
             .clean = options.clean,
             .ownership = snapshot::Ownership::skip,
             .check_first = false,
             .table_loaded =
                 early ? std::function<void(const std::string&, const std::string&)>(
                             [&early](const std::string& schema, const std::string& name) {
                                 early->loaded(schema, name);
                             })
                       : nullptr});
        record.restore_ms = ms_since(started);
        record.data_ms = (restored.pre_data + restored.data).count();
        record.post_data_ms = restored.post_data.count();
        record.unpack_ms = restored.streamed.count();
        if (options.before_compare) {
            options.before_compare(target);
        }
        auto verify_started = Steady::now();
        std::vector<integrity::TableReport> read_early;
        if (early) {
            read_early = early->finish();
            record.overlapped_verify_ms = early->busy().count();
        }
        // Range hashes on the report's own bounds: comparable, and no sample to take.
        integrity::ScanOptions rest{.jobs = std::max(options.jobs, 1),
                                    .range_rows = 0,
                                    .range_bounds = integrity::range_bounds_of(manifest.integrity)};
        for (const auto& table : read_early) {
            rest.skip_rows.push_back(table.schema + "." + table.name);
        }
        auto current = integrity::scan(target, rest);
        merge_tables(current, std::move(read_early));
        record.differences = integrity::diff(manifest.integrity, current);
        record.verify_ms = ms_since(verify_started);
    } catch (const Error& e) {
        // A drill that cannot restore is a failed drill: record it, then report the error.
        record.error = e.code() + ": " + e.message();
        record.restore_ms = record.restore_ms == 0 ? ms_since(started) : record.restore_ms;
        platform::append_line(store / sd::k_drills, record.to_json_line());
        throw;
    }
    record.rto_ms = record.restore_ms + record.verify_ms;
    record.passed = record.differences.empty();
    record.tables_differing = detail::differing_tables(record.differences, manifest.integrity);
    platform::append_line(store / sd::k_drills, record.to_json_line());
    if (record.passed) {
        migsafe::detail::log_info("drill {}: pass, RTO {} ms", id, record.rto_ms);
    } else {
        migsafe::detail::log_warn("drill {}: fail, differing tables: {}", id,
                                  fmt::join(record.tables_differing, ", "));
    }
    return record;
}

std::optional<snapshot::DrillSummary> recent_drill(const std::filesystem::path& store,
                                                   std::chrono::milliseconds max_age)
{
    sd::check_store(store);
    auto now = sd::Clock::now();
    std::optional<snapshot::DrillSummary> newest;
    for (const auto& info : snapshot::list(store)) {
        if (!info.last_drill || !info.last_drill->passed) {
            continue;
        }
        auto at = sd::parse_rfc3339(info.last_drill->at);
        if (at && now - *at <= max_age && (!newest || newest->at < info.last_drill->at)) {
            newest = info.last_drill;
        }
    }
    return newest;
}

} // namespace migsafe::workflow
