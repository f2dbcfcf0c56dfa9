#include "integrity/session.hpp"

#include "platform/catalog/integrity_queries.hpp"

namespace migsafe::integrity::detail {

namespace catalog = platform::catalog;

platform::Session open_read_session(const std::string& conninfo,
                                    const std::optional<std::string>& snapshot_id)
{
    auto conn = platform::Session::connect(conninfo, {.application_name = "migsafe verify"});
    // Settings first: SET TRANSACTION SNAPSHOT must be the transaction's first statement.
    catalog::pin_output_settings(conn);
    catalog::begin_snapshot_transaction(conn);
    if (snapshot_id) {
        catalog::import_snapshot(conn, *snapshot_id);
    }
    return conn;
}

} // namespace migsafe::integrity::detail
