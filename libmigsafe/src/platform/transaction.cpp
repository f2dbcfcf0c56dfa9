#include "platform/logging.hpp"
#include "platform/transaction_control.hpp"

#include <migsafe/platform/transaction.hpp>

namespace migsafe::platform {

void begin_transaction(Session& session, TransactionKind kind)
{
    switch (kind) {
    case TransactionKind::read_write:
        session.exec("BEGIN");
        return;
    case TransactionKind::read_only:
        session.exec("BEGIN READ ONLY");
        return;
    case TransactionKind::repeatable_read_read_only:
        session.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        return;
    }
}

void commit_transaction(Session& session)
{
    session.exec("COMMIT");
}

void rollback_transaction(Session& session)
{
    session.exec("ROLLBACK");
}

Transaction::Transaction(Session& session)
    : m_session(session)
{
    begin_transaction(m_session);
}

Transaction::~Transaction()
{
    if (!m_open) {
        return;
    }
    try {
        rollback_transaction(m_session);
    } catch (const std::exception& e) {
        detail::log_warn("rollback failed: {}", e.what());
    }
}

void Transaction::commit()
{
    m_open = false;
    commit_transaction(m_session);
}

} // namespace migsafe::platform
