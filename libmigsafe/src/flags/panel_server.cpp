// The flags panel's HTTP server (panel.hpp): cpp-httplib's routes for the page and the
// API, the access rules in front of every /api/ request, and the security headers.
#include "flags/panel_api.hpp"
#include "flags/panel_assets.hpp"
#include "flags/panel_auth.hpp"
#include "flags/panel_pool.hpp"
#include "platform/logging.hpp"

#include <migsafe/flags/panel.hpp>
#include <migsafe/flags/store.hpp>
#include <migsafe/platform/error.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <sys/socket.h>

#include <atomic>
#include <utility>

#include <httplib.h>

namespace migsafe::flags {
namespace {

constexpr std::size_t k_max_body = std::size_t{64} * 1024;

/// What a browser may do with the page: its own scripts and styles, requests to itself
/// only, no frames, no forms posted anywhere.
const httplib::Headers& security_headers()
{
    static const httplib::Headers headers{
        {"Content-Security-Policy",
         "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
         "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"},
        {"X-Content-Type-Options", "nosniff"},
        {"X-Frame-Options", "DENY"},
        {"Referrer-Policy", "no-referrer"},
        {"Cache-Control", "no-store"},
    };
    return headers;
}

void reply(httplib::Response& res, const detail::ApiResponse& response)
{
    res.status = response.status;
    res.set_content(response.body, "application/json; charset=utf-8");
}

void refuse(httplib::Response& res, int status, std::string_view code, std::string_view message)
{
    const nlohmann::json body{{"error", {{"code", code}, {"message", message}, {"hint", ""}}}};
    reply(res, {.status = status, .body = body.dump()});
}

std::string_view content_type_of(std::string_view name)
{
    if (name.ends_with(".html")) {
        return "text/html; charset=utf-8";
    }
    if (name.ends_with(".js")) {
        return "text/javascript; charset=utf-8";
    }
    return "text/css; charset=utf-8";
}

} // namespace

struct Panel::State {
    PanelOptions options;
    ListenAddress address;
    int port = 0;
    detail::SessionPool pool;
    detail::PanelApi api;
    httplib::Server server;
    std::atomic<bool> stop_requested{false};

    explicit State(PanelOptions opts)
        : options(std::move(opts))
        , address(parse_listen_address(options.listen, options.allow_remote))
        , pool(options.conninfo, static_cast<std::size_t>(std::max(options.pool_size, 1)))
        , api(pool, options.default_env)
    {
    }

    /// Every /api/ request: the bearer token (401), then for writes the content type (415)
    /// and the origin (403). Nothing is read or changed before these pass.
    httplib::Server::HandlerResponse guard(const httplib::Request& req, httplib::Response& res)
    {
        if (req.path.rfind("/api/", 0) != 0) {
            return httplib::Server::HandlerResponse::Unhandled;
        }
        if (!detail::authorized(req.get_header_value("Authorization"), options.token)) {
            res.set_header("WWW-Authenticate", "Bearer realm=\"migsafe flags panel\"");
            refuse(res, 401, "panel-unauthorized",
                   "this request needs the panel's token as `Authorization: Bearer TOKEN`; "
                   "nothing was read or changed");
            return httplib::Server::HandlerResponse::Handled;
        }
        if (req.method != "GET" && req.method != "HEAD") {
            if (!detail::is_json_content_type(req.get_header_value("Content-Type"))) {
                refuse(res, 415, "panel-content-type",
                       "a write needs `Content-Type: application/json`; nothing was changed");
                return httplib::Server::HandlerResponse::Handled;
            }
            if (!detail::same_origin(req.get_header_value("Origin"),
                                     req.get_header_value("Host"))) {
                refuse(res, 403, "panel-cross-origin",
                       fmt::format("a write from origin {} to this panel is refused; "
                                   "nothing was changed",
                                   req.get_header_value("Origin")));
                return httplib::Server::HandlerResponse::Handled;
            }
        }
        return httplib::Server::HandlerResponse::Unhandled;
    }

    void routes()
    {
        // cpp-httplib sets SO_REUSEPORT, which lets a second process listen on the same
        // port and take part of the requests: only SO_REUSEADDR here (a restart may reuse
        // a port in TIME_WAIT), so an address in use is panel-listen-failed.
        server.set_socket_options([](socket_t sock) {
            int yes = 1;
            ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
        });
        server.set_default_headers(security_headers());
        server.set_payload_max_length(k_max_body);
        server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
            return guard(req, res);
        });

