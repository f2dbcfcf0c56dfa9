// A physical drill: the engine restores into a scratch cluster, the server recovers to the
// target, then the checks run in an order that keeps the evidence intact: CHECKPOINT (the
// replayed pages reach the disk), the page LSNs of the schema's catalogs (read from the
// page headers before anything else can touch them), the catalog, the integrity scan, the
// page LSNs of the tables that differ, and pg_amcheck last (it installs its extension).
#include "workflow/drill_physical.hpp"

#include "platform/catalog/physical_queries.hpp"
#include "platform/elapsed.hpp"
#include "platform/logging.hpp"
#include "snapshot/layout.hpp"
#include "snapshot/physical/scratch.hpp"
#include "workflow/drill_tables.hpp"

#include <migsafe/integrity/amcheck.hpp>
#include <migsafe/integrity/schema.hpp>
#include <migsafe/integrity/verify.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/session.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <future>
#include <map>
#include <set>

namespace migsafe::workflow::detail {
namespace {

namespace catalog = platform::catalog;
using Steady = std::chrono::steady_clock;

using platform::ms_since;

/// Whether 32-bit transaction id `xid` is `reference` or later (modulo 2^32, as the
/// server compares them); the special ids below 3 are never later.
bool xid_at_or_after(std::uint32_t xid, std::uint64_t reference)
{
    if (xid < 3) {
        return false;
    }
    auto diff = static_cast<std::int32_t>(xid - static_cast<std::uint32_t>(reference));
    return diff >= 0;
}

std::optional<std::uint64_t> highest(const std::vector<std::optional<std::uint64_t>>& values)
{
    std::optional<std::uint64_t> out;
    for (const auto& value : values) {
        if (value && (!out || *value > *out)) {
            out = value;
        }
    }
    return out;
}

/// Compares the catalog with the report's; `catalog_written_after` says whether any
/// schema catalog page carries a later LSN than the report's point.
void check_catalog(platform::Session& session, const snapshot::PhysicalInfo& physical,
                   bool catalog_written_after, DrillRecord& record)
{
    if (physical.catalog.empty()) {
        record.catalog = "not-recorded";
        return;
    }
    auto expected = integrity::SchemaFingerprint::from_json(physical.catalog);
    auto actual = integrity::read_schema(session);
    for (const auto& difference : integrity::diff_schema(expected, actual)) {
        if (!difference.note_only) {
            record.catalog_changes.push_back(difference.describe());
        }
    }
    record.catalog = record.catalog_changes.empty() ? "match"
                     : catalog_written_after        ? "changed-after-report"
                                                    : "differs";
}

/// Compares the tables with the report's, keeping as failures only the differences of
/// tables with no sign of a write after the report's point.
void check_tables(platform::Session& session, const std::string& conninfo,
                  const snapshot::Manifest& manifest, const DrillOptions& options,
                  bool catalog_written_after, std::uint64_t report_lsn, DrillRecord& record)
{
    const auto& physical = *manifest.physical;
    auto current =
        integrity::scan(conninfo, {.jobs = std::max(options.jobs, 1),
                                   .range_rows = 0,
                                   .range_bounds = integrity::range_bounds_of(manifest.integrity)});
    std::map<std::string, std::vector<integrity::Difference>> by_table;
    std::vector<integrity::Difference> failures;
    for (auto& difference : integrity::diff(manifest.integrity, current)) {
        if (difference.kind == integrity::DifferenceKind::missing_table) {
            record.tables_dropped.push_back(difference.object);
            if (!catalog_written_after) { // gone, and nothing in the catalog says why
                failures.push_back(difference);
            }
        } else if (difference.kind == integrity::DifferenceKind::extra_table) {
            record.tables_added.push_back(difference.object);
        } else if (const auto* table = table_of(difference, manifest.integrity)) {
            by_table[table->qualified_name()].push_back(std::move(difference));
        } else {
            failures.push_back(std::move(difference)); // an invalid index, say
        }
    }
    std::vector<catalog::RelationName> differing;
    std::vector<std::string> names;
    for (const auto& table : manifest.integrity.tables) {
        if (by_table.contains(table.qualified_name())) {
            differing.push_back({table.schema, table.name});
            names.push_back(table.qualified_name());
        }
    }
    auto page_lsns = catalog::max_page_lsns(session, differing);
    auto row_xmins = catalog::class_row_xmins(session, differing);
    for (std::size_t i = 0; i < differing.size(); ++i) {
        bool written_after = (page_lsns[i] && *page_lsns[i] > report_lsn) ||
                             (row_xmins[i] && xid_at_or_after(*row_xmins[i], physical.report_xmin));
        if (written_after) {
            record.tables_written_after.push_back(names[i]);
        } else {
            auto& list = by_table[names[i]];
            failures.insert(failures.end(), list.begin(), list.end());
        }
    }
    record.tables_compared = static_cast<std::int64_t>(
        manifest.integrity.tables.size() - record.tables_dropped.size() - differing.size());
    record.differences = std::move(failures);
    record.tables_differing = differing_tables(record.differences, manifest.integrity);
}

/// The seconds between the last commit recovered and the target time (or the drill's
/// start, for the latest point): what a restore to that point would lose.
std::int64_t recovery_point_gap(const DrillRecord& record, const std::string& last_commit_at)
{
    auto last = snapshot::detail::parse_rfc3339(last_commit_at);
    auto reference = snapshot::detail::parse_rfc3339(record.at);
    if (!record.target_time.empty()) {
        auto session_target = record.target_time;
        // `2026-12-06 10:15:00+00` and RFC 3339 both read as UTC here.
        std::replace(session_target.begin(), session_target.end(), ' ', 'T');
        if (session_target.ends_with("+00")) {
            session_target.replace(session_target.size() - 3, 3, "Z");
        }
        if (auto target = snapshot::detail::parse_rfc3339(session_target)) {
            reference = target;
        }
    }
    if (!last || !reference) {
        return 0;
    }
    return std::max<std::int64_t>(
        0, std::chrono::duration_cast<std::chrono::seconds>(*reference - *last).count());
}

std::string after_marker(const std::string& message, std::string_view marker)
{
    auto at = message.find(marker);
    return at == std::string::npos ? std::string() : message.substr(at + marker.size());
}

} // namespace

void drill_physical(const std::filesystem::path& snapshot_dir, const snapshot::Manifest& manifest,
                    const DrillOptions& options, DrillRecord& record)
{
    const auto& physical = *manifest.physical;
    record.engine = manifest.engine;
    record.target_time = options.recovery.time;
    record.target_lsn = options.recovery.lsn;
    std::optional<snapshot::detail::Scratch> scratch;
    try {
        scratch = snapshot::detail::start_scratch(snapshot_dir, manifest,
                                                  {.target = options.recovery,
                                                   .pgbackrest = options.pgbackrest,
                                                   .timeout = options.recovery_timeout,
                                                   .before_start = options.before_start,
                                                   .cluster = options.cluster});
    } catch (const Error& e) {
        record.error = e.code() + ": " + e.message();
        record.passed = false;
        if (e.code() != "cluster-start-failed") {
            throw; // the engine could not restore: recorded by the caller, then reported
        }
        // The restored server would not start or recover: that is the drill's finding.
        record.server_log_tail = after_marker(e.message(), "ends with:\n");
        if (record.server_log_tail.empty()) {
            record.server_log_tail = after_marker(e.message(), "(kept): ");
        }
        record.passed = false;
        return;
    }
    record.restore_ms = scratch->restore.count();
    record.recovery_ms = scratch->recovery.count();
    auto checks_started = Steady::now();
    auto conninfo = scratch->cluster.conninfo(manifest.source.database);
    auto session = platform::Session::connect(conninfo, {.application_name = "migsafe drill"});
    catalog::checkpoint(session);
    auto end = catalog::recovery_end(session);
    record.recovered_lsn = end.replay_lsn.empty() ? physical.stop_lsn : end.replay_lsn;
    record.last_commit_at = end.last_commit_at;
    if (options.before_compare) {
        options.before_compare(conninfo);
    }
    auto report_lsn = catalog::parse_lsn(physical.report_lsn).value_or(0);
    auto catalog_lsn = highest(catalog::max_page_lsns(session, catalog::schema_catalogs()));
    bool catalog_written_after = catalog_lsn && *catalog_lsn > report_lsn;

    check_catalog(session, physical, catalog_written_after, record);
    // pg_amcheck reads every heap and index while the scan reads the tables: both only
    // read (the extension's install touches the catalog, already compared above).
    auto amcheck = std::async(std::launch::async, [&conninfo, &options] {
        return integrity::run_amcheck(conninfo, {.install = integrity::InstallAmcheck::yes,
                                                 .heap_all_indexed = options.heap_all_indexed,
                                                 .jobs = std::max(options.jobs, 1)});
    });
    try {
        if (manifest.has_integrity) {
            check_tables(session, conninfo, manifest, options, catalog_written_after, report_lsn,
                         record);
        }
    } catch (...) {
        try {
            amcheck.get();
        } catch (...) { // the scan's error is the one reported
        }
        throw;
    }
    auto amcheck_result = amcheck.get();
    record.amcheck_problems = amcheck_result.problems;
    record.verify_ms = ms_since(checks_started);
    record.rto_ms = record.restore_ms + record.recovery_ms + record.verify_ms;
    if (!record.last_commit_at.empty()) {
        record.rpo_s = recovery_point_gap(record, record.last_commit_at);
    }
    record.passed = record.catalog != "differs" && record.differences.empty() &&
                    record.amcheck_problems.empty() && !amcheck_result.corruption_found;
}

} // namespace migsafe::workflow::detail
