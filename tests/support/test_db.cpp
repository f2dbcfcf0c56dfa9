#include "support/test_db.hpp"

#include <migsafe/platform/error.hpp>
#include <migsafe/platform/pg_binaries.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <unistd.h>

#include <cstdlib>
#include <exception>
#include <iostream>
#include <memory>
#include <mutex>

namespace migsafe::test {
namespace {

using platform::EphemeralCluster;
using platform::Session;

/// Everything the harness shares within one test binary.
struct Harness {
    std::mutex mutex;
    bool started = false;
    std::unique_ptr<EphemeralCluster> cluster;
    std::string conninfo; ///< the server's conninfo (MIGSAFE_TEST_DB or the cluster's)
    std::unique_ptr<Session> admin;
    TemplateHook hook;
    std::string template_name;
    int databases = 0;
    bool case_failed = false;
    std::filesystem::path initdb_cache;
};

Harness& harness()
{
    static Harness instance;
    return instance;
}

bool env_is(const char* name, std::string_view value)
{
    const char* set = std::getenv(name);
    return set != nullptr && std::string_view(set) == value;
}

[[noreturn]] void no_server(const std::string& reason)
{
    std::cerr << "migsafe db tests: no PostgreSQL server: " << reason << '\n';
    if (env_is("CI", "true")) {
        std::cerr << "migsafe db tests: CI=true, so a missing server is a failure\n";
        std::exit(1);
    }
    std::cerr << "migsafe db tests: skipped (exit 125); set MIGSAFE_TEST_DB or install "
                 "postgresql-15\n";
    std::exit(125);
}

/// Starts (or finds) the server and prepares the template. Caller holds the mutex.
void ensure_started(Harness& h)
{
    if (h.started) {
        return;
    }
    try {
        if (const char* external = std::getenv("MIGSAFE_TEST_DB");
            external != nullptr && *external != '\0') {
            h.conninfo = external;
        } else {
            h.cluster = std::make_unique<EphemeralCluster>(
                EphemeralCluster::start({.initdb_cache = cluster_options().initdb_cache}));
            h.conninfo = h.cluster->conninfo();
            std::cerr << fmt::format("migsafe db tests: cluster in {} started in {} ms\n",
                                     h.cluster->base_dir().string(),
                                     h.cluster->start_duration().count());
        }
        h.admin = std::make_unique<Session>(Session::connect(h.conninfo));
    } catch (const Error& e) {
        no_server(e.what());
    }
    h.template_name = fmt::format("migsafe_test_template_{}", getpid());
    h.admin->exec("DROP DATABASE IF EXISTS " + platform::quote_ident(h.template_name));
    h.admin->exec("CREATE DATABASE " + platform::quote_ident(h.template_name));
    if (h.hook) {
        auto session = Session::connect(h.conninfo, {.dbname = h.template_name});
        h.hook(session);
    }
    h.started = true;
}

/// Called once after the last test case: keeps or removes what the harness made.
void finish(bool failed)
{
    Harness& h = harness();
    std::lock_guard lock(h.mutex);
    if (!h.initdb_cache.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(h.initdb_cache, ec);
    }
    if (!h.started) {
        return;
    }
    if (!failed) {
        try {
            h.admin->exec("DROP DATABASE IF EXISTS " + platform::quote_ident(h.template_name));
        } catch (const Error& e) {
            std::cerr << "migsafe db tests: " << e.what() << '\n';
        }
    }
    h.admin.reset();
    if (h.cluster && failed) {
        h.cluster->keep();
        std::cerr << fmt::format("migsafe db tests: tests failed; kept the cluster in {} "
                                 "(server log {})\n",
                                 h.cluster->base_dir().string(), h.cluster->log_path().string());
    }
    h.cluster.reset();
    h.started = false;
}

/// Tracks failures: per test case (to keep its database) and per run (to keep the cluster).
struct FailureListener : public doctest::IReporter {
    explicit FailureListener(const doctest::ContextOptions& /*options*/) {}
    void report_query(const doctest::QueryData& /*data*/) override {}
    void test_run_start() override {}
    void test_run_end(const doctest::TestRunStats& stats) override
    {
        finish(stats.numTestCasesFailed > 0 || stats.numAssertsFailed > 0);
    }
    void test_case_start(const doctest::TestCaseData& /*data*/) override
    {
        harness().case_failed = false;
    }
    void test_case_reenter(const doctest::TestCaseData& /*data*/) override {}
    void test_case_end(const doctest::CurrentTestCaseStats& /*stats*/) override {}
    void test_case_exception(const doctest::TestCaseException& /*data*/) override
    {
        harness().case_failed = true;
    }
    void subcase_start(const doctest::SubcaseSignature& /*data*/) override {}
    void subcase_end() override {}
    void log_assert(const doctest::AssertData& data) override
    {
        if (data.m_failed) {
            harness().case_failed = true;
        }
    }
    void log_message(const doctest::MessageData& /*data*/) override {}
    void test_case_skipped(const doctest::TestCaseData& /*data*/) override {}
};

REGISTER_LISTENER("migsafe-test-db", 1, FailureListener);

} // namespace

void set_template_hook(TemplateHook hook)
{
    Harness& h = harness();
    std::lock_guard lock(h.mutex);
    h.hook = std::move(hook);
}

std::string server_conninfo(const std::string& dbname)
{
    Harness& h = harness();
    std::lock_guard lock(h.mutex);
    ensure_started(h);
    return platform::conninfo_with_dbname(h.conninfo, dbname);
}

platform::ClusterOptions cluster_options()
{
    Harness& h = harness();
    if (h.initdb_cache.empty()) {
        const char* tmp = std::getenv("TMPDIR");
        std::filesystem::path parent = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
        h.initdb_cache = parent / fmt::format("migsafe-initdb-cache-{}", getpid());
    }
    return {.initdb_cache = h.initdb_cache};
}

void require_local_postgres()
{
    try {
        platform::find_pg_binaries();
    } catch (const Error& e) {
        no_server(e.what());
    }
}

platform::EphemeralCluster* shared_cluster()
{
    Harness& h = harness();
    std::lock_guard lock(h.mutex);
    ensure_started(h);
    return h.cluster.get();
}

TestDatabase::TestDatabase()
{
    Harness& h = harness();
    std::lock_guard lock(h.mutex);
    ensure_started(h);
    m_name = fmt::format("migsafe_test_{}_{}", getpid(), ++h.databases);
    // FILE_COPY (PostgreSQL 15+) copies the small template faster than WAL_LOG does.
    const bool file_copy = h.admin->server_version() >= 150000;
    h.admin->exec(fmt::format("CREATE DATABASE {} TEMPLATE {}{}", platform::quote_ident(m_name),
                              platform::quote_ident(h.template_name),
                              file_copy ? " STRATEGY FILE_COPY" : ""));
}

TestDatabase::~TestDatabase()
{
    Harness& h = harness();
    std::lock_guard lock(h.mutex);
    if (h.case_failed || std::uncaught_exceptions() > 0) {
        std::cerr << fmt::format("migsafe db tests: test case failed; kept database {}\n", m_name);
        return;
    }
    try {
        h.admin->exec(
            fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", platform::quote_ident(m_name)));
    } catch (const Error& e) {
        std::cerr << "migsafe db tests: " << e.what() << '\n';
    }
}

std::string TestDatabase::conninfo() const
{
    return server_conninfo(m_name);
}

platform::Session TestDatabase::connect() const
{
    return Session::connect(server_conninfo(m_name));
}

} // namespace migsafe::test
