#pragma once
// Private: the scratch server of a rehearsal (an ephemeral cluster, or the server of
// `--db`) and the databases the rehearsal makes on it, dropped when it ends.

#include <migsafe/platform/cluster.hpp>
#include <migsafe/platform/session.hpp>

#include <optional>
#include <string>
#include <vector>

namespace migsafe::workflow::detail {

class RehearsalServer {
public:
    /// Starts an ephemeral cluster. Throws what EphemeralCluster::start throws.
    static RehearsalServer ephemeral();
    /// The server of `conninfo`; the maintenance connection goes to its `postgres`
    /// database (else `template1`). Throws `db-connect-failed`.
    static RehearsalServer existing(const std::string& conninfo);

    RehearsalServer(RehearsalServer&&) noexcept = default;
    RehearsalServer& operator=(RehearsalServer&&) = delete;
    RehearsalServer(const RehearsalServer&) = delete;
    RehearsalServer& operator=(const RehearsalServer&) = delete;
    /// Drops every database it made (best effort, logged), then stops the cluster.
    ~RehearsalServer();

    /// The connection string of `database` on this server.
    std::string conninfo(const std::string& database) const;
    /// The same, parsed (ConnInfo::other_database of the server's).
    platform::ConnInfo parsed_conninfo(const std::string& database) const;
    /// A new empty database; its name.
    std::string create_empty();
    /// A copy of `source` (CREATE DATABASE ... TEMPLATE); its name. Nobody may be
    /// connected to `source`.
    std::string copy(const std::string& source);
    /// Drops a database this rehearsal made.
    void drop(const std::string& database);
    /// `ephemeral (PostgreSQL 15.x)` or the conninfo, password masked.
    std::string description() const;
    /// The server's version number (150018).
    int server_version() const;

private:
    RehearsalServer(std::optional<platform::EphemeralCluster> cluster, platform::ConnInfo base,
                    platform::Session admin);
    std::string next_name();

    std::optional<platform::EphemeralCluster> m_cluster;
    platform::ConnInfo m_base; ///< a conninfo of the server (its dbname is replaced)
    platform::Session m_admin;
    std::string m_prefix;
    int m_counter = 0;
    std::vector<std::string> m_made;
};

/// A database of the rehearsal and the one session kept open on it (connections are the
/// dearest part of a step): closed while the database is copied.
class RehearsalDatabase {
public:
    RehearsalDatabase(RehearsalServer& server, std::string name);
    RehearsalDatabase(const RehearsalDatabase&) = delete;
    RehearsalDatabase& operator=(const RehearsalDatabase&) = delete;

    const std::string& name() const { return m_name; }
    /// Its connection string.
    std::string conninfo() const;
    /// The session on it, opened when first needed.
    platform::Session& session();
    /// A copy of this database (its session closed first); the copy's name.
    std::string copy();
    /// Becomes `other` (a copy made by this rehearsal); the old database is dropped.
    void replace_with(std::string other);
    /// Drops the database.
    void drop();

private:
    RehearsalServer& m_server;
    std::string m_name;
    std::optional<platform::Session> m_session{};
};

} // namespace migsafe::workflow::detail
