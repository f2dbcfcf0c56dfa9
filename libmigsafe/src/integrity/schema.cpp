// Reading the schema fingerprint (docs/integrity.md, "The schema fingerprint"). The SQL is in
// platform/catalog/schema_queries.cpp; this file opens the session and orders the result.
#include "integrity/schema_order.hpp"
#include "integrity/session.hpp"
#include "platform/catalog/integrity_queries.hpp"
#include "platform/catalog/schema_queries.hpp"

#include <migsafe/integrity/schema.hpp>
#include <migsafe/platform/error.hpp>

#include <algorithm>

namespace migsafe::integrity {

namespace catalog = platform::catalog;

SchemaFingerprint read_schema(const std::string& conninfo, const SchemaOptions& options)
{
    detail::check_lock_timeout(options.lock_timeout);
    auto session = platform::Session::connect(conninfo, {.application_name = "migsafe schema"});
    return read_schema(session, options);
}

SchemaFingerprint read_schema(platform::Session& session, const SchemaOptions& options)
{
    detail::check_lock_timeout(options.lock_timeout);
    // The output settings are pinned (and search_path emptied) because defaults, view and
    // function definitions print constants and names through them: two databases built
    // alike must read alike whatever their role's settings. They last as long as the
    // transaction, so the caller's session is left as it was. One REPEATABLE READ snapshot
    // reads every catalog as of one moment; the pg_get_*def functions read the latest
    // catalog instead, which only matters while DDL runs concurrently.
    catalog::begin_snapshot_transaction(session);
    std::vector<catalog::SchemaObjectRow> rows;
    try {
        catalog::pin_output_settings_local(session, options.lock_timeout);
        rows = catalog::read_schema_objects(session, options.exclude_schemas);
    } catch (...) {
        // COMMIT ends a failed transaction as a ROLLBACK would (it only read).
        try {
            catalog::end_transaction(session);
        } catch (const Error&) {
            // the session broke: its owner sees that on its next statement
        }
        throw;
    }
    catalog::end_transaction(session);

    SchemaFingerprint fingerprint;
    fingerprint.objects.reserve(rows.size());
    for (auto& row : rows) {
        fingerprint.objects.push_back({.kind = std::move(row.kind),
                                       .name = std::move(row.name),
                                       .attributes = std::move(row.attributes)});
    }
    std::sort(fingerprint.objects.begin(), fingerprint.objects.end(), detail::schema_object_before);
    return fingerprint;
}

const SchemaObject* SchemaFingerprint::find(std::string_view kind, std::string_view name) const
{
    auto it = std::find_if(objects.begin(), objects.end(), [&](const SchemaObject& object) {
        return object.kind == kind && object.name == name;
    });
    return it == objects.end() ? nullptr : &*it;
}

} // namespace migsafe::integrity
