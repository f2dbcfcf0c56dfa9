#pragma once
// Shared helpers of the snapshot db tests: a scratch store, a source database with a few
// kinds of tables, and empty restore targets.

#include "db/integrity/integrity_fixtures.hpp"
#include "support/test_db.hpp"

#include <migsafe/platform/session.hpp>

#include <fmt/format.h>

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace migsafe::test::snapshot {

/// A scratch folder, removed with its content at the end of the scope.
class TempDir {
public:
    TempDir()
    {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "migsafe-store-test-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        m_path = pattern;
    }
    ~TempDir()
    {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

/// Fills a source database: typed rows with a key, a bigserial table, an empty table,
/// a partitioned table with two partitions.
inline void fill_source(platform::Session& session, int rows = 3000)
{
    session.exec(integrity::items_sql(rows));
    session.exec(
        "CREATE TABLE notes (id bigserial PRIMARY KEY, body text NOT NULL);"
        "INSERT INTO notes (body) SELECT repeat('x', g % 50) FROM generate_series(1, 500) g;"
        "CREATE TABLE empty_table (a int);"
        "CREATE TABLE events (id int, at date NOT NULL) PARTITION BY RANGE (at);"
        "CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') "
        "TO ('2025-01-01');"
        "CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') "
        "TO ('2026-01-01');"
        "INSERT INTO events SELECT g, date '2024-06-01' + g FROM generate_series(1, 400) g");
}

/// A database created from template0 (no fixtures): an empty restore target. Dropped at
/// the end of the scope.
class EmptyDatabase {
public:
    EmptyDatabase()
        : m_name(fmt::format("migsafe_empty_{}_{}", ::getpid(), next()))
    {
        auto admin = platform::Session::connect(server_conninfo());
        admin.exec("CREATE DATABASE " + platform::quote_ident(m_name) + " TEMPLATE template0");
    }
    ~EmptyDatabase()
    {
        try {
            auto admin = platform::Session::connect(server_conninfo());
            admin.exec("DROP DATABASE IF EXISTS " + platform::quote_ident(m_name) +
                       " WITH (FORCE)");
        } catch (...) { // best effort
        }
    }
    EmptyDatabase(const EmptyDatabase&) = delete;
    EmptyDatabase& operator=(const EmptyDatabase&) = delete;
    std::string conninfo() const { return server_conninfo(m_name); }

private:
    static int next()
    {
        static std::atomic<int> counter{0};
        return ++counter;
    }
    std::string m_name;
};

/// The names of the entries of `dir` (files and folders), sorted.
inline std::vector<std::string> entries(const std::filesystem::path& dir)
{
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace migsafe::test::snapshot
