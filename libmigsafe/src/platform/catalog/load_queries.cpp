// SQL of the server-load sample (load_queries.hpp).
#include "platform/catalog/load_queries.hpp"

#include <string>

namespace migsafe::platform::catalog {
namespace {

int count_of(const Value& value)
{
    return value ? std::stoi(*value) : 0;
}

} // namespace

SessionLoad session_load(Session& session)
{
    // Without superuser or pg_read_all_stats, another role's session shows a NULL state and
    // this fixed query text (it is not translated): counted as hidden, not as idle.
    const auto result = session.query(
        "SELECT count(*) FILTER (WHERE a.state = 'active'), "
        "count(*) FILTER (WHERE a.state = 'active' AND a.wait_event_type = 'Lock'), "
        "count(*) FILTER (WHERE a.state IS NULL AND a.query = '<insufficient privilege>') "
        "FROM pg_catalog.pg_stat_activity a "
        "WHERE a.pid <> pg_catalog.pg_backend_pid() "
        "AND (a.backend_type = 'client backend' OR a.backend_type IS NULL)");
    const auto& row = result.rows.at(0);
    return {.active = count_of(row[0]), .waiting = count_of(row[1]), .hidden = count_of(row[2])};
}

} // namespace migsafe::platform::catalog
