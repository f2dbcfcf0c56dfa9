#include "support/pgbackrest_stanza.hpp"

#include "support/test_db.hpp"

#include <migsafe/platform/error.hpp>
#include <migsafe/platform/process.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>

namespace migsafe::test {
namespace {

std::filesystem::path make_folder()
{
    const char* tmp = std::getenv("TMPDIR");
    std::filesystem::path parent = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
    std::string pattern = (parent / "migsafe-pgbackrest-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
        throw Error("io-write-failed", fmt::format("cannot create a directory in {}: {}",
                                                   parent.string(), std::strerror(errno)));
    }
    return pattern;
}

/// Gives `path` and everything below it to `os_user`.
void hand_over(const std::filesystem::path& path, const std::string& os_user)
{
    passwd* entry = getpwnam(os_user.c_str());
    bool ok = entry != nullptr && chown(path.c_str(), entry->pw_uid, entry->pw_gid) == 0;
    for (const auto& item : std::filesystem::recursive_directory_iterator(path)) {
        ok = ok && lchown(item.path().c_str(), entry->pw_uid, entry->pw_gid) == 0;
    }
    if (!ok) {
        throw Error("io-write-failed",
                    fmt::format("cannot give {} to user {}", path.string(), os_user));
    }
}

} // namespace

bool PgBackRestStanza::available()
{
    if (platform::find_in_path("pgbackrest")) {
        return true;
    }
    const char* ci = std::getenv("CI");
    if (ci != nullptr && std::string_view(ci) == "true") {
        FAIL("pgbackrest is not in PATH (CI=true: scripts/install-deps.sh installs it)");
    }
    std::cerr << "migsafe db tests: pgbackrest is not in PATH; skipped the pgbackrest test "
                 "(apt-get install pgbackrest)\n";
    return false;
}

PgBackRestStanza::PgBackRestStanza(std::string stanza)
    : m_stanza(std::move(stanza))
    , m_os_user(platform::running_as_root() ? platform::unprivileged_user() : std::string())
    , m_folder(make_folder())
{
    try {
        for (const char* sub : {"repo", "lock", "log"}) {
            std::filesystem::create_directory(m_folder / sub);
        }
        auto program = platform::find_in_path("pgbackrest").value_or("pgbackrest").string();
        auto options = cluster_options();
        options.settings = {
            "archive_mode = on",
            fmt::format("archive_command = '{} --config={} --stanza={} archive-push %p'", program,
                        config_file().string(), m_stanza),
        };
        m_cluster = std::make_unique<platform::EphemeralCluster>(
            platform::EphemeralCluster::start(std::move(options)));
        {
            std::ofstream conf(config_file());
            conf << "[global]\n"
                 << "repo1-path=" << repository().string() << "\n"
                 << "repo1-retention-full=2\n"
                 << "lock-path=" << (m_folder / "lock").string() << "\n"
                 << "log-path=" << (m_folder / "log").string() << "\n"
                 << "log-level-file=off\n"
                 << "start-fast=y\n"
                 << "process-max=2\n"
                 << "\n[" << m_stanza << "]\n"
                 << "pg1-path=" << m_cluster->data_dir().string() << "\n"
                 << "pg1-socket-path=" << m_cluster->base_dir().string() << "\n"
                 << "pg1-port=" << m_cluster->port() << "\n"
                 << "pg1-user=" << m_cluster->user() << "\n";
            if (!conf) {
                throw Error("io-write-failed",
                            fmt::format("cannot write {}", config_file().string()));
            }
        }
        if (!m_os_user.empty()) {
            hand_over(m_folder, m_os_user);
        }
        for (const char* command : {"stanza-create", "check"}) {
            platform::run_process(
                {.program = program,
                 .args = {"--config=" + config_file().string(), "--stanza=" + m_stanza, command},
                 .timeout = std::chrono::seconds(120),
                 .run_as_user = m_os_user,
                 .debian_package = "pgbackrest"});
        }
    } catch (...) {
        m_cluster.reset();
        std::error_code ec;
        std::filesystem::remove_all(m_folder, ec);
        throw;
    }
}

PgBackRestStanza::~PgBackRestStanza()
{
    m_cluster.reset();
    std::error_code ec;
    std::filesystem::remove_all(m_folder, ec);
    if (ec && !m_os_user.empty()) {
        // Root without CAP_DAC_OVERRIDE cannot enter the owner's 0750 repository folders.
        try {
            run_as_owner("rm", {"-rf", m_folder.string()});
        } catch (const Error& e) {
            std::cerr << "migsafe db tests: " << e.what() << '\n';
        }
    }
}

::migsafe::snapshot::PgBackRestSettings PgBackRestStanza::settings() const
{
    return {.stanza = m_stanza, .config_file = config_file(), .run_as_user = m_os_user};
}

std::filesystem::path PgBackRestStanza::new_directory(std::string_view name) const
{
    auto path = m_folder / name;
    run_as_owner("mkdir", {"-m", "0700", path.string()});
    return path;
}

std::string PgBackRestStanza::run_as_owner(const std::string& program,
                                           std::vector<std::string> args) const
{
    return platform::run_process({.program = program,
                                  .args = std::move(args),
                                  .timeout = std::chrono::seconds(60),
                                  .run_as_user = m_os_user})
        .out;
}

} // namespace migsafe::test
