#include "platform/logging.hpp"

#include <migsafe/platform/transaction.hpp>

namespace migsafe::platform {

Transaction::Transaction(Session& session)
    : m_session(session)
{
    m_session.exec("BEGIN");
}

Transaction::~Transaction()
{
    if (!m_open) {
        return;
    }
    try {
        m_session.exec("ROLLBACK");
    } catch (const std::exception& e) {
        detail::log_warn("rollback failed: {}", e.what());
    }
}

void Transaction::commit()
{
    m_open = false;
    m_session.exec("COMMIT");
}

} // namespace migsafe::platform
