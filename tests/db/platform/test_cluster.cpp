#include "support/scoped_env.hpp"
#include "support/test_db.hpp"

#include <migsafe/platform/cluster.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/process.hpp>
#include <migsafe/platform/session.hpp>

#include <doctest/doctest.h>

#include <pwd.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

using migsafe::platform::ClusterOptions;
using migsafe::platform::EphemeralCluster;
using migsafe::platform::Keep;
using migsafe::platform::Session;

namespace {

/// The real user id of a running process, from /proc.
uid_t process_uid(int pid)
{
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);) {
        if (line.starts_with("Uid:")) {
            return static_cast<uid_t>(std::stoul(line.substr(4)));
        }
    }
    throw std::runtime_error("no Uid line");
}

/// Whether `pid` is a live process (a zombie waiting for its parent counts as gone).
bool process_alive(int pid)
{
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);) {
        if (line.starts_with("State:")) {
            return line.find('Z') == std::string::npos;
        }
    }
    return false;
}

int postmaster_pid(const EphemeralCluster& cluster)
{
    std::ifstream pid_file(cluster.data_dir() / "postmaster.pid");
    int pid = 0;
    pid_file >> pid;
    return pid;
}

} // namespace

TEST_CASE("EphemeralCluster::start runs a socket-only server that stop and the destructor end")
{
    migsafe::test::require_local_postgres();
    migsafe::test::ScopedEnv no_keep("MIGSAFE_KEEP_CLUSTER", std::nullopt);
    std::filesystem::path base;
    {
        auto cluster = EphemeralCluster::start(migsafe::test::cluster_options());
        base = cluster.base_dir();
        CHECK(std::filesystem::exists(
            migsafe::test::cluster_options().initdb_cache /
            ("pg" + std::to_string(cluster.major_version()) + "-postgres") / "PG_VERSION"));
        std::cerr << "cluster start took " << cluster.start_duration().count() << " ms\n";
        CHECK(cluster.major_version() >= 13);
        CHECK(base.filename().string().starts_with("migsafe-cluster-"));
        CHECK(cluster.conninfo().ends_with(" port=" + std::to_string(cluster.port()) +
                                           " user=postgres dbname=postgres"));

        auto session = Session::connect(cluster.conninfo());
        CHECK(session.query_value("SELECT current_setting('listen_addresses')") == "");
        CHECK(session.query_value("SELECT current_setting('fsync')") == "off");
        auto data_dir = session.query_value("SELECT current_setting('data_directory')");
        REQUIRE(data_dir.has_value());
        CHECK(std::filesystem::equivalent(*data_dir, cluster.data_dir()));

        if (migsafe::platform::running_as_root()) {
            // The server and its files belong to the unprivileged user, not root.
            passwd* user = getpwnam(migsafe::platform::unprivileged_user().c_str());
            REQUIRE(user != nullptr);
            struct stat info {};
            REQUIRE(stat(data_dir->c_str(), &info) == 0);
            CHECK(info.st_uid == user->pw_uid);
            CHECK(process_uid(postmaster_pid(cluster)) == user->pw_uid);
        }
        cluster.stop();
        CHECK_FALSE(std::filesystem::exists(cluster.data_dir() / "postmaster.pid"));
        cluster.stop(); // idempotent
        CHECK_THROWS_AS(Session::connect(cluster.conninfo()), migsafe::Error);
    }
    CHECK_FALSE(std::filesystem::exists(base));
}

TEST_CASE("EphemeralCluster is stopped and removed while an exception unwinds")
{
    migsafe::test::require_local_postgres();
    migsafe::test::ScopedEnv no_keep("MIGSAFE_KEEP_CLUSTER", std::nullopt);
    std::filesystem::path base;
    int pid = 0;
    try {
        auto cluster = EphemeralCluster::start(migsafe::test::cluster_options());
        base = cluster.base_dir();
        pid = postmaster_pid(cluster);
        throw std::runtime_error("boom");
    } catch (const std::runtime_error& e) {
        CHECK(std::string(e.what()) == "boom");
    }
    REQUIRE_FALSE(base.empty());
    CHECK_FALSE(std::filesystem::exists(base));
    CHECK(pid > 0);
    CHECK_FALSE(process_alive(pid));
}

TEST_CASE("EphemeralCluster::keep keeps the directory and the server log")
{
    migsafe::test::require_local_postgres();
    migsafe::test::ScopedEnv no_keep("MIGSAFE_KEEP_CLUSTER", std::nullopt);
    std::filesystem::path base;
    std::filesystem::path log;
    {
        auto options = migsafe::test::cluster_options();
        options.keep = Keep::yes;
        auto cluster = EphemeralCluster::start(options);
        CHECK(cluster.kept());
        base = cluster.base_dir();
        log = cluster.log_path();
    }
    CHECK(std::filesystem::exists(base / "data" / "PG_VERSION"));
    CHECK(std::filesystem::file_size(log) > 0);
    CHECK_FALSE(std::filesystem::exists(base / "data" / "postmaster.pid")); // stopped
    std::filesystem::remove_all(base);
}

