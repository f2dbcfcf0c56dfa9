// With the live catalog (`--db`): findings on an existing table state its estimated rows,
// size and, when the statement rewrites or scans it, a rough lock duration; a warning on
// a large table that is rewritten or scanned under a lock that blocks writes (or by the
// data change itself) becomes an error.
#include "plan/effects.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>

namespace migsafe::plan::detail {
namespace {

// Rough throughputs for the lock estimate: a rewrite copies the heap and rebuilds every
// index; a scan reads the heap from disk. Orders of magnitude, not a promise.
constexpr double k_rewrite_bytes_per_second = 50.0 * 1024 * 1024;
constexpr double k_scan_bytes_per_second = 200.0 * 1024 * 1024;
// A table analysed as empty and this small (its heap and indexes) is empty in practice.
constexpr std::int64_t k_empty_table_bytes = std::int64_t{1} << 20;

std::string rows_text(double rows)
{
    if (rows < 0) {
        return "rows unknown (never analyzed)";
    }
    if (rows < 1000) {
        return fmt::format("~{:.0f} rows", rows);
    }
    if (rows < 1e6) {
        return fmt::format("~{:.1f}k rows", rows / 1e3);
    }
    if (rows < 1e9) {
        return fmt::format("~{:.1f}M rows", rows / 1e6);
    }
    return fmt::format("~{:.1f}B rows", rows / 1e9);
}

std::string bytes_text(std::int64_t bytes)
{
    constexpr std::array<std::string_view, 4> k_units{"kB", "MB", "GB", "TB"};
    if (bytes < 1024) {
        return fmt::format("{} bytes", bytes);
    }
    double value = static_cast<double>(bytes) / 1024;
    std::size_t unit = 0;
    while (value >= 1024 && unit + 1 < k_units.size()) {
        value /= 1024;
        ++unit;
    }
    return value < 10 ? fmt::format("{:.1f} {}", value, k_units[unit])
                      : fmt::format("{:.0f} {}", value, k_units[unit]);
}

std::string duration_text(double seconds)
{
    if (seconds < 1) {
        return "under a second";
    }
    if (seconds < 120) {
        return fmt::format("~{:.0f}s", seconds);
    }
    if (seconds < 7200) {
        return fmt::format("~{:.0f} min", seconds / 60);
    }
    return fmt::format("~{:.1f} h", seconds / 3600);
}

// True when `message` names `relation` as a whole word (not `public.reviews_archive`).
bool names(const std::string& message, const std::string& relation)
{
    for (auto at = message.find(relation); at != std::string::npos;
         at = message.find(relation, at + 1)) {
        const auto end = at + relation.size();
        const bool word_end =
            end == message.size() ||
            !(std::isalnum(static_cast<unsigned char>(message[end])) != 0 || message[end] == '_');
        if (word_end) {
            return true;
        }
    }
    return false;
}

// Whether holding `mode` through a long rewrite or scan hurts the application: it blocks
// writes (ShareLock and stronger), or it is the data change itself (RowExclusiveLock: an
// UPDATE or DELETE of every row). The weaker locks block neither reads nor writes: a
// VALIDATE CONSTRAINT (ShareUpdateExclusiveLock, the safe half of NOT VALID + VALIDATE),
// the referenced table of a foreign key it checks (RowShareLock), a plain read.
bool long_hold_hurts(LockMode mode)
{
    return mode >= LockMode::share || mode == LockMode::row_exclusive;
}

bool contains(const std::vector<std::string>& list, const std::string& relation)
{
    return std::find(list.begin(), list.end(), relation) != list.end();
}

// Without a catalog: the first error of a statement on a table an earlier migration of the
// set created says that the table may hold data the plan cannot size, rather than pretend it
// knows. Breaking changes (MS-BRK) break the application whatever the size.
void note_unknown_sizes(const Context& context, Effects& effects)
{
    const auto& earlier = context.release.created_earlier;
    // Said once per statement, on its first error (what the size would decide).
    for (auto& finding : effects.findings) {
        if (finding.severity != Severity::error || finding.rule.starts_with("MS-BRK")) {
            continue;
        }
        for (const auto& lock : effects.locks) {
            auto created = earlier.find(lock.relation);
            if (created == earlier.end() || context.is_new(lock.relation) ||
                !names(finding.message, lock.relation)) {
                continue;
            }
            finding.message += fmt::format(" [{}: created by {}, size unknown: with --db its "
                                           "rows decide]",
                                           lock.relation, created->second);
            return;
        }
    }
}

} // namespace

void add_table_sizes(const Context& context, Effects& effects)
{
    if (context.options().catalog == nullptr) {
        note_unknown_sizes(context, effects);
        return;
    }
    for (auto& finding : effects.findings) {
        for (const auto& lock : effects.locks) {
            const model::TableFacts* table = context.existing(lock.relation);
            if (table == nullptr || !names(finding.message, lock.relation)) {
                continue;
            }
            const bool rewritten = contains(effects.rewrites, lock.relation);
            const bool scanned = contains(effects.scans, lock.relation);
            finding.message += fmt::format(" [{}: {}, {}", table->name, rows_text(table->rows),
                                           bytes_text(table->bytes));
            if (rewritten || scanned) {
                const double seconds =
                    static_cast<double>(table->bytes) /
                    (rewritten ? k_rewrite_bytes_per_second : k_scan_bytes_per_second);
                finding.message +=
                    fmt::format("; {} held {} while it {}", to_string(lock.mode),
                                duration_text(seconds), rewritten ? "rewrites" : "scans");
            }
            finding.message += "]";
            const bool large = table->rows > context.options().large_table_rows ||
                               table->bytes > context.options().large_table_bytes;
            // An AccessExclusiveLock an earlier statement of the transaction took on the
            // table is held through this statement's scan too (MS-OPS-03).
            const bool held_exclusive =
                context.in_transaction() &&
                std::find(context.file.holding_access_exclusive.begin(),
                          context.file.holding_access_exclusive.end(),
                          lock.relation) != context.file.holding_access_exclusive.end();
            if ((rewritten || scanned) && large && (held_exclusive || long_hold_hurts(lock.mode)) &&
                finding.severity == Severity::warning) {
                finding.severity = Severity::error;
                finding.message += " (error: a large table)";
            }
            // An analysed, empty table: the lock is brief and nothing is rewritten or read,
            // so the statement cannot hold up production for long (MS-OPS-01 still says
            // that the lock request queues). Breaking changes break whatever the size.
            if (table->rows == 0 && table->bytes < k_empty_table_bytes &&
                finding.severity == Severity::error && !finding.rule.starts_with("MS-BRK")) {
                finding.severity = Severity::warning;
                finding.message += " (warning: the table is empty)";
            }
            break;
        }
    }
}

} // namespace migsafe::plan::detail

namespace migsafe::plan {

double estimated_seconds(const StatementPlan& statement, const model::CatalogFacts& catalog)
{
    double seconds = 0;
    for (const auto& relation : statement.rewrites) {
        if (const auto* table = catalog.table(relation)) {
            seconds += static_cast<double>(table->bytes) / detail::k_rewrite_bytes_per_second;
        }
    }
    for (const auto& relation : statement.scans) {
        if (const auto* table = catalog.table(relation);
            table != nullptr && !detail::contains(statement.rewrites, relation)) {
            seconds += static_cast<double>(table->bytes) / detail::k_scan_bytes_per_second;
        }
    }
    return seconds;
}

} // namespace migsafe::plan
