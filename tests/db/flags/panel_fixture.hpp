#pragma once
// A flags panel served from a thread of the test binary on 127.0.0.1 (any free port), over
// the test case's own database, and an HTTP client for it (cpp-httplib's, a real socket).

#include "support/test_db.hpp"

#include <migsafe/flags/panel.hpp>
#include <migsafe/flags/store.hpp>

#include <memory>
#include <string>
#include <thread>

#include <httplib.h>

namespace migsafe::test {

inline constexpr const char* k_panel_token = "test-token-0123456789abcdef";

class PanelServer {
public:
    explicit PanelServer(const TestDatabase& db)
        : m_panel(std::make_unique<flags::Panel>(flags::PanelOptions{
              .conninfo = db.conninfo(), .listen = "127.0.0.1:0", .token = k_panel_token}))
        , m_thread([this] { m_panel->run(); })
    {
    }
    ~PanelServer()
    {
        m_panel->stop();
        m_thread.join();
    }
    PanelServer(const PanelServer&) = delete;
    PanelServer& operator=(const PanelServer&) = delete;

    int port() const { return m_panel->port(); }
    std::string host() const { return "127.0.0.1:" + std::to_string(port()); }

    /// A client; `token` empty sends no Authorization header.
    httplib::Client client(const std::string& token = k_panel_token) const
    {
        httplib::Client client("127.0.0.1", port());
        client.set_connection_timeout(5);
        client.set_read_timeout(10);
        if (!token.empty()) {
            client.set_default_headers({{"Authorization", "Bearer " + token}});
        }
        return client;
    }

private:
    std::unique_ptr<flags::Panel> m_panel;
    std::thread m_thread;
};

/// A flag `key` owned by `team`, as the CLI would create it.
inline flags::Flag create_test_flag(platform::Session& session, const std::string& key)
{
    return flags::create_flag(session,
                              {.key = key,
                               .description = "new checkout",
                               .owner = "team-checkout",
                               .kind = flags::Kind::cut_over,
                               .criteria = "error rate below 0.1 % for a week"},
                              {.actor = "test", .reason = "created by the test"});
}

} // namespace migsafe::test
