#pragma once
// The SQL of the server-load sample that paces batched backfills (backfill/duty_cycle):
// one read of pg_stat_activity, no query texts.

#include <migsafe/platform/session.hpp>

namespace migsafe::platform::catalog {

/// Client sessions of the whole server other than `session`'s own.
struct SessionLoad {
    int active = 0;  ///< running a statement (state `active`)
    int waiting = 0; ///< of those, waiting for a lock (wait_event_type `Lock`)
    int hidden = 0;  ///< of other roles, whose state this role may not read
};

/// One sample. Outside a transaction it is fresh each time (pg_stat_activity is a
/// snapshot taken once per transaction).
SessionLoad session_load(Session& session);

} // namespace migsafe::platform::catalog
