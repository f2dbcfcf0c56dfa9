#pragma once
// The database test harness. Each test binary gets one server: the one named by
// MIGSAFE_TEST_DB (a libpq conninfo or URL), else an ephemeral cluster started on first
// use and shared by all test cases. Each test case gets its own database, cloned from a
// template that is prepared once. No server at all: the binary exits 125 (skipped), or
// fails under CI=true. When any test case failed, the cluster directory and its server
// log are kept and their path printed (.ci/run prints those logs).

#include <migsafe/platform/cluster.hpp>
#include <migsafe/platform/session.hpp>

#include <functional>
#include <string>

namespace migsafe::test {

/// Fills the template database once, before the first TestDatabase is cloned from it.
using TemplateHook = std::function<void(platform::Session& template_session)>;

/// Sets the template hook. Call it before the first TestDatabase (e.g. from a static
/// initializer or the first line of a test); later calls have no effect on a template
/// that was already prepared.
void set_template_hook(TemplateHook hook);

/// The conninfo of the shared server for `dbname`. Starts the server on first use; exits
/// 125 (or fails under CI=true) when there is none.
std::string server_conninfo(const std::string& dbname = "postgres");

/// Makes sure this machine has the PostgreSQL server programs (for tests that start their
/// own clusters); exits 125 (or fails under CI=true) when it has not.
void require_local_postgres();

/// Options for tests that start their own cluster: they share one initdb result (a cache
/// directory in TMPDIR removed after the last test), so each start costs ~0.3 s, not ~1.5 s.
platform::ClusterOptions cluster_options();

/// The shared ephemeral cluster, or nullptr when MIGSAFE_TEST_DB names the server.
platform::EphemeralCluster* shared_cluster();

/// A fresh database for one test case, cloned from the template, dropped by the
/// destructor unless the test case failed (then kept, and its name printed).
class TestDatabase {
public:
    TestDatabase();
    ~TestDatabase();
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    /// The database's name (`migsafe_test_<pid>_<n>`).
    const std::string& name() const { return m_name; }
    /// A conninfo for this database.
    std::string conninfo() const;
    /// A new session on this database.
    platform::Session connect() const;

private:
    std::string m_name;
};

} // namespace migsafe::test
