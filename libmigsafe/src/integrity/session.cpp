#include "integrity/session.hpp"

#include "platform/catalog/integrity_queries.hpp"
#include "platform/catalog/timeouts.hpp"

#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

namespace migsafe::integrity::detail {

namespace catalog = platform::catalog;

platform::Session open_read_session(const std::string& conninfo,
                                    const std::optional<std::string>& snapshot_id,
                                    std::chrono::milliseconds lock_timeout)
{
    return open_read_session(platform::ConnInfo::parse(conninfo), snapshot_id, lock_timeout);
}

platform::Session open_read_session(const platform::ConnInfo& conninfo,
                                    const std::optional<std::string>& snapshot_id,
                                    std::chrono::milliseconds lock_timeout)
{
    auto conn = platform::Session::connect(conninfo, {.application_name = "migsafe verify"});
    // Settings first: SET TRANSACTION SNAPSHOT must be the transaction's first statement.
    catalog::pin_output_settings(conn);
    // Positive (checked by the caller): zero would mean waiting forever.
    catalog::set_timeouts(conn, catalog::SettingScope::session, lock_timeout, std::nullopt);
    catalog::begin_snapshot_transaction(conn);
    if (snapshot_id) {
        catalog::import_snapshot(conn, *snapshot_id);
    }
    return conn;
}

void check_lock_timeout(std::chrono::milliseconds lock_timeout)
{
    if (lock_timeout.count() <= 0) {
        throw Error("usage-invalid-option",
                    fmt::format("--lock-timeout must be positive, got {} ms: a scan must never "
                                "wait forever behind another session's lock",
                                lock_timeout.count()),
                    {.object = "--lock-timeout"});
    }
}

} // namespace migsafe::integrity::detail
