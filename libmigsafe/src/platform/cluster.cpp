// Ephemeral clusters: initdb + pg_ctl in a private temporary directory. The socket lives in
// that directory and TCP is off (listen_addresses = ''), so any port number is free: it
// only names the socket file. As root, the directory is handed to an unprivileged user
// because initdb and postgres refuse to run as root (docs/toolchain.md #3).
#include "platform/logging.hpp"

#include <migsafe/platform/cluster.hpp>
#include <migsafe/platform/conninfo.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/interrupt.hpp>
#include <migsafe/platform/process.hpp>

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

namespace migsafe::platform {

struct EphemeralCluster::State {
    PgBinaries binaries;
    std::string user;
    std::string os_user; ///< runs the programs; empty: the current user
    std::filesystem::path base;
    int port = 0;
    Keep keep = Keep::no;
    bool running = false;
    std::chrono::milliseconds start_duration{0};
    std::chrono::milliseconds timeout{0};
    /// Stops the server and removes the directory if the process is interrupted.
    interrupt::Cleanup on_interrupt;

    void make_data_dir(const std::filesystem::path& cache, const std::filesystem::path& data);
    void populate_data_dir(const ClusterOptions& options, const std::filesystem::path& data) const;
};

namespace {

std::filesystem::path make_base_dir(const ClusterOptions& options)
{
    std::filesystem::path parent = options.parent_dir;
    if (parent.empty()) {
        const char* tmp = std::getenv("TMPDIR");
        parent = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
    }
    std::string pattern = (parent / "migsafe-cluster-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
        throw Error("cluster-start-failed", fmt::format("cannot create a directory in {}: {}",
                                                        parent.string(), std::strerror(errno)));
    }
    return pattern;
}

/// Gives `dir` (and, with `Recursive::yes`, everything below it) to `os_user`.
enum class Recursive { no, yes };
void hand_over(const std::filesystem::path& dir, const std::string& os_user, Recursive recursive)
{
    passwd* entry = getpwnam(os_user.c_str());
    bool ok = entry != nullptr && chown(dir.c_str(), entry->pw_uid, entry->pw_gid) == 0;
    if (ok && recursive == Recursive::yes) {
        for (const auto& item : std::filesystem::recursive_directory_iterator(dir)) {
            ok = ok && lchown(item.path().c_str(), entry->pw_uid, entry->pw_gid) == 0;
        }
    }
    if (!ok) {
        throw Error("cluster-start-failed",
                    fmt::format("cannot give {} to user {}", dir.string(), os_user));
    }
}

int pick_port()
{
    std::random_device seed;
    return std::uniform_int_distribution<int>(20000, 59999)(seed);
}

std::string read_tail(const std::filesystem::path& path, std::size_t lines)
{
    std::ifstream in(path);
    std::vector<std::string> all;
    for (std::string line; std::getline(in, line);) {
        all.push_back(line);
    }
    std::string out;
    for (std::size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i) {
        out += all[i];
        out += '\n';
    }
    return out;
}

/// A postgresql.conf string value: single-quoted, inner quotes doubled.
std::string conf_string(std::string_view value)
{
    std::string out = "'";
    for (char c : value) {
        out += c;
        if (c == '\'') {
            out += c;
        }
    }
    return out + "'";
}

/// A conninfo value, quoted only when it has to be (a TMPDIR with spaces or quotes).
std::string conninfo_value(std::string_view value)
{
    if (!value.empty() && value.find_first_of(" '\\\t") == std::string_view::npos) {
        return std::string(value);
    }
    return quote_conninfo_value(value);
}

/// A failed start keeps the directory for its server log, except when the failure is the
/// interrupt itself (the watcher stopped the server under pg_ctl): then it is removed.
void keep_unless_interrupted(EphemeralCluster& cluster)
{
    if (!interrupt::requested()) {
        cluster.keep();
    }
}

bool keep_from_environment()
{
    const char* value = std::getenv("MIGSAFE_KEEP_CLUSTER");
    return value != nullptr && std::string_view(value) == "1";
}

} // namespace

/// Runs initdb into `data`, or copies a pristine result from `cache` (filling the cache on
/// first use: initdb takes ~1 s, a copy ~0.1 s). The cache is keyed by major version and
/// superuser, and filled through a rename so that concurrent starts never see half of it.
void EphemeralCluster::State::make_data_dir(const std::filesystem::path& cache,
                                            const std::filesystem::path& data)
{
    State& s = *this;
    const auto cached =
        cache.empty() ? cache : cache / fmt::format("pg{}-{}", s.binaries.major_version, s.user);
    if (!cached.empty() && std::filesystem::exists(cached / "PG_VERSION")) {
        std::filesystem::copy(cached, data, std::filesystem::copy_options::recursive);
        if (!s.os_user.empty()) {
            hand_over(data, s.os_user, Recursive::yes);
        }
        return;
    }
    run_process({.program = s.binaries.program("initdb").string(),
                 .args = {"-D", data.string(), "-U", s.user, "-A", "trust", "-E", "UTF8",
                          "--locale=C", "--no-sync", "--no-instructions"},
                 .working_dir = s.base,
                 .timeout = s.timeout,
                 .run_as_user = s.os_user});
    if (!cached.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(cache, ec);
        auto partial = cached;
        partial += fmt::format(".partial-{}", getpid());
        std::filesystem::copy(data, partial, std::filesystem::copy_options::recursive, ec);
        if (!ec) {
            std::filesystem::rename(partial, cached, ec);
        }
        std::filesystem::remove_all(partial, ec); // lost a race, or failed: no cache, no harm
    }
}

/// Lets `options.populate` fill `data` (a restored backup), then makes the restored
/// configuration safe to start here: appended to postgresql.auto.conf (read last, so it
/// wins over postgresql.conf and what the restore wrote), the cluster's own socket and
/// port, no TCP, a trust hba file of its own, archiving off (a scratch server must never
/// archive into the source's repository), the log on stderr (pg_ctl's -l file) and no SSL
/// (the source's certificate paths are not here).
void EphemeralCluster::State::populate_data_dir(const ClusterOptions& options,
                                                const std::filesystem::path& data) const
{
    std::filesystem::create_directory(data);
    std::filesystem::permissions(data, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace);
    if (!os_user.empty()) {
        hand_over(data, os_user, Recursive::no);
    }
    options.populate(data, os_user);
    auto hba = base / "scratch_hba.conf";
    std::ofstream(hba) << "local all all trust\nlocal replication all trust\n";
    if (!std::filesystem::exists(data / "postgresql.conf")) {
        // A Debian cluster keeps it in /etc/postgresql: the backup does not have it.
        std::ofstream(data / "postgresql.conf") << "# written by migsafe: the backup had none\n";
    }
    std::ofstream conf(data / "postgresql.auto.conf", std::ios::app);
    conf << "\n# migsafe scratch cluster: these override the restored configuration\n"
         << "listen_addresses = ''\n"
         << "unix_socket_directories = " << conf_string(base.string()) << "\n"
         << "port = " << port << "\n"
         << "hba_file = " << conf_string(hba.string()) << "\n"
         << "archive_mode = off\n"
         << "logging_collector = off\nlog_destination = 'stderr'\nssl = off\n"
         << "primary_conninfo = ''\nfsync = off\nsynchronous_commit = off\n";
    for (const auto& line : options.settings) {
        conf << line << '\n';
    }
    conf.close();
    if (!os_user.empty()) {
        hand_over(base, os_user, Recursive::yes);
    }
}

EphemeralCluster::EphemeralCluster(std::unique_ptr<State> state)
    : m_state(std::move(state))
{
}

EphemeralCluster::EphemeralCluster(EphemeralCluster&& other) noexcept = default;

EphemeralCluster& EphemeralCluster::operator=(EphemeralCluster&& other) noexcept
{
    if (this != &other) {
        release();
        m_state = std::move(other.m_state);
    }
    return *this;
}

EphemeralCluster::~EphemeralCluster()
{
    release();
}

EphemeralCluster EphemeralCluster::start(ClusterOptions options)
{
    const auto started = std::chrono::steady_clock::now();
    auto state = std::make_unique<State>();
    state->binaries = options.binaries ? *options.binaries : find_pg_binaries();
    state->user = options.superuser;
    state->os_user = running_as_root() ? unprivileged_user() : std::string();
    state->port = pick_port();
    state->keep = keep_from_environment() ? Keep::yes : options.keep;
    state->timeout = options.start_timeout;
    state->base = make_base_dir(options);
    // From here on the destructor cleans up, also when a step below throws.
    EphemeralCluster cluster(std::move(state));
    State& s = *cluster.m_state;
    s.on_interrupt = interrupt::Cleanup(
        fmt::format("stopping the ephemeral cluster in {}", s.base.string()), [&s] {
            // On SIGINT/SIGTERM: the same as the destructor, from the watcher thread.
            auto data = s.base / "data";
            if (std::filesystem::exists(data / "postmaster.pid")) {
                run_process({.program = s.binaries.program("pg_ctl").string(),
                             .args = {"-D", data.string(), "-m", "immediate", "-w", "stop"},
                             .working_dir = s.base,
                             .timeout = std::chrono::seconds(30),
                             .run_as_user = s.os_user,
                             .on_failure = OnFailure::return_result});
            }
            if (s.keep == Keep::no) {
                // A second pass catches files a dying server wrote during the first.
                std::error_code ec;
                std::filesystem::remove_all(s.base, ec);
                std::filesystem::remove_all(s.base, ec);
            }
        });
    if (!s.os_user.empty()) {
        hand_over(s.base, s.os_user, Recursive::no);
    }
    if (options.populate) {
        try {
            s.populate_data_dir(options, cluster.data_dir());
        } catch (...) {
            keep_unless_interrupted(cluster);
            throw;
        }
    } else {
        try {
            s.make_data_dir(options.initdb_cache, cluster.data_dir());
        } catch (const Error& e) {
            keep_unless_interrupted(cluster);
            throw Error("cluster-start-failed",
                        fmt::format("initdb failed in {}{}: {}", s.base.string(),
                                    interrupt::requested() ? "" : " (kept)", e.message()));
        }
    }
    if (!options.populate) {
        std::ofstream conf(cluster.data_dir() / "postgresql.conf", std::ios::app);
        conf << "\n# migsafe ephemeral cluster\n"
             << "listen_addresses = ''\n"
             << "unix_socket_directories = " << conf_string(s.base.string()) << "\n"
             << "port = " << s.port << "\n"
             << "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n";
        for (const auto& line : options.settings) {
            conf << line << '\n';
        }
    }
    try {
        run_process(
            {.program = s.binaries.program("pg_ctl").string(),
             .args = {"-D", cluster.data_dir().string(), "-l", cluster.log_path().string(), "-w",
                      "-t", std::to_string(std::max<long>(1, s.timeout.count() / 1000)), "start"},
             .working_dir = s.base,
             .timeout = s.timeout + std::chrono::seconds(5),
             .run_as_user = s.os_user});
    } catch (const Error& e) {
        s.running = std::filesystem::exists(cluster.data_dir() / "postmaster.pid");
        keep_unless_interrupted(cluster);
        throw Error("cluster-start-failed",
                    fmt::format("the server did not start, see {} (kept): {}\n{}",
                                cluster.log_path().string(), e.message(),
                                read_tail(cluster.log_path(), 20)));
    }
    s.running = true;
    s.start_duration = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    detail::log_info("started PostgreSQL {} in {} on port {} in {} ms", s.binaries.major_version,
                     s.base.string(), s.port, s.start_duration.count());
    return cluster;
}

std::string EphemeralCluster::conninfo(std::string_view dbname) const
{
    return fmt::format("host={} port={} user={} dbname={}", conninfo_value(m_state->base.string()),
                       m_state->port, conninfo_value(m_state->user), conninfo_value(dbname));
}

std::string EphemeralCluster::log_tail(std::size_t lines) const
{
    return read_tail(log_path(), lines);
}

int EphemeralCluster::port() const
{
    return m_state->port;
}

const std::string& EphemeralCluster::user() const
{
    return m_state->user;
}

const std::filesystem::path& EphemeralCluster::base_dir() const
{
    return m_state->base;
}

std::filesystem::path EphemeralCluster::data_dir() const
{
    return m_state->base / "data";
}

std::filesystem::path EphemeralCluster::log_path() const
{
    return m_state->base / "server.log";
}

int EphemeralCluster::major_version() const
{
    return m_state->binaries.major_version;
}

std::chrono::milliseconds EphemeralCluster::start_duration() const
{
    return m_state->start_duration;
}

void EphemeralCluster::keep()
{
    m_state->keep = Keep::yes;
}

bool EphemeralCluster::kept() const
{
    return m_state->keep == Keep::yes;
}

void EphemeralCluster::stop()
{
    if (!m_state || !m_state->running) {
        return;
    }
    run_process({.program = m_state->binaries.program("pg_ctl").string(),
                 .args = {"-D", data_dir().string(), "-m", "fast", "-w", "stop"},
                 .working_dir = m_state->base,
                 .timeout = m_state->timeout,
                 .run_as_user = m_state->os_user});
    m_state->running = false;
}

void EphemeralCluster::release() noexcept
{
    if (!m_state) {
        return;
    }
    State& s = *m_state;
    s.on_interrupt.release();
    if (s.running) {
        try {
            run_process({.program = s.binaries.program("pg_ctl").string(),
                         .args = {"-D", data_dir().string(), "-m", "immediate", "-w", "stop"},
                         .working_dir = s.base,
                         .timeout = s.timeout,
                         .run_as_user = s.os_user,
                         .on_failure = OnFailure::return_result});
        } catch (const std::exception& e) {
            detail::log_warn("could not stop the cluster in {}: {}", s.base.string(), e.what());
        }
        s.running = false;
    }
    if (s.keep == Keep::yes) {
        detail::log_warn("kept the ephemeral cluster directory {} (server log {})", s.base.string(),
                         log_path().string());
    } else {
        std::error_code ec;
        std::filesystem::remove_all(s.base, ec);
        if (ec) {
            detail::log_warn("could not remove {}: {}", s.base.string(), ec.message());
        }
    }
    m_state.reset();
}

} // namespace migsafe::platform
