#pragma once

/// The flags panel (`migsafe flag serve`): a small web page and a JSON API over the flag
/// store, served by cpp-httplib from this process. Every API request needs the panel's
/// token as `Authorization: Bearer <token>`; writes also need `Content-Type:
/// application/json` and no foreign `Origin`, a reason, and the version the page showed,
/// and land in the event table as `panel:<name>` (docs/flags.md, "Panel").

#include <migsafe/export.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace migsafe::flags {

/// The environment variable the panel's token is read from (never from argv).
inline constexpr std::string_view k_panel_token_variable = "MIGSAFE_PANEL_TOKEN";
/// Tokens shorter than this are refused (`panel-token-weak`).
inline constexpr std::size_t k_panel_token_min_length = 16;

/// The panel's token: the first line of `token_file` when given, else the variable
/// `MIGSAFE_PANEL_TOKEN`; surrounding white space is dropped. Throws `panel-token-missing`
/// (neither set, or empty; a file that cannot be read names the file) and
/// `panel-token-weak` (shorter than `k_panel_token_min_length`). The token is never put in
/// a message.
MIGSAFE_API std::string panel_token(const std::optional<std::filesystem::path>& token_file);

/// Whether a panel may listen on a non-loopback address.
enum class AllowRemote { no, yes };

/// Where the panel listens: `host:port` (`127.0.0.1:8080`, `[::1]:8080`, `localhost:0`
/// for any free port).
struct ListenAddress {
    std::string host;
    int port = 0;
};

/// Parses `--listen`. Throws `usage-invalid-option` naming the option for a text that is
/// not `HOST:PORT` with a port 0..65535, and `panel-remote-not-allowed` for a host that
/// is not loopback (`127.0.0.0/8`, `::1`, `localhost`) unless `allow_remote` is yes.
MIGSAFE_API ListenAddress parse_listen_address(std::string_view text, AllowRemote allow_remote);

struct PanelOptions {
    std::string conninfo{};               ///< the store's database (`--db`, DATABASE_URL)
    std::string listen{"127.0.0.1:8080"}; ///< see `parse_listen_address`
    AllowRemote allow_remote = AllowRemote::no;
    std::string token{};                   ///< required, see `panel_token`
    std::string default_env{"production"}; ///< the environment the page opens on
    int pool_size = 4;                     ///< database sessions kept open between requests
};

/// A running panel server. Construction checks the options, connects to the store (and
/// creates it when missing, `ensure_store`) and binds the socket; `run` serves until
/// `stop`. Requests are served on cpp-httplib's worker threads, each with a session
/// taken from a small pool.
class MIGSAFE_API Panel {
public:
    /// Throws `panel-token-missing`/`panel-token-weak` (the token), `usage-invalid-option`
    /// and `panel-remote-not-allowed` (the address), the store's connection errors, and
    /// `panel-listen-failed` (the address is taken or cannot be bound).
    explicit Panel(PanelOptions options);
    ~Panel(); ///< stops the server
    Panel(const Panel&) = delete;
    Panel& operator=(const Panel&) = delete;

    /// The port bound (the one chosen by the system for port 0).
    int port() const noexcept;
    /// `http://HOST:PORT/` (without the token).
    std::string url() const;
    /// Serves requests on the caller's thread until `stop`. Throws `panel-listen-failed`
    /// when the server could not run.
    void run();
    /// Stops `run` (callable from any thread, and from an interrupt cleanup; never throws).
    void stop() noexcept;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace migsafe::flags
