// Comparing two databases: two scans, a report diff, then bisection of each table whose
// checksums differ.
#include "integrity/bisect.hpp"
#include "integrity/session.hpp"
#include "platform/catalog/integrity_queries.hpp"
#include "platform/enum_names.hpp"
#include "platform/logging.hpp"

#include <migsafe/integrity/compare.hpp>

#include <nlohmann/json.hpp>

#include <map>

namespace migsafe::integrity {
namespace {

namespace catalog = platform::catalog;
using RelationMap = std::map<std::string, catalog::RelationInfo>;

RelationMap relations_by_name(platform::Session& conn)
{
    RelationMap out;
    for (auto& rel : catalog::list_relations(conn)) {
        out.emplace(qualified_name(rel.schema, rel.name), std::move(rel));
    }
    return out;
}

TableLocalisation not_localisable(const std::string& table, std::string reason)
{
    return {.table = table, .localised = false, .reason = std::move(reason)};
}

nlohmann::json key_json(const std::optional<KeyValue>& key)
{
    return key ? nlohmann::json(*key) : nlohmann::json(nullptr);
}

} // namespace

constexpr platform::EnumNames<RowChange, 3> k_row_change_names{
    {{{RowChange::only_in_a, "only-in-a"},
      {RowChange::only_in_b, "only-in-b"},
      {RowChange::changed, "changed"}}}};
static_assert(k_row_change_names.unique());

std::string_view to_string(RowChange change) noexcept
{
    return k_row_change_names.name(change);
}

Comparison compare_databases(const std::string& conninfo_a, const std::string& conninfo_b,
                             const CompareOptions& options)
{
    Comparison result;
    result.a = scan(conninfo_a, options.scan);
    result.b = scan(conninfo_b, options.scan);
    result.differences = diff(result.a, result.b);

    std::map<std::string, const TableReport*> in_b;
    for (const auto& table : result.b.tables) {
        in_b.emplace(table.qualified_name(), &table);
    }
    std::vector<const TableReport*> differing;
    for (const auto& table : result.a.tables) {
        auto found = in_b.find(table.qualified_name());
        const TableReport* other = found == in_b.end() ? nullptr : found->second;
        // A partitioned table is localised through its partitions.
        if (other != nullptr && other->checksum != table.checksum &&
            table.kind != TableKind::partitioned) {
            differing.push_back(&table);
        }
    }
    if (differing.empty()) {
        return result;
    }
    auto a = detail::open_read_session(conninfo_a, std::nullopt, options.scan.lock_timeout);
    auto b = detail::open_read_session(conninfo_b, std::nullopt, options.scan.lock_timeout);
    RelationMap rels_a = relations_by_name(a);
    RelationMap rels_b = relations_by_name(b);
    for (const TableReport* table : differing) {
        std::string name = table->qualified_name();
        auto rel_a = rels_a.find(name);
        auto rel_b = rels_b.find(name);
        if (rel_a == rels_a.end() || rel_b == rels_b.end()) {
            result.tables.push_back(not_localisable(name, "table changed during the comparison"));
        } else if (rel_a->second.key_columns.empty()) {
            result.tables.push_back(not_localisable(name, "no primary key"));
        } else if (rel_a->second.key_columns != rel_b->second.key_columns) {
            result.tables.push_back(not_localisable(name, "primary keys differ"));
        } else if (rel_a->second.columns != rel_b->second.columns) {
            result.tables.push_back(not_localisable(name, "columns differ"));
        } else {
            migsafe::detail::log_info("verify: bisecting {}", name);
            result.tables.push_back(
                detail::bisect_table(a, b, rel_a->second, rel_b->second, options));
        }
    }
    catalog::end_transaction(a);
    catalog::end_transaction(b);
    return result;
}

std::string Comparison::to_json(int indent) const
{
    using nlohmann::json;
    json doc;
    doc["schema_version"] = IntegrityReport::k_schema_version;
    doc["equal"] = equal();
    doc["a"] = json::parse(a.to_json(-1));
    doc["b"] = json::parse(b.to_json(-1));
    doc["differences"] = json::parse(differences_to_json(differences, -1));
    doc["localisations"] = json::parse(localisations_to_json(tables, -1));
    return doc.dump(indent);
}

std::string localisations_to_json(const std::vector<TableLocalisation>& tables, int indent)
{
    using nlohmann::json;
    json out = json::array();
    for (const auto& t : tables) {
        json ranges = json::array();
        for (const auto& r : t.ranges) {
            ranges.push_back({{"lower", key_json(r.lower)},
                              {"upper", key_json(r.upper)},
                              {"rows_a", r.rows_a},
                              {"rows_b", r.rows_b},
                              {"live_keys", r.live_keys}});
        }
        json rows = json::array();
        for (const auto& r : t.rows) {
            rows.push_back({{"key", r.key}, {"change", to_string(r.change)}});
        }
        out.push_back({{"table", t.table},
                       {"localised", t.localised},
                       {"reason", t.reason},
                       {"key_columns", t.key_columns},
                       {"against_baseline", t.against_baseline},
                       {"ranges", ranges},
                       {"rows", rows},
                       {"truncated", t.truncated}});
    }
    return out.dump(indent, ' ', false, json::error_handler_t::replace);
}

} // namespace migsafe::integrity
