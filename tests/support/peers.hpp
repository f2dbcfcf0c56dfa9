#pragma once
// The real migration tools migsafe lives beside (dbmate, Prisma), installed from the npm
// registry by tests/peers/install.sh into a cache directory, and run on the test database.
// A peer test starts with MIGSAFE_REQUIRE_PEERS(): when the registry cannot be reached the
// test case says so in a doctest MESSAGE and returns (skipped); any other install failure
// fails it.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace migsafe::test {

/// Where the installed peers are.
struct Peers {
    std::filesystem::path dir;          ///< the cache directory (MIGSAFE_PEERS_DIR or default)
    std::filesystem::path node_modules; ///< dir/node_modules (a Prisma project links to it)
    std::filesystem::path dbmate;       ///< the dbmate binary
    std::filesystem::path prisma;       ///< the Prisma CLI (node script)
    std::string versions;               ///< "dbmate 2.36.0, prisma 6.19.3, ..." for messages
};

/// Runs tests/peers/install.sh once per process (it returns at once when the cache is
/// already filled). Returns the peers, or nullopt with `why_not` set when the npm registry
/// is unreachable. Throws std::runtime_error (with the script's output) on any other failure.
std::optional<Peers> require_peers(std::string& why_not);

/// What a peer program printed.
struct PeerRun {
    int exit_code = -1;
    std::string out;
    std::string err;
    double seconds = 0;
};

/// Runs `program ARGS...` in `cwd` with `env` added (the password of the test server, if
/// any, goes in PGPASSWORD, never in arguments or URLs), killed after `timeout_s`.
PeerRun run_peer(const std::filesystem::path& program, const std::vector<std::string>& args,
                 const std::filesystem::path& cwd, const std::map<std::string, std::string>& env,
                 int timeout_s = 120);

/// The test database `conninfo` as the URL each tool wants (socket or TCP, no password).
std::string dbmate_url(const std::string& conninfo);
std::string prisma_url(const std::string& conninfo);
/// PGPASSWORD for the tools when the conninfo has a password; empty map otherwise.
std::map<std::string, std::string> peer_password_env(const std::string& conninfo);

} // namespace migsafe::test

/// First line of a peer test: skips the test case (with a MESSAGE) when the npm registry
/// is unreachable, fails it when the install failed otherwise.
#define MIGSAFE_REQUIRE_PEERS(var)                                                                 \
    std::string var##_why_not;                                                                     \
    std::optional<::migsafe::test::Peers> var##_opt;                                               \
    try {                                                                                          \
        var##_opt = ::migsafe::test::require_peers(var##_why_not);                                 \
    } catch (const std::exception& e) {                                                            \
        FAIL("installing the peer tools failed: " << std::string(e.what()));                       \
    }                                                                                              \
    if (!var##_opt) {                                                                              \
        MESSAGE("skipped: " << var##_why_not);                                                     \
        return;                                                                                    \
    }                                                                                              \
    const ::migsafe::test::Peers& var = *var##_opt
