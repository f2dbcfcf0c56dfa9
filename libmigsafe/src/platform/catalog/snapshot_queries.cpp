// The SQL of the snapshot engine.
#include "platform/catalog/snapshot_queries.hpp"

#include "platform/catalog/integrity_queries.hpp"
#include "platform/catalog/timeouts.hpp"
#include "platform/catalog/user_schemas.hpp"

#include <migsafe/platform/error.hpp>
#include <migsafe/platform/identifier.hpp>
#include <migsafe/platform/transaction.hpp>

#include <fmt/format.h>

#include <charconv>

namespace migsafe::platform::catalog {
namespace {

const std::string k_user_namespace(k_user_schemas_predicate);

} // namespace

SourceFacts source_facts(Session& conn)
{
    auto facts = server_facts(conn);
    SourceFacts out{.database = facts.database, .server_version = facts.version};
    try {
        auto rows =
            conn.query("SELECT system_identifier::text FROM pg_catalog.pg_control_system()").rows;
        out.system_identifier = rows.at(0).at(0).value_or("");
    } catch (const Error&) {
        // Not granted to this role: the manifest simply has no system identifier.
    }
    return out;
}

std::string hold_exported_snapshot(Session& conn)
{
    pin_output_settings(conn);
    begin_snapshot_transaction(conn);
    return export_snapshot(conn);
}

std::int64_t count_user_objects(Session& conn)
{
    std::string user = k_user_namespace;
    auto rows =
        conn.query("SELECT (SELECT pg_catalog.count(*) FROM pg_catalog.pg_namespace n WHERE " +
                   user +
                   " AND n.nspname <> 'public')"
                   " + (SELECT pg_catalog.count(*) FROM pg_catalog.pg_class c JOIN "
                   "pg_catalog.pg_namespace n"
                   " ON n.oid = c.relnamespace WHERE " +
                   user +
                   ")"
                   " + (SELECT pg_catalog.count(*) FROM pg_catalog.pg_proc p JOIN "
                   "pg_catalog.pg_namespace n"
                   " ON n.oid = p.pronamespace WHERE " +
                   user +
                   ")"
                   " + (SELECT pg_catalog.count(*) FROM pg_catalog.pg_type t JOIN "
                   "pg_catalog.pg_namespace n"
                   " ON n.oid = t.typnamespace WHERE " +
                   user + " AND t.typtype IN ('e', 'd', 'r'))")
            .rows;
    std::string text = rows.at(0).at(0).value_or("0");
    std::int64_t count = 0;
    std::from_chars(text.data(), text.data() + text.size(), count);
    return count;
}

void wait_for_writers(Session& conn, const std::string& schema, const std::string& name,
                      std::chrono::milliseconds wait)
{
    Transaction transaction(conn);
    set_timeouts(conn, SettingScope::transaction, wait, std::nullopt);
    conn.exec(fmt::format("LOCK TABLE {} IN SHARE MODE", qualified_name(schema, name)));
    transaction.commit();
}

} // namespace migsafe::platform::catalog
