#pragma once
// Session settings migsafe sets for itself, apart from the timeouts (timeouts.hpp).

#include <migsafe/platform/session.hpp>

#include <chrono>

namespace migsafe::platform::catalog {

/// `RESET ALL`: every setting back to its default (what a migration SET goes away).
void reset_session_settings(Session& conn);

/// `client_connection_check_interval` (PostgreSQL 14+): the server process stops its
/// statement within `interval` once the client is gone.
void check_client_connection_every(Session& conn, std::chrono::milliseconds interval);

} // namespace migsafe::platform::catalog