        for (const auto& asset : detail::panel_assets()) {
            const auto path =
                asset.name == "index.html" ? std::string("/") : "/" + std::string(asset.name);
            server.Get(path, [&asset](const httplib::Request&, httplib::Response& res) {
                res.set_content(asset.text.data(), asset.text.size(),
                                std::string(content_type_of(asset.name)).c_str());
            });
        }
        server.Get("/api/flags", [this](const httplib::Request& req, httplib::Response& res) {
            reply(res, api.list_flags(req.get_param_value("env")));
        });
        server.Get("/api/events", [this](const httplib::Request& req, httplib::Response& res) {
            reply(res, api.events(req.get_param_value("key"), req.get_param_value("env"),
                                  req.get_param_value("limit")));
        });
        server.Post(R"(/api/flags/([a-z0-9][a-z0-9._-]*)/(enable|disable|kill|rollout))",
                    [this](const httplib::Request& req, httplib::Response& res) {
                        const std::string key = req.matches[1];
                        const std::string action = req.matches[2];
                        const auto response = api.change(key, action, req.body);
                        migsafe::detail::log_info("panel: {} {} from {}: HTTP {}", action, key,
                                                  req.remote_addr, response.status);
                        reply(res, response);
                    });
        server.Post("/api/eval", [this](const httplib::Request& req, httplib::Response& res) {
            reply(res, api.evaluate(req.body));
        });
        server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
            if (req.path.rfind("/api/", 0) == 0 && res.body.empty()) {
                refuse(res, res.status, "panel-not-found",
                       fmt::format("no API route {} {}", req.method, req.path));
            }
        });
        server.set_exception_handler(
            [](const httplib::Request&, httplib::Response& res, std::exception_ptr error) {
                std::string message = "unexpected error";
                try {
                    std::rethrow_exception(std::move(error));
                } catch (const std::exception& e) {
                    message = e.what();
                } catch (...) {
                }
                refuse(res, 500, "internal-assertion", message);
            });
    }

    void bind()
    {
        const bool bound = address.port == 0 ? (port = server.bind_to_any_port(address.host)) > 0
                                             : server.bind_to_port(address.host, address.port);
        if (!bound) {
            throw Error("panel-listen-failed",
                        fmt::format("the flags panel cannot listen on {}:{} (in use, or not an "
                                    "address of this machine)",
                                    address.host, address.port),
                        {.object = "--listen"});
        }
        if (address.port != 0) {
            port = address.port;
        }
    }
};

Panel::Panel(PanelOptions options)
{
    if (options.token.empty()) {
        throw Error("panel-token-missing", "the flags panel was started without a token",
                    {.object = std::string(k_panel_token_variable)});
    }
    if (options.token.size() < k_panel_token_min_length) {
        throw Error("panel-token-weak",
                    fmt::format("the panel's token has {} characters; at least {} are needed",
                                options.token.size(), k_panel_token_min_length));
    }
    m_state = std::make_unique<State>(std::move(options));
    // The store is checked (and created when missing) before the port opens, so a wrong
    // --db fails at start, not at the first page load.
    auto session = platform::Session::connect(m_state->options.conninfo,
                                              {.application_name = "migsafe flag serve"});
    ensure_store(session);
    m_state->pool.give_back(std::move(session));
    m_state->routes();
    m_state->bind();
}

Panel::~Panel()
{
    stop();
}

int Panel::port() const noexcept
{
    return m_state->port;
}

std::string Panel::url() const
{
    const auto& host = m_state->address.host;
    return host.find(':') != std::string::npos ? fmt::format("http://[{}]:{}/", host, m_state->port)
                                               : fmt::format("http://{}:{}/", host, m_state->port);
}

void Panel::run()
{
    if (m_state->stop_requested) {
        return;
    }
    if (!m_state->server.listen_after_bind() && !m_state->server.is_valid()) {
        throw Error("panel-listen-failed", "the flags panel's server could not run",
                    {.object = "--listen"});
    }
}

void Panel::stop() noexcept
{
    if (m_state) {
        m_state->stop_requested = true;
        m_state->server.stop();
    }
}

} // namespace migsafe::flags
