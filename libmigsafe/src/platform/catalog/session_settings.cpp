// The SQL of migsafe's own session settings.
#include "platform/catalog/session_settings.hpp"

#include <fmt/format.h>

namespace migsafe::platform::catalog {

void reset_session_settings(Session& conn)
{
    conn.exec("RESET ALL");
}

void check_client_connection_every(Session& conn, std::chrono::milliseconds interval)
{
    // An integer only: no parameter can follow SET.
    conn.exec(fmt::format("SET client_connection_check_interval = {}", interval.count()));
}

} // namespace migsafe::platform::catalog
