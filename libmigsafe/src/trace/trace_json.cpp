// TraceReport <-> JSON (docs/trace.md documents the keys).
#include "platform/enum_names.hpp"

#include <migsafe/platform/error.hpp>
#include <migsafe/trace/trace.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <utility>

namespace migsafe::trace {
namespace {

using Json = nlohmann::ordered_json;

constexpr platform::EnumNames<RelationKind, 7> k_kinds{{{
    {RelationKind::table, "table"},
    {RelationKind::partitioned_table, "partitioned_table"},
    {RelationKind::index, "index"},
    {RelationKind::sequence, "sequence"},
    {RelationKind::view, "view"},
    {RelationKind::materialized_view, "materialized_view"},
    {RelationKind::other, "other"},
}}};
static_assert(k_kinds.unique());

Json locks_json(const std::vector<ObservedLock>& locks)
{
    Json out = Json::array();
    for (const auto& lock : locks) {
        out.push_back({{"relation", lock.relation},
                       {"mode", plan::to_string(lock.mode)},
                       {"kind", to_string(lock.kind)}});
    }
    return out;
}

Json inherits_json(const std::vector<InheritanceLink>& links)
{
    Json out = Json::array();
    for (const auto& link : links) {
        out.push_back({{"child", link.child}, {"parent", link.parent}});
    }
    return out;
}

std::vector<InheritanceLink> inherits_from(const Json& item)
{
    std::vector<InheritanceLink> links;
    for (const auto& link : item.value("inherits", Json::array())) {
        links.push_back({.child = link.at("child").get<std::string>(),
                         .parent = link.at("parent").get<std::string>()});
    }
    return links;
}

[[noreturn]] void malformed(const std::string& why)
{
    throw Error("trace-report-malformed", "the trace report is not valid: " + why);
}

std::vector<ObservedLock> locks_from(const Json& json)
{
    std::vector<ObservedLock> locks;
    for (const auto& item : json) {
        const auto mode = plan::parse_lock_mode(item.at("mode").get<std::string>());
        const auto kind = item.at("kind").get<std::string>();
        const auto known = k_kinds.value(kind);
        if (!mode || !known) {
            malformed("unknown lock mode or relation kind");
        }
        locks.push_back(
            {.relation = item.at("relation").get<std::string>(), .mode = *mode, .kind = *known});
    }
    return locks;
}

} // namespace

std::string_view to_string(RelationKind kind) noexcept
{
    return k_kinds.name(kind);
}

std::string TraceReport::to_json() const
{
    Json statements_json = Json::array();
    for (const auto& statement : statements) {
        statements_json.push_back({{"file", statement.file},
                                   {"line", statement.line},
                                   {"column", statement.column},
                                   {"sql", statement.sql},
                                   {"traced", statement.traced},
                                   {"reason", statement.reason},
                                   {"locks", locks_json(statement.locks)},
                                   {"held_before", locks_json(statement.held_before)},
                                   {"rewrites", statement.rewrites},
                                   {"scans", statement.scans},
                                   {"rebuilt_indexes", statement.rebuilt_indexes},
                                   {"inherits", inherits_json(statement.inherits)},
                                   {"empty", statement.empty}});
    }
    const Json out = {{"schema_version", k_schema_version},
                      {"server_version", server_version},
                      {"compared", compared},
                      {"agreed", agreed},
                      {"disagreements", disagreements},
                      {"statements", statements_json},
                      {"static_plan", Json::parse(static_plan.to_json())},
                      {"observed", Json::parse(observed.to_json())}};
    // Relation names come from the catalog: a byte that is not UTF-8 becomes U+FFFD.
    return out.dump(2, ' ', false, Json::error_handler_t::replace);
}

TraceReport TraceReport::from_json(std::string_view json)
{
    try {
        const Json doc = Json::parse(json);
        if (doc.at("schema_version").get<int>() != k_schema_version) {
            malformed("unknown schema_version " + doc.at("schema_version").dump());
        }
        TraceReport report;
        report.server_version = doc.at("server_version").get<int>();
        report.compared = doc.at("compared").get<int>();
        report.agreed = doc.at("agreed").get<int>();
        report.disagreements = doc.at("disagreements").get<std::vector<std::string>>();
        for (const auto& item : doc.at("statements")) {
            report.statements.push_back(
                {.file = item.at("file").get<std::string>(),
                 .line = item.at("line").get<int>(),
                 .column = item.at("column").get<int>(),
                 .sql = item.at("sql").get<std::string>(),
                 .traced = item.at("traced").get<bool>(),
                 .reason = item.at("reason").get<std::string>(),
                 .locks = locks_from(item.at("locks")),
                 .held_before = locks_from(item.at("held_before")),
                 .rewrites = item.at("rewrites").get<std::vector<std::string>>(),
                 .scans = item.at("scans").get<std::vector<std::string>>(),
                 .rebuilt_indexes =
                     item.value("rebuilt_indexes", Json::array()).get<std::vector<std::string>>(),
                 .inherits = inherits_from(item),
                 .empty = item.value("empty", Json::array()).get<std::vector<std::string>>()});
        }
        report.static_plan = plan::PlanReport::from_json(doc.at("static_plan").dump());
        report.observed = plan::PlanReport::from_json(doc.at("observed").dump());
        return report;
    } catch (const nlohmann::json::exception& error) {
        malformed(error.what());
    }
}

} // namespace migsafe::trace
