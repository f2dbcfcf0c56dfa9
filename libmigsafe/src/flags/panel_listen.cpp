// Where the flags panel listens: `--listen HOST:PORT`, loopback unless told otherwise.
#include <migsafe/flags/panel.hpp>
#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

#include <charconv>
#include <string>

#include <arpa/inet.h>

namespace migsafe::flags {
namespace {

bool is_loopback(const std::string& host)
{
    if (host == "localhost") {
        return true;
    }
    in_addr v4{};
    if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
        return (ntohl(v4.s_addr) >> 24) == 127; // 127.0.0.0/8
    }
    in6_addr v6{};
    if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
        return IN6_IS_ADDR_LOOPBACK(&v6);
    }
    return false;
}

[[noreturn]] void invalid(std::string_view text, std::string_view why)
{
    throw Error("usage-invalid-option",
                fmt::format("--listen '{}' is not HOST:PORT ({})", text, why),
                {.object = "--listen"},
                "write --listen 127.0.0.1:8080, [::1]:8080 or localhost:0 (any free port)");
}

} // namespace

ListenAddress parse_listen_address(std::string_view text, AllowRemote allow_remote)
{
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
        invalid(text, "no port");
    }
    std::string host(text.substr(0, colon));
    const auto port_text = text.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    } else if (host.find(':') != std::string::npos) {
        invalid(text, "an IPv6 address goes in brackets");
    }
    if (host.empty()) {
        invalid(text, "no host");
    }
    int port = -1;
    const auto* end = port_text.data() + port_text.size();
    const auto [ptr, ec] = std::from_chars(port_text.data(), end, port);
    if (port_text.empty() || ec != std::errc() || ptr != end || port < 0 || port > 65535) {
        invalid(text, "the port is not a number 0..65535");
    }
    if (allow_remote == AllowRemote::no && !is_loopback(host)) {
        throw Error("panel-remote-not-allowed",
                    fmt::format("--listen {}: {} is not a loopback address, and "
                                "--allow-remote was not given",
                                text, host),
                    {.object = "--listen"});
    }
    return {.host = host, .port = port};
}

} // namespace migsafe::flags
