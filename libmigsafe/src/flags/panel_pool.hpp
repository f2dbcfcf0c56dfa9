#pragma once
// The flags panel's database sessions: each request borrows one from a small pool
// (guarded by a mutex) and gives it back, so a page load does not pay a connection.

#include <migsafe/platform/session.hpp>

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace migsafe::flags::detail {

class SessionPool {
public:
    /// Keeps at most `keep` idle sessions to `conninfo`.
    SessionPool(std::string conninfo, std::size_t keep);

    /// A session borrowed for one request: given back to the pool by the destructor,
    /// unless `discard` was called (after an error that may have left it unusable).
    class Lease {
    public:
        Lease(SessionPool& pool, platform::Session session);
        ~Lease();
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        platform::Session& operator*() { return *m_session; }
        platform::Session* operator->() { return &*m_session; }
        void discard() noexcept { m_session.reset(); }

    private:
        SessionPool& m_pool;
        std::optional<platform::Session> m_session;
    };

    /// An idle session, or a new one. Throws the connection errors of `Session::connect`.
    Lease acquire();
    /// Adds an already open session (the one the panel checked the store with).
    void give_back(platform::Session session);

private:
    std::string m_conninfo;
    std::size_t m_keep;
    std::mutex m_mutex;
    std::vector<platform::Session> m_idle;
};

} // namespace migsafe::flags::detail