TEST_CASE("EphemeralCluster::start with a bad setting fails naming the server log")
{
    migsafe::test::require_local_postgres();
    migsafe::test::ScopedEnv no_keep("MIGSAFE_KEEP_CLUSTER", std::nullopt);
    try {
        auto options = migsafe::test::cluster_options();
        options.settings = {"shared_buffers = 'lots'"};
        options.start_timeout = std::chrono::seconds(20);
        EphemeralCluster::start(options);
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "cluster-start-failed");
        CHECK(e.hint() == "read the server log named in the message");
        const std::string& message = e.message();
        auto at = message.find("/server.log");
        REQUIRE(at != std::string::npos);
        CHECK(message.find("shared_buffers") != std::string::npos); // the log's tail
        REQUIRE(message.starts_with("the server did not start, see "));
        auto start = std::string_view("the server did not start, see ").size();
        auto base = std::filesystem::path(message.substr(start, at - start));
        CHECK(std::filesystem::exists(base / "server.log"));
        std::filesystem::remove_all(base);
    }
}

TEST_CASE("EphemeralCluster::start when initdb fails is cluster-start-failed with its output")
{
    migsafe::test::ScopedEnv no_keep("MIGSAFE_KEEP_CLUSTER", std::nullopt);
    std::string pattern = (std::filesystem::temp_directory_path() / "migsafe-fakebin-XXXXXX");
    const std::filesystem::path bindir = mkdtemp(pattern.data());
    std::filesystem::permissions(bindir, std::filesystem::perms::owner_all |
                                             std::filesystem::perms::group_exec |
                                             std::filesystem::perms::others_exec);
    for (const char* name : {"initdb", "pg_ctl"}) {
        std::ofstream(bindir / name) << "#!/bin/sh\necho " << name << " is broken >&2\nexit 1\n";
        std::filesystem::permissions(bindir / name, std::filesystem::perms::owner_all |
                                                        std::filesystem::perms::others_exec |
                                                        std::filesystem::perms::others_read);
    }
    try {
        EphemeralCluster::start(
            {.binaries = migsafe::platform::PgBinaries{.bindir = bindir, .major_version = 15}});
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "cluster-start-failed");
        const std::string& message = e.message();
        CHECK(message.starts_with("initdb failed in "));
        CHECK(message.ends_with(" (kept): initdb exited with status 1: initdb is broken"));
        auto base = message.substr(17, message.find(" (kept)") - 17);
        CHECK(std::filesystem::exists(base));
        std::filesystem::remove_all(base);
    }
    std::filesystem::remove_all(bindir);
}

TEST_CASE("EphemeralCluster::start gives the server none of this process's secrets")
{
    migsafe::test::require_local_postgres();
    // A deploy tool's environment: a password and a conninfo with one, which the server
    // (run as the unprivileged user when root) must not inherit.
    migsafe::test::ScopedEnv password("PGPASSWORD", std::string("env-s3cret"));
    migsafe::test::ScopedEnv url("DATABASE_URL",
                                 std::string("postgresql://app:url-s3cret@db.example/app"));
    migsafe::test::ScopedEnv lang("LC_MESSAGES", std::string("C"));
    auto cluster = EphemeralCluster::start(migsafe::test::cluster_options());
    const int pid = postmaster_pid(cluster);
    REQUIRE(pid > 0);
    std::ifstream file("/proc/" + std::to_string(pid) + "/environ", std::ios::binary);
    REQUIRE(file.good());
    std::vector<std::string> names;
    std::string environ_text;
    for (std::string entry; std::getline(file, entry, '\0');) {
        environ_text += entry + "\n";
        names.push_back(entry.substr(0, entry.find('=')));
    }
    CAPTURE(environ_text);
    CHECK(environ_text.find("env-s3cret") == std::string::npos);
    CHECK(environ_text.find("url-s3cret") == std::string::npos);
    CHECK(std::find(names.begin(), names.end(), "PGPASSWORD") == names.end());
    CHECK(std::find(names.begin(), names.end(), "DATABASE_URL") == names.end());
    // What a server needs is still there.
    CHECK(std::find(names.begin(), names.end(), "PATH") != names.end());
    CHECK(environ_text.find("LC_MESSAGES=C\n") != std::string::npos);
}
