#pragma once
// The SQL of session-level advisory locks (the apply runner's lock): take, release, check,
// and who holds one.

#include "platform/catalog/session_description.hpp"

#include <migsafe/platform/session.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace migsafe::platform::catalog {

/// `pg_try_advisory_lock(key)`: true when this session now holds the lock.
bool try_advisory_lock(Session& conn, std::int64_t key);

/// `pg_advisory_unlock(key)`.
void advisory_unlock(Session& conn, std::int64_t key);

/// Whether this session holds the advisory lock `key` (it is lost with the connection).
bool holds_advisory_lock(Session& conn, std::int64_t key);

/// The session holding the advisory lock `key` in the current database.
std::optional<SessionDescription> advisory_lock_holder(Session& conn, std::int64_t key);

} // namespace migsafe::platform::catalog
