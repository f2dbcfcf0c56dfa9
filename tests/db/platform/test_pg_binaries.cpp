#include "support/scoped_env.hpp"
#include "support/test_db.hpp"

#include <migsafe/platform/cluster.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/pg_binaries.hpp>

#include <doctest/doctest.h>

#include <unistd.h>

using migsafe::test::ScopedEnv;
namespace platform = migsafe::platform;

namespace {

/// An empty temporary directory, removed at the end of the scope.
struct EmptyDir {
    EmptyDir()
    {
        std::string pattern = (std::filesystem::temp_directory_path() / "migsafe-empty-XXXXXX");
        path = mkdtemp(pattern.data());
    }
    ~EmptyDir() { std::filesystem::remove_all(path); }
    EmptyDir(const EmptyDir&) = delete;
    EmptyDir& operator=(const EmptyDir&) = delete;
    std::filesystem::path path;
};

} // namespace

TEST_CASE("platform::find_pg_binaries finds the installed server and its major version")
{
    migsafe::test::require_local_postgres();
    ScopedEnv unset("MIGSAFE_PG_BINDIR", std::nullopt);
    auto binaries = platform::find_pg_binaries();
    CHECK(binaries.major_version >= 13);
    CHECK(std::filesystem::exists(binaries.program("initdb")));
    CHECK_FALSE(binaries.found_by.empty());
}

TEST_CASE("platform::find_pg_binaries honours MIGSAFE_PG_BINDIR without falling back")
{
    EmptyDir empty;
    ScopedEnv bindir("MIGSAFE_PG_BINDIR", empty.path.string());
    try {
        platform::find_pg_binaries();
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "binary-not-found");
        CHECK(e.message() ==
              "initdb was not found in MIGSAFE_PG_BINDIR (" + empty.path.string() + ")");
        CHECK(e.hint() == "apt-get install postgresql-15 or set MIGSAFE_PG_BINDIR");
        CHECK(migsafe::exit_code_for(e.category()) == 3);
    }
    // A cluster cannot start either, with the same error.
    CHECK_THROWS_WITH_AS(platform::EphemeralCluster::start(),
                         doctest::Contains("[binary-not-found]"), migsafe::Error);
}

TEST_CASE("platform::find_pg_binaries with nothing in PATH or the versioned root fails")
{
    EmptyDir empty;
    ScopedEnv bindir("MIGSAFE_PG_BINDIR", std::nullopt);
    ScopedEnv path("PATH", "");
    try {
        platform::find_pg_binaries({.versioned_root = empty.path});
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "binary-not-found");
        CHECK(e.message().starts_with("PostgreSQL programs (initdb, pg_ctl, postgres, pg_dump, "
                                      "pg_restore, psql) were not found in MIGSAFE_PG_BINDIR"));
        CHECK(e.hint() == "apt-get install postgresql-15 or set MIGSAFE_PG_BINDIR");
        CHECK(migsafe::exit_code_for(e.category()) == 3);
    }
}
