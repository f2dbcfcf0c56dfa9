#include "support/peers.hpp"

#include <migsafe/platform/process.hpp>

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string_view>

#include <libpq-fe.h>

namespace migsafe::test {

namespace {

constexpr int registry_unreachable = 3; // tests/peers/install.sh's exit code

std::filesystem::path peers_dir()
{
    if (const char* dir = std::getenv("MIGSAFE_PEERS_DIR"); dir != nullptr && *dir != '\0') {
        return dir;
    }
    const char* home = std::getenv("HOME");
    return std::filesystem::path(home != nullptr && *home != '\0' ? home : "/root") / ".cache" /
           "migsafe-peers";
}

struct InstallOutcome {
    std::optional<Peers> peers;
    std::string why_not;
    std::string failure; ///< non-empty: the install failed for another reason than the network
};

InstallOutcome install_once()
{
    InstallOutcome outcome;
    const auto dir = peers_dir();
    std::vector<std::pair<std::string, std::string>> env{{"MIGSAFE_PEERS_DIR", dir.string()}};
    // npm needs what reaches the registry: its settings, the proxy and the CA bundle a
    // TLS-inspecting network adds (NODE_EXTRA_CA_CERTS); run_process passes none of them.
    for (char** entry = environ; *entry != nullptr; ++entry) {
        const std::string_view pair(*entry);
        const auto eq = pair.find('=');
        const std::string name(pair.substr(0, eq));
        std::string lower = name;
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (eq != std::string_view::npos &&
            (lower.starts_with("npm_config_") || lower.ends_with("_proxy") ||
             name == "NODE_EXTRA_CA_CERTS" || name == "SSL_CERT_FILE" || name == "SSL_CERT_DIR")) {
            env.emplace_back(name, std::string(pair.substr(eq + 1)));
        }
    }
    const auto script =
        std::filesystem::path(MIGSAFE_SOURCE_DIR) / "tests" / "peers" / "install.sh";
    auto result = platform::run_process({.program = "bash",
                                         .args = {script.string()},
                                         .env = env,
                                         .timeout = std::chrono::minutes(10),
                                         .on_failure = platform::OnFailure::return_result});
    if (result.exit_code == registry_unreachable) {
        outcome.why_not = fmt::format("the npm registry is unreachable, so the real peer tools "
                                      "(dbmate, Prisma) cannot be installed: {}",
                                      result.err);
        return outcome;
    }
    if (result.exit_code != 0) {
        outcome.failure = fmt::format("{} exited {}: {}{}", script.string(), result.exit_code,
                                      result.out, result.err);
        return outcome;
    }
    Peers peers;
    peers.dir = dir;
    peers.node_modules = dir / "node_modules";
    peers.dbmate = peers.node_modules / "@dbmate" / "linux-x64" / "bin" / "dbmate";
    peers.prisma = peers.node_modules / "prisma" / "build" / "index.js";
    peers.versions = "dbmate 2.36.0, prisma 6.19.3 (WebAssembly schema engine), "
                     "@prisma/adapter-pg 7.10.1";
    outcome.peers = std::move(peers);
    return outcome;
}

struct ServerAddress {
    std::string host; ///< a socket directory (starts with '/') or a host name
    std::string port;
    std::string user;
    std::string dbname;
    std::string password;
};

ServerAddress address_of(const std::string& conninfo)
{
    std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(conninfo.c_str()), &PQfinish);
    if (conn == nullptr || PQstatus(conn.get()) != CONNECTION_OK) {
        throw std::runtime_error("peers: cannot connect to the test database: " +
                                 std::string(conn ? PQerrorMessage(conn.get()) : "out of memory"));
    }
    ServerAddress address;
    address.host = PQhost(conn.get());
    address.port = PQport(conn.get());
    address.user = PQuser(conn.get());
    address.dbname = PQdb(conn.get());
    address.password = PQpass(conn.get()) != nullptr ? PQpass(conn.get()) : "";
    return address;
}

std::string percent_encode(const std::string& text)
{
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += fmt::format("%{:02X}", c);
        }
    }
    return out;
}

bool is_local(const std::string& host)
{
    return host.empty() || host.front() == '/' || host == "localhost" || host == "127.0.0.1" ||
           host == "::1";
}

} // namespace

std::optional<Peers> require_peers(std::string& why_not)
{
    static std::once_flag once;
    static InstallOutcome outcome;
    std::call_once(once, [] { outcome = install_once(); });
    if (!outcome.failure.empty()) {
        throw std::runtime_error(outcome.failure);
    }
    why_not = outcome.why_not;
    return outcome.peers;
}

PeerRun run_peer(const std::filesystem::path& program, const std::vector<std::string>& args,
                 const std::filesystem::path& cwd, const std::map<std::string, std::string>& env,
                 int timeout_s)
{
    platform::ProcessSpec spec{.program = program.string(),
                               .args = args,
                               .working_dir = cwd,
                               .timeout = std::chrono::seconds(timeout_s),
                               .on_failure = platform::OnFailure::return_result};
    if (program.extension() == ".js") {
        spec.program = "node";
        spec.args.insert(spec.args.begin(), program.string());
    }
    for (const auto& [name, value] : env) {
        spec.env.emplace_back(name, value);
    }
    // Prisma asks a telemetry host on every run; nothing outside this machine is reachable.
    spec.env.emplace_back("CHECKPOINT_DISABLE", "1");
    spec.env.emplace_back("PRISMA_HIDE_UPDATE_MESSAGE", "1");
    auto result = platform::run_process(spec);
    return {.exit_code = result.exit_code,
            .out = std::move(result.out),
            .err = std::move(result.err),
            .seconds = std::chrono::duration<double>(result.elapsed).count()};
}

std::string dbmate_url(const std::string& conninfo)
{
    const auto a = address_of(conninfo);
    if (a.host.front() == '/') {
        return fmt::format("postgres://{}@/{}?socket={}&port={}&sslmode=disable",
                           percent_encode(a.user), percent_encode(a.dbname), percent_encode(a.host),
                           a.port);
    }
    return fmt::format("postgres://{}@{}:{}/{}?sslmode={}", percent_encode(a.user), a.host, a.port,
                       percent_encode(a.dbname), is_local(a.host) ? "disable" : "require");
}

std::string prisma_url(const std::string& conninfo)
{
    const auto a = address_of(conninfo);
    if (a.host.front() == '/') {
        return fmt::format("postgresql://{}@localhost:{}/{}?host={}", percent_encode(a.user),
                           a.port, percent_encode(a.dbname), percent_encode(a.host));
    }
    return fmt::format("postgresql://{}@{}:{}/{}{}", percent_encode(a.user), a.host, a.port,
                       percent_encode(a.dbname), is_local(a.host) ? "" : "?sslmode=require");
}

std::map<std::string, std::string> peer_password_env(const std::string& conninfo)
{
    const auto a = address_of(conninfo);
    if (a.password.empty()) {
        return {};
    }
    return {{"PGPASSWORD", a.password}};
}

} // namespace migsafe::test
