// The scan: one leader session takes the snapshot and reads the catalog; `jobs` sessions
// (the leader among them) share that snapshot and hash work items, largest first. A work
// item is a table or, for big tables, a range of heap blocks (a TID range scan, PG 14+):
// every table can be split that way, with or without a key, and each worker reads only
// its own blocks. Row checksums add up, so the pieces merge in any order.
#include "integrity/key_ranges.hpp"
#include "integrity/scope.hpp"
#include "integrity/session.hpp"
#include "platform/catalog/index_queries.hpp"
#include "platform/catalog/integrity_queries.hpp"
#include "platform/logging.hpp"
#include "platform/transaction_control.hpp"

#include <migsafe/integrity/verify.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/session.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <tuple>

namespace migsafe::integrity {
namespace {

constexpr const char* k_lock_hint =
    "a migration or another session holds a conflicting lock (`migsafe health` names it); run "
    "again once it is released, or raise --lock-timeout";

/// `schema.name` with each part quoted as PostgreSQL would (`"x.y".z`).
std::string display_name(const platform::catalog::RelationInfo& rel)
{
    return platform::quote_ident(rel.schema) + "." + platform::quote_ident(rel.name);
}

namespace catalog = platform::catalog;
using Clock = std::chrono::steady_clock;

constexpr std::uint64_t k_progress_every_rows = 1U << 16U;
constexpr int k_min_tid_range_server = 140000;

// Thrown out of a COPY callback to abandon the stream once another worker has failed.
struct Stopped {};

struct WorkItem {
    std::size_t relation = 0; ///< index into the relations in scope
    catalog::BlockRange blocks{};
    std::int64_t weight = 0; ///< estimated blocks, for largest-first ordering
};

class Scanner {
public:
    Scanner(const std::vector<catalog::RelationInfo>& relations, const ScanOptions& options)
        : m_relations(relations)
        , m_options(options)
        , m_checksums(relations.size())
        , m_plans(relations.size())
        , m_ranges(relations.size())
        , m_pieces_left(relations.size(), 0)
    {
    }

    void plan(platform::Session& leader)
    {
        for (std::size_t i = 0; i < m_relations.size(); ++i) {
            m_plans[i] = detail::plan_ranges(leader, m_relations[i], m_options);
            if (m_plans[i]) {
                m_ranges[i].resize(m_plans[i]->bounds.size() + 1);
            }
        }
        const int server_version = leader.server_version();
        bool split = m_options.jobs > 1 && server_version >= k_min_tid_range_server;
        for (std::size_t i = 0; i < m_relations.size(); ++i) {
            const auto& rel = m_relations[i];
            if (rel.partitioned) {
                continue;
            }
            ++m_tables_total;
            std::int64_t pieces = 1;
            if (split && rel.pages > std::max<std::int64_t>(m_options.split_pages, 1)) {
                // Pieces of at least half the threshold, at most four per worker.
                std::int64_t min_piece = std::max<std::int64_t>(1, m_options.split_pages / 2);
                pieces = std::clamp<std::int64_t>(rel.pages / min_piece, 1,
                                                  static_cast<std::int64_t>(m_options.jobs) * 4);
            }
            std::int64_t step = (rel.pages + pieces - 1) / pieces;
            for (std::int64_t p = 0; p < pieces; ++p) {
                catalog::BlockRange blocks{.first = p * step};
                if (p + 1 < pieces) {
                    blocks.last = (p + 1) * step;
                }
                m_items.push_back({i, blocks, pieces == 1 ? rel.pages : step});
                ++m_pieces_left[i];
            }
        }
        std::stable_sort(m_items.begin(), m_items.end(),
                         [](const WorkItem& a, const WorkItem& b) { return a.weight > b.weight; });
    }

    // Runs on one worker thread with its own session, until the queue is empty or
    // another worker failed.
    void work(platform::Session& conn)
    {
        try {
            for (;;) {
                std::size_t next = m_next.fetch_add(1);
                if (next >= m_items.size() || m_failed.load()) {
                    return;
                }
                hash_item(conn, m_items[next]);
            }
        } catch (const Stopped&) {
            return; // another worker failed; its error is the one reported
        } catch (...) {
            std::lock_guard lock(m_mutex);
            if (!m_error) {
                m_error = std::current_exception();
            }
            m_failed = true;
        }
    }

