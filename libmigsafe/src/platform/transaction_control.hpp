#pragma once
// The one place BEGIN, COMMIT and ROLLBACK are written. platform::Transaction (RAII) is
// the usual way; these are for a transaction that outlives one scope (a snapshot held
// across calls, a trace that runs the migration's own transaction control) or that a
// caller always rolls back.

#include <migsafe/platform/session.hpp>

namespace migsafe::platform {

/// What kind of transaction `begin_transaction` opens.
enum class TransactionKind {
    read_write, ///< `BEGIN`
    read_only,  ///< `BEGIN READ ONLY`
    /// `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`: one snapshot for every read.
    repeatable_read_read_only,
};

void begin_transaction(Session& session, TransactionKind kind = TransactionKind::read_write);
void commit_transaction(Session& session);
void rollback_transaction(Session& session);

} // namespace migsafe::platform
