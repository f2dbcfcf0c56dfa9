#pragma once

#include <migsafe/export.hpp>
#include <migsafe/platform/pg_binaries.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::platform {

/// Whether an ephemeral cluster's directory (data, server log) outlives it.
enum class Keep { no, yes };

/// How to start an ephemeral cluster. Fill it with designated initializers.
struct ClusterOptions {
    /// The programs to use; nullopt runs `find_pg_binaries()`.
    std::optional<PgBinaries> binaries{};
    /// The superuser created by initdb; it connects without a password (trust, socket only).
    std::string superuser{"postgres"};
    /// Keep the directory after the cluster is gone. `MIGSAFE_KEEP_CLUSTER=1` also keeps it.
    Keep keep = Keep::no;
    /// Extra `name = value` lines for postgresql.conf (e.g. `max_connections = 20`).
    std::vector<std::string> settings{};
    /// Fill the data directory instead of running initdb (a restored physical backup):
    /// called with the empty data directory (0700, owned by the server's user) and that
    /// user's name (empty when not root). The server then starts with `settings` and the
    /// cluster's own socket, port and trust `hba_file` appended to `postgresql.auto.conf`,
    /// so they win over the restored configuration (docs/snapshot.md, "Physical drills").
    std::function<void(const std::filesystem::path& data_dir, const std::string& os_user)>
        populate{};
    /// Where the `migsafe-cluster-XXXXXX` directory is made; empty: `TMPDIR`, else /tmp.
    std::filesystem::path parent_dir{};
    /// A directory where a pristine initdb result is kept and copied by later starts
    /// (much faster than initdb; for test suites and drills that start many clusters).
    /// Empty: always run initdb. The caller removes the directory when done.
    std::filesystem::path initdb_cache{};
    /// Time limit for initdb and for the server to accept connections, each.
    std::chrono::milliseconds start_timeout{std::chrono::seconds(60)};
};

/// A throwaway PostgreSQL server in a temporary directory, reachable only through a unix
/// socket in that directory (no TCP), with trust authentication and `fsync=off`. When the
/// process is root, the directory belongs to an unprivileged user (`unprivileged_user()`)
/// and initdb, pg_ctl and the server run as that user. The destructor stops the server and
/// removes the directory (unless kept), also while an exception unwinds. Move-only.
class MIGSAFE_API EphemeralCluster {
public:
    /// Runs initdb and `pg_ctl start` and waits until the server accepts connections.
    /// Throws `binary-not-found`, `cluster-start-failed` (the message names the server log,
    /// which is kept, and quotes its last lines). Cost: about a second (initdb dominates).
    static EphemeralCluster start(ClusterOptions options = {});

    EphemeralCluster(EphemeralCluster&& other) noexcept;
    EphemeralCluster& operator=(EphemeralCluster&& other) noexcept;
    EphemeralCluster(const EphemeralCluster&) = delete;
    EphemeralCluster& operator=(const EphemeralCluster&) = delete;
    /// Stops the server (immediate shutdown) and removes the directory unless kept.
    ~EphemeralCluster();

    /// A libpq key=value connection string: `host=<socket dir> port=N user=U dbname=D`.
    std::string conninfo(std::string_view dbname = "postgres") const;
    /// The port number; it only names the socket file, so it never clashes.
    int port() const;
    /// The superuser's name.
    const std::string& user() const;
    /// The cluster's own directory: holds `data/`, the socket and `server.log`.
    const std::filesystem::path& base_dir() const;
    /// The data directory (`base_dir()/data`).
    std::filesystem::path data_dir() const;
    /// The server log (`base_dir()/server.log`).
    std::filesystem::path log_path() const;
    /// The last `lines` lines of the server log (for an error message).
    std::string log_tail(std::size_t lines) const;
    /// The server's major version (e.g. 15).
    int major_version() const;
    /// How long `start()` took, initdb included.
    std::chrono::milliseconds start_duration() const;

    /// Keeps the directory and server log after the cluster is gone, and logs where.
    void keep();
    /// Whether the directory will be kept.
    bool kept() const;
    /// Stops the server (fast shutdown), waiting for it. Idempotent. Throws
    /// `process-failed` when pg_ctl cannot stop it.
    void stop();

private:
    struct State;
    explicit EphemeralCluster(std::unique_ptr<State> state);
    void release() noexcept;
    std::unique_ptr<State> m_state;
};

} // namespace migsafe::platform