    void rethrow_failure() const
    {
        if (m_error) {
            std::rethrow_exception(m_error);
        }
    }

    const std::vector<Checksum>& checksums() const { return m_checksums; }

    /// The range hashes of relation `i`, if it had a plan.
    std::optional<KeyRanges> ranges(std::size_t i) const
    {
        if (!m_plans[i]) {
            return std::nullopt;
        }
        return KeyRanges{.bounds = m_plans[i]->bound_texts, .checksums = m_ranges[i]};
    }

private:
    void hash_item(platform::Session& conn, const WorkItem& item)
    {
        const auto& rel = m_relations[item.relation];
        migsafe::detail::log_debug("hashing {}.{} blocks {}..", rel.schema, rel.name,
                                   item.blocks.first);
        const auto& plan = m_plans[item.relation];
        Checksum sum;
        std::vector<Checksum> ranges(plan ? plan->bounds.size() + 1 : 0);
        std::uint64_t bytes = 0;
        std::uint64_t unreported = 0;
        try {
            catalog::stream_rows(conn, rel, item.blocks, [&](std::string_view row) {
                if (plan) {
                    ranges[plan->range_of(row)].add_row(row);
                } else {
                    sum.add_row(row);
                }
                bytes += row.size() + 1;
                if (++unreported == k_progress_every_rows) {
                    report(unreported, bytes, false);
                    unreported = 0;
                    bytes = 0;
                    if (m_failed.load()) {
                        throw Stopped{};
                    }
                }
            });
        } catch (const Error& e) {
            if (e.code() != "db-lock-timeout") {
                throw;
            }
            throw Error("db-lock-timeout",
                        fmt::format("table {} stayed locked by another session for longer than "
                                    "the scan's lock timeout ({} ms)",
                                    display_name(rel), m_options.lock_timeout.count()),
                        {.object = display_name(rel), .sqlstate = "55P03"}, k_lock_hint);
        }
        for (std::size_t r = 0; r < ranges.size(); ++r) {
            sum.merge(ranges[r]);
        }
        std::lock_guard lock(m_mutex);
        m_checksums[item.relation].merge(sum);
        for (std::size_t r = 0; r < ranges.size(); ++r) {
            m_ranges[item.relation][r].merge(ranges[r]);
        }
        bool table_done = --m_pieces_left[item.relation] == 0;
        report_locked(unreported, bytes, table_done);
    }

    void report(std::uint64_t rows, std::uint64_t bytes, bool table_done)
    {
        std::lock_guard lock(m_mutex);
        report_locked(rows, bytes, table_done);
    }

    void report_locked(std::uint64_t rows, std::uint64_t bytes, bool table_done)
    {
        m_progress.rows_done += rows;
        m_progress.bytes_done += bytes;
        m_progress.tables_done += table_done ? 1 : 0;
        m_progress.tables_total = m_tables_total;
        m_progress.elapsed =
            std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - m_started);
        if (m_options.progress) {
            m_options.progress(m_progress);
        }
    }

