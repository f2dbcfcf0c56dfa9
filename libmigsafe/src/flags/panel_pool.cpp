// The flags panel's session pool (panel_pool.hpp).
#include "flags/panel_pool.hpp"

#include <utility>

namespace migsafe::flags::detail {

SessionPool::SessionPool(std::string conninfo, std::size_t keep)
    : m_conninfo(std::move(conninfo))
    , m_keep(keep)
{
}

SessionPool::Lease::Lease(SessionPool& pool, platform::Session session)
    : m_pool(pool)
    , m_session(std::move(session))
{
}

SessionPool::Lease::~Lease()
{
    if (m_session) {
        m_pool.give_back(std::move(*m_session));
    }
}

SessionPool::Lease SessionPool::acquire()
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_idle.empty()) {
            auto session = std::move(m_idle.back());
            m_idle.pop_back();
            return Lease(*this, std::move(session));
        }
    }
    // Connect outside the lock: a slow server must not hold up requests that find an
    // idle session.
    return Lease(
        *this, platform::Session::connect(m_conninfo, {.application_name = "migsafe flag serve"}));
}

void SessionPool::give_back(platform::Session session)
{
    std::lock_guard lock(m_mutex);
    if (m_idle.size() < m_keep) {
        m_idle.push_back(std::move(session));
    }
    // Else the session closes here, as it goes out of scope.
}

} // namespace migsafe::flags::detail
