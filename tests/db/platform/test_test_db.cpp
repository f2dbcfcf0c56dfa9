// The harness itself: one database per test case, cloned from a prepared template.
#include "support/test_db.hpp"

#include <migsafe/platform/session.hpp>

#include <doctest/doctest.h>

using migsafe::test::TestDatabase;

namespace {
// Runs before the template is made (static initialization precedes the first test).
const bool k_hook_set = [] {
    migsafe::test::set_template_hook([](migsafe::platform::Session& session) {
        session.exec("CREATE TABLE fixture (id int); INSERT INTO fixture VALUES (42)");
    });
    return true;
}();
} // namespace

TEST_CASE("migsafe::test::TestDatabase clones the template with its fixtures")
{
    REQUIRE(k_hook_set);
    TestDatabase db;
    auto session = db.connect();
    CHECK(session.query_value("SELECT current_database()") == db.name());
    CHECK(session.query_value("SELECT id FROM fixture") == "42");
    session.exec("CREATE TABLE only_in_first (x int)");
}

TEST_CASE("migsafe::test::TestDatabase isolates test cases from each other")
{
    TestDatabase db;
    auto session = db.connect();
    CHECK(session.query_value("SELECT to_regclass('only_in_first')::text") == std::nullopt);
    session.exec("CREATE TABLE only_in_first (x int)"); // no clash: a fresh database
    TestDatabase other;
    auto other_session = other.connect();
    CHECK(other_session.query_value("SELECT to_regclass('only_in_first')::text") == std::nullopt);
    CHECK(other.name() != db.name());
}