    const std::vector<catalog::RelationInfo>& m_relations;
    const ScanOptions& m_options;
    std::vector<WorkItem> m_items;
    std::vector<Checksum> m_checksums;
    std::vector<std::optional<detail::RangePlan>> m_plans;
    std::vector<std::vector<Checksum>> m_ranges;
    std::vector<int> m_pieces_left;
    std::size_t m_tables_total = 0;
    std::atomic<std::size_t> m_next{0};
    std::atomic<bool> m_failed{false};
    std::mutex m_mutex;
    std::exception_ptr m_error;
    ScanProgress m_progress;
    Clock::time_point m_started = Clock::now();
};

// Adds each leaf's checksum to every partitioned ancestor in scope.
void add_partition_totals(const std::vector<catalog::RelationInfo>& relations,
                          std::vector<Checksum>& checksums)
{
    std::map<std::pair<std::string, std::string>, std::size_t> by_name;
    for (std::size_t i = 0; i < relations.size(); ++i) {
        by_name[{relations[i].schema, relations[i].name}] = i;
    }
    for (std::size_t i = 0; i < relations.size(); ++i) {
        if (relations[i].partitioned) {
            continue;
        }
        const auto* at = &relations[i];
        for (auto it = by_name.find({at->parent_schema, at->parent_name}); it != by_name.end();
             it = by_name.find({at->parent_schema, at->parent_name})) {
            checksums[it->second].merge(checksums[i]);
            at = &relations[it->second];
        }
    }
}

TableReport table_report(const catalog::RelationInfo& rel, const Checksum& checksum,
                         std::optional<KeyRanges> ranges)
{
    TableKind kind = rel.partitioned            ? TableKind::partitioned
                     : !rel.parent_name.empty() ? TableKind::partition
                                                : TableKind::table;
    return {.schema = rel.schema,
            .name = rel.name,
            .kind = kind,
            .parent =
                rel.parent_name.empty() ? "" : qualified_name(rel.parent_schema, rel.parent_name),
            .columns = rel.columns,
            .key_columns = rel.key_columns,
            .checksum = checksum,
            .ranges = std::move(ranges)};
}

void add_health(platform::Session& conn, const std::vector<catalog::RelationInfo>& in_scope,
                const ScanOptions& options, IntegrityReport& report)
{
    std::map<std::pair<std::string, std::string>, bool> tables;
    for (const auto& rel : in_scope) {
        tables[{rel.schema, rel.name}] = true;
    }
    bool everything = options.tables.empty() && options.exclude.empty();
    auto covered = [&](const std::string& schema, const std::string& name) {
        return everything || tables.contains({schema, name});
    };
    for (const auto& row : catalog::invalid_indexes(conn, {})) {
        if (covered(row.table_schema, row.table_name)) {
            report.invalid_indexes.push_back({row.index_schema, row.index_name,
                                              qualified_name(row.table_schema, row.table_name)});
        }
    }
    for (const auto& row : catalog::list_unvalidated_constraints(conn)) {
        if (covered(row.table_schema, row.table_name)) {
            report.unvalidated_constraints.push_back(
                {qualified_name(row.table_schema, row.table_name), row.name, row.type});
        }
    }
    for (const auto& row : catalog::list_sequences(conn)) {
        bool owned = !row.owner_table.empty();
        if (owned ? !covered(row.owner_schema, row.owner_table) : !everything) {
            continue;
        }
        report.sequences.push_back(
            {.schema = row.schema,
             .name = row.name,
             .last_value = row.last_value,
             .is_called = row.is_called,
             .increment = row.increment,
             .owner_table = owned ? qualified_name(row.owner_schema, row.owner_table) : "",
             .owner_column = row.owner_column,
             .column_max = row.column_max});
    }
}

// Byte order, not the server's collation: equal databases on differently configured
// servers give equal reports.
void sort_bytewise(IntegrityReport& report)
{
    std::sort(report.tables.begin(), report.tables.end(),
              [](const TableReport& a, const TableReport& b) {
                  return std::tie(a.schema, a.name) < std::tie(b.schema, b.name);
              });
    std::sort(report.invalid_indexes.begin(), report.invalid_indexes.end(),
              [](const InvalidIndex& a, const InvalidIndex& b) {
                  return std::tie(a.schema, a.name) < std::tie(b.schema, b.name);
              });
    std::sort(report.unvalidated_constraints.begin(), report.unvalidated_constraints.end(),
              [](const UnvalidatedConstraint& a, const UnvalidatedConstraint& b) {
                  return std::tie(a.table, a.name) < std::tie(b.table, b.name);
              });
    std::sort(report.sequences.begin(), report.sequences.end(),
              [](const SequenceReport& a, const SequenceReport& b) {
                  return std::tie(a.schema, a.name) < std::tie(b.schema, b.name);
              });
}

/// A lock timeout met outside a table's own read (the catalog reads open every relation
/// to size it) named after the tables other sessions hold exclusively right now.
Error named_lock_timeout(const platform::ConnInfo& conninfo, const ScanOptions& options)
{
    std::vector<std::string> locked;
    try {
        auto conn = platform::Session::connect(conninfo, {.application_name = "migsafe verify"});
        locked = catalog::tables_locked_exclusively(conn);
    } catch (const Error&) {
        // The names are a courtesy; the timeout is the error.
    }
    std::string what = locked.empty() ? std::string("a table") : fmt::format("{}", locked.at(0));
    for (std::size_t i = 1; i < locked.size(); ++i) {
        what += (i + 1 == locked.size() ? " and " : ", ") + locked[i];
    }
    return Error("db-lock-timeout",
                 fmt::format("{} stayed locked by another session for longer than the scan's "
                             "lock timeout ({} ms)",
                             locked.size() > 1 ? "tables " + what : "table " + what,
                             options.lock_timeout.count()),
                 {.object = locked.empty() ? std::string() : locked.front(), .sqlstate = "55P03"},
                 k_lock_hint);
}

IntegrityReport scan_with(platform::Session& leader, const platform::ConnInfo& conninfo,
                          const ScanOptions& options)
{
    std::optional<std::string> snapshot = options.snapshot;
    if (options.jobs > 1 && !snapshot) {
        snapshot = catalog::export_snapshot(leader);
    }
    auto facts = catalog::server_facts(leader);
    auto in_scope =
        detail::select_relations(catalog::list_relations(leader), options.tables, options.exclude);
    auto relations = options.skip_rows.empty()
                         ? in_scope
                         : detail::select_relations(in_scope, {}, options.skip_rows);
    migsafe::detail::log_info("verify: {} tables in scope, {} jobs", relations.size(),
                              options.jobs);

    Scanner scanner(relations, options);
    scanner.plan(leader);
    std::vector<platform::Session> helpers;
    for (int j = 1; j < options.jobs; ++j) {
        helpers.push_back(detail::open_read_session(conninfo, snapshot, options.lock_timeout));
    }
    std::vector<std::thread> threads;
    threads.reserve(helpers.size());
    for (auto& helper : helpers) {
        threads.emplace_back([&scanner, &helper] { scanner.work(helper); });
    }
    scanner.work(leader);
    for (auto& thread : threads) {
        thread.join();
    }
    scanner.rethrow_failure();

    IntegrityReport report;
    report.server_version = facts.version;
    report.database = facts.database;
    report.taken_at = facts.now_utc;
    report.snapshot_consistent = true;
    auto checksums = scanner.checksums();
    add_partition_totals(relations, checksums);
    for (std::size_t i = 0; i < relations.size(); ++i) {
        report.tables.push_back(table_report(relations[i], checksums[i], scanner.ranges(i)));
    }
    add_health(leader, in_scope, options, report);
    sort_bytewise(report);
    for (auto& helper : helpers) {
        catalog::end_transaction(helper);
    }
    catalog::end_transaction(leader);
    return report;
}

IntegrityReport scan_once(const platform::ConnInfo& conninfo, const ScanOptions& options)
{
    auto leader = detail::open_read_session(conninfo, options.snapshot, options.lock_timeout);
    return scan_with(leader, conninfo, options);
}

} // namespace

