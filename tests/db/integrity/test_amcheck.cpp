#include "support/test_db.hpp"

#include <migsafe/integrity/amcheck.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>

using migsafe::integrity::InstallAmcheck;
using migsafe::integrity::run_amcheck;
using migsafe::test::TestDatabase;

namespace {

void create_indexed_table(const TestDatabase& db)
{
    db.connect().exec("CREATE FUNCTION shifted(x int) RETURNS int LANGUAGE sql IMMUTABLE "
                      "AS 'SELECT x + 1';"
                      "CREATE TABLE readings (id int PRIMARY KEY, v int NOT NULL);"
                      "INSERT INTO readings SELECT g, g FROM generate_series(1, 5000) g;"
                      "CREATE INDEX readings_shifted ON readings (shifted(v));");
}

} // namespace

TEST_CASE("migsafe::integrity::run_amcheck without the extension throws amcheck-unavailable")
{
    TestDatabase db;
    create_indexed_table(db);
    try {
        run_amcheck(db.conninfo());
        FAIL("expected amcheck-unavailable");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "amcheck-unavailable");
        CHECK(migsafe::exit_code_for(e.category()) == 3);
        CHECK(e.hint().find("CREATE EXTENSION amcheck") != std::string::npos);
    }
}

TEST_CASE("migsafe::integrity::run_amcheck passes a healthy database and finds a lying index")
{
    TestDatabase db;
    create_indexed_table(db);
    auto healthy = run_amcheck(db.conninfo(), {.install = InstallAmcheck::yes});
    CHECK_FALSE(healthy.corruption_found);
    CHECK(healthy.problems.empty());

    // An "immutable" function that changes its results: the index no longer holds what
    // the heap says it should, which only a physical check can see.
    db.connect().exec("CREATE OR REPLACE FUNCTION shifted(x int) RETURNS int LANGUAGE sql "
                      "IMMUTABLE AS 'SELECT x + 2'");
    auto corrupt = run_amcheck(db.conninfo());
    CHECK(corrupt.corruption_found);
    REQUIRE_FALSE(corrupt.problems.empty());
    bool names_index = false;
    for (const auto& line : corrupt.problems) {
        names_index = names_index || line.find("readings_shifted") != std::string::npos;
    }
    CHECK(names_index);
}
