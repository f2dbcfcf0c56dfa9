// The scratch server of a rehearsal and the databases made on it.
#include "workflow/rehearse_server.hpp"

#include "platform/catalog/rehearse_queries.hpp"
#include "platform/logging.hpp"

#include <migsafe/platform/conninfo.hpp>
#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>

namespace migsafe::workflow::detail {
namespace {

constexpr const char* k_application_name = "migsafe rehearse";

} // namespace

RehearsalServer::RehearsalServer(std::optional<platform::EphemeralCluster> cluster,
                                 platform::ConnInfo base, platform::Session admin)
    : m_cluster(std::move(cluster))
    , m_base(std::move(base))
    , m_admin(std::move(admin))
    , m_prefix(fmt::format("migsafe_rehearse_{}_", ::getpid()))
{
}

RehearsalServer RehearsalServer::ephemeral()
{
    auto cluster = platform::EphemeralCluster::start({.settings = {"max_connections = 40"}});
    auto base = platform::ConnInfo::parse(cluster.conninfo("postgres"));
    auto admin = platform::Session::connect(base, {.application_name = k_application_name});
    return RehearsalServer(std::move(cluster), std::move(base), std::move(admin));
}

RehearsalServer RehearsalServer::existing(const std::string& conninfo)
{
    // The maintenance connection must not be to a database that gets copied.
    auto base = platform::ConnInfo::parse(conninfo);
    std::optional<platform::Session> admin;
    for (const char* database : {"postgres", "template1"}) {
        try {
            admin.emplace(platform::Session::connect(base.other_database(database),
                                                     {.application_name = k_application_name}));
            break;
        } catch (const Error& error) {
            if (error.code() != "db-connect-failed" || std::string(database) == "template1") {
                throw;
            }
        }
    }
    return RehearsalServer(std::nullopt, std::move(base), std::move(*admin));
}

RehearsalServer::~RehearsalServer()
{
    for (auto it = m_made.rbegin(); it != m_made.rend(); ++it) {
        try {
            platform::catalog::drop_database_force(m_admin, *it);
        } catch (const std::exception& error) {
            migsafe::detail::log_warn("rehearse: could not drop the database {}: {}", *it,
                                      error.what());
        }
    }
}

std::string RehearsalServer::conninfo(const std::string& database) const
{
    return m_base.other_database(database).text();
}

platform::ConnInfo RehearsalServer::parsed_conninfo(const std::string& database) const
{
    return m_base.other_database(database);
}

std::string RehearsalServer::next_name()
{
    return m_prefix + std::to_string(++m_counter);
}

std::string RehearsalServer::create_empty()
{
    auto name = next_name();
    platform::catalog::create_empty_database(m_admin, name);
    m_made.push_back(name);
    return name;
}

std::string RehearsalServer::copy(const std::string& source)
{
    auto name = next_name();
    platform::catalog::copy_database(m_admin, name, source);
    m_made.push_back(name);
    return name;
}

void RehearsalServer::drop(const std::string& database)
{
    platform::catalog::drop_database_force(m_admin, database);
    m_made.erase(std::remove(m_made.begin(), m_made.end(), database), m_made.end());
}

std::string RehearsalServer::description() const
{
    const int version = m_admin.server_version();
    const auto number = fmt::format("{}.{}", version / 10000, version % 10000);
    return m_cluster ? fmt::format("ephemeral (PostgreSQL {})", number)
                     : fmt::format("{} (PostgreSQL {})", m_base.masked(), number);
}

int RehearsalServer::server_version() const
{
    return m_admin.server_version();
}

RehearsalDatabase::RehearsalDatabase(RehearsalServer& server, std::string name)
    : m_server(server)
    , m_name(std::move(name))
{
}

std::string RehearsalDatabase::conninfo() const
{
    return m_server.conninfo(m_name);
}

platform::Session& RehearsalDatabase::session()
{
    if (!m_session) {
        m_session.emplace(platform::Session::connect(m_server.parsed_conninfo(m_name),
                                                     {.application_name = k_application_name}));
    }
    return *m_session;
}

std::string RehearsalDatabase::copy()
{
    m_session.reset();
    return m_server.copy(m_name);
}

void RehearsalDatabase::replace_with(std::string other)
{
    m_session.reset();
    m_server.drop(m_name);
    m_name = std::move(other);
}

void RehearsalDatabase::drop()
{
    m_session.reset();
    m_server.drop(m_name);
}

} // namespace migsafe::workflow::detail