std::map<std::string, std::vector<std::string>> range_bounds_of(const IntegrityReport& report)
{
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& table : report.tables) {
        if (table.ranges) {
            out.emplace(table.qualified_name(), table.ranges->bounds);
        }
    }
    return out;
}

IntegrityReport scan(const std::string& conninfo, const ScanOptions& options)
{
    return scan(platform::ConnInfo::parse(conninfo), options);
}

IntegrityReport scan(const platform::ConnInfo& conninfo, const ScanOptions& options)
{
    if (options.jobs < 1) {
        throw Error("usage-invalid-option",
                    "--jobs must be at least 1, got " + std::to_string(options.jobs),
                    {.object = "--jobs"});
    }
    detail::check_lock_timeout(options.lock_timeout);
    try {
        return scan_once(conninfo, options);
    } catch (const Error& e) {
        if (e.code() != "db-lock-timeout" || !e.context().object.empty()) {
            throw;
        }
        throw named_lock_timeout(conninfo, options);
    }
}

IntegrityReport scan(platform::Session& session, const ScanOptions& options)
{
    if (options.jobs != 1 || options.snapshot) {
        throw Error("usage-invalid-option",
                    "a scan on the caller's session runs one job in its own snapshot",
                    {.object = "--jobs"});
    }
    detail::check_lock_timeout(options.lock_timeout);
    catalog::begin_snapshot_transaction(session);
    try {
        catalog::pin_output_settings_local(session, options.lock_timeout);
        return scan_with(session, session.conninfo(), options); // one job: no second session
    } catch (...) {
        try {
            platform::rollback_transaction(session);
        } catch (const Error&) {
            // the session broke: its owner sees that on its next statement
        }
        throw;
    }
}

} // namespace migsafe::integrity
