// The catalog reads of the apply runner, in the runner's words (the SQL is in
// platform/catalog/apply_queries.cpp and index_queries.cpp).
#include "platform/catalog/apply_queries.hpp"
#include "platform/catalog/index_queries.hpp"
#include "workflow/apply_internal.hpp"

#include <migsafe/platform/identifier.hpp>

#include <fmt/format.h>

namespace migsafe::workflow::detail {
namespace catalog = platform::catalog;

namespace {

// Relations are matched by (schema, name), never by a dotted string: `x."y.z"` and
// `"x.y".z` would read the same. `qualified` is a display form (platform::qualified_name).
std::string schema_of(const std::string& qualified)
{
    return model::RelationName::from_qualified(qualified).schema;
}

std::string name_of(const std::string& qualified)
{
    return model::RelationName::from_qualified(qualified).name;
}

} // namespace

std::vector<std::string> lock_holders(platform::Session& monitor,
                                      const std::set<std::string>& relations, int exclude_pid)
{
    // The holder's query text is left out on purpose: it may carry secrets.
    std::vector<std::string> out;
    for (const auto& holder : catalog::relation_lock_holders(monitor, relations, exclude_pid)) {
        out.push_back(fmt::format(
            "pid {} (user {}, application '{}', from {}, {}{}) holds {} on {}", holder.session.pid,
            holder.session.user, holder.session.application, holder.session.client, holder.state,
            holder.transaction_age.empty()
                ? ""
                : ", transaction open for " + holder.transaction_age + " s",
            holder.mode, holder.relation));
    }
    return out;
}

std::map<std::string, std::string> invalid_indexes(platform::Session& session,
                                                   const std::string& table)
{
    std::map<std::string, std::string> out;
    for (const auto& index : catalog::invalid_indexes(
             session, {.table = std::pair(schema_of(table), name_of(table))})) {
        out.emplace(index.index_schema + "." + index.index_name,
                    platform::qualified_name(index.index_schema, index.index_name));
    }
    return out;
}

std::optional<bool> index_valid(platform::Session& session, const std::string& qualified)
{
    return catalog::index_validity(session, schema_of(qualified), name_of(qualified));
}

std::vector<std::string> interrupted_backends(platform::Session& session,
                                              const std::vector<int>& exclude_pids)
{
    // Sessions named like this run's main session that still run a statement while this
    // run holds the runner lock: the server side of a killed run (a runner waiting for
    // the lock runs nothing on its main session). Their query text is left out on
    // purpose: it may carry secrets.
    std::vector<std::string> out;
    for (const auto& backend :
         catalog::active_backends_named(session, k_application_name, exclude_pids)) {
        out.push_back(fmt::format("pid {} (its statement started {} s ago)", backend.pid,
                                  backend.running_for));
    }
    return out;
}

std::set<std::string> existing_objects(platform::Session& session,
                                       const std::set<std::string>& names)
{
    std::set<std::string> out;
    for (const auto& [schema, name] : catalog::existing_objects(session, names)) {
        out.insert(platform::qualified_name(schema, name));
    }
    return out;
}

} // namespace migsafe::workflow::detail
