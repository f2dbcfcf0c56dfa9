#pragma once
// A pgBackRest stanza on an ephemeral cluster, for tests that run real pgbackrest.
//
//   if (!PgBackRestStanza::available()) { return; }   // no pgbackrest: skipped (CI: fails)
//   PgBackRestStanza stanza;                           // cluster + stanza-create + check
//   auto settings = stanza.settings();                 // stanza, config_file, run_as_user
//   snapshot::detail::pgbackrest::backup(settings);
//
// The cluster archives (archive_mode=on, archive_command = pgbackrest archive-push) into a
// repository in the fixture's own folder, which also holds the configuration file, the
// lock and log paths, and the directories `new_directory` makes. Everything there belongs
// to the server's user (`platform::unprivileged_user()` when root), and pgbackrest must run
// as that user (`settings().run_as_user`): run as root it would write root-owned files the
// server's archive-push cannot write. The destructor stops the cluster and removes the
// folder.

#include <migsafe/platform/cluster.hpp>
#include <migsafe/snapshot/engine.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::test {

class PgBackRestStanza {
public:
    /// Whether pgbackrest is in PATH. When it is not: prints why and returns false, or
    /// fails the current test under CI=true (where scripts/install-deps.sh installs it).
    static bool available();

    /// Starts a cluster archiving into a new stanza `stanza` and runs `pgbackrest
    /// stanza-create` and `check` (about 1 s). Throws migsafe::Error when any step fails.
    explicit PgBackRestStanza(std::string stanza = "main");
    ~PgBackRestStanza();
    PgBackRestStanza(const PgBackRestStanza&) = delete;
    PgBackRestStanza& operator=(const PgBackRestStanza&) = delete;

    /// The archiving cluster (its `data_dir()` is the stanza's pg1-path).
    platform::EphemeralCluster& cluster() { return *m_cluster; }
    /// How to run pgbackrest for the stanza: stanza, config_file and run_as_user set.
    ::migsafe::snapshot::PgBackRestSettings settings() const;
    /// The stanza's name.
    const std::string& stanza() const { return m_stanza; }
    /// The fixture's folder (configuration file, repository, lock and log paths).
    const std::filesystem::path& folder() const { return m_folder; }
    /// pgBackRest's configuration file.
    std::filesystem::path config_file() const { return m_folder / "pgbackrest.conf"; }
    /// The repository (`repo1-path`); backups are in `backup/<stanza>/<label>/`.
    std::filesystem::path repository() const { return m_folder / "repo"; }
    /// The user that owns the folder and runs the server and pgbackrest (empty when not root).
    const std::string& os_user() const { return m_os_user; }

    /// A new empty directory `folder()/name` (mode 0700) owned by the server's user, e.g.
    /// a restore target. Throws migsafe::Error when it cannot be made.
    std::filesystem::path new_directory(std::string_view name) const;
    /// Runs `program args...` as the folder's owner (for reading or changing repository
    /// and restored files, which root may not be allowed to) and returns its stdout; throws
    /// `process-failed` on a non-zero exit.
    std::string run_as_owner(const std::string& program, std::vector<std::string> args) const;

private:
    std::string m_stanza;
    std::string m_os_user;
    std::filesystem::path m_folder;
    std::unique_ptr<platform::EphemeralCluster> m_cluster;
};

} // namespace migsafe::test
