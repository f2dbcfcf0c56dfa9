// Localising a difference from a saved report: the two reports' range hashes, compared
// range by range when both were taken with the same bounds; then, for people, the keys
// the live database holds in each differing range.
#include "integrity/session.hpp"
#include "platform/catalog/integrity_queries.hpp"

#include <migsafe/integrity/compare.hpp>

#include <map>

namespace migsafe::integrity {
namespace {

namespace catalog = platform::catalog;

TableLocalisation not_localised(const TableReport& table, std::string reason)
{
    return {.table = table.qualified_name(),
            .localised = false,
            .reason = std::move(reason),
            .key_columns = table.key_columns,
            .against_baseline = true};
}

TableLocalisation localise_table(const TableReport& want, const TableReport& got)
{
    if (want.key_columns.empty()) {
        return not_localised(want, "no primary key");
    }
    if (want.key_columns != got.key_columns) {
        return not_localised(want, "primary keys differ");
    }
    if (want.columns != got.columns) {
        return not_localised(want, "columns differ");
    }
    if (!want.ranges) {
        return not_localised(want, want.key_columns.size() == 1
                                       ? "the baseline has no range hashes for this table "
                                         "(saved by an older migsafe, without range hashes, or "
                                         "the key is not an integer column)"
                                       : "range hashes need a one-column integer key");
    }
    if (!got.ranges || got.ranges->bounds != want.ranges->bounds) {
        return not_localised(want, "the current scan's range bounds differ from the baseline's");
    }
    TableLocalisation out{.table = want.qualified_name(),
                          .localised = true,
                          .key_columns = want.key_columns,
                          .against_baseline = true};
    const auto& bounds = want.ranges->bounds;
    for (std::size_t i = 0; i < want.ranges->checksums.size(); ++i) {
        const auto& a = want.ranges->checksums[i];
        const auto& b = got.ranges->checksums.at(i);
        if (a == b) {
            continue;
        }
        DifferingRange range{.rows_a = a.rows, .rows_b = b.rows};
        if (i > 0) {
            range.lower = KeyValue{bounds[i - 1]};
        }
        if (i < bounds.size()) {
            range.upper = KeyValue{bounds[i]};
        }
        out.ranges.push_back(std::move(range));
    }
    return out;
}

} // namespace

std::vector<TableLocalisation> localise(const IntegrityReport& baseline,
                                        const IntegrityReport& current)
{
    std::map<std::string, const TableReport*> now;
    for (const auto& table : current.tables) {
        now.emplace(table.qualified_name(), &table);
    }
    std::vector<TableLocalisation> out;
    for (const auto& want : baseline.tables) {
        auto found = now.find(want.qualified_name());
        if (found == now.end() || found->second->checksum == want.checksum ||
            want.kind == TableKind::partitioned) {
            continue;
        }
        out.push_back(localise_table(want, *found->second));
    }
    return out;
}

void add_live_keys(const std::string& conninfo, std::vector<TableLocalisation>& tables,
                   std::size_t max_rows, std::chrono::milliseconds lock_timeout)
{
    bool any = false;
    for (const auto& table : tables) {
        any = any || (table.localised && !table.ranges.empty());
    }
    if (!any) {
        return;
    }
    auto conn = detail::open_read_session(conninfo, std::nullopt, lock_timeout);
    std::map<std::string, catalog::RelationInfo> relations;
    for (auto& rel : catalog::list_relations(conn)) {
        relations.emplace(qualified_name(rel.schema, rel.name), std::move(rel));
    }
    for (auto& table : tables) {
        auto rel = relations.find(table.table);
        if (!table.localised || rel == relations.end() ||
            rel->second.key_columns != table.key_columns) {
            continue;
        }
        std::size_t listed = 0;
        for (auto& range : table.ranges) {
            if (listed >= max_rows) {
                table.truncated = true;
                break;
            }
            // One more than room is left: whether the range held more is worth saying.
            auto keys = catalog::keys_in_range(conn, rel->second, {range.lower, range.upper},
                                               max_rows - listed + 1);
            if (keys.size() > max_rows - listed) {
                keys.resize(max_rows - listed);
                table.truncated = true;
            }
            listed += keys.size();
            range.live_keys = std::move(keys);
        }
    }
    catalog::end_transaction(conn);
}

} // namespace migsafe::integrity
