#include <migsafe/platform/error.hpp>
#include <migsafe/platform/session.hpp>

#include <doctest/doctest.h>

namespace platform = migsafe::platform;

TEST_CASE("platform::quote_ident doubles inner quotes")
{
    CHECK(platform::quote_ident("t") == "t"); // as PostgreSQL's quote_ident (test_identifier)
    CHECK(platform::quote_ident("My \"T\"") == "\"My \"\"T\"\"\"");
    CHECK(platform::quote_ident("") == "\"\"");
}

TEST_CASE("platform::quote_literal doubles quotes and escapes backslashes with E''")
{
    CHECK(platform::quote_literal("abc") == "'abc'");
    CHECK(platform::quote_literal("O'Brien") == "'O''Brien'");
    CHECK(platform::quote_literal("a\\b'c") == "E'a\\\\b''c'");
}

TEST_CASE("platform::conninfo_with_dbname replaces the database in either syntax")
{
    CHECK(platform::conninfo_with_dbname("host=/tmp/x port=5 dbname=postgres", "other") ==
          "host='/tmp/x' port='5' dbname='other'");
    CHECK(platform::conninfo_with_dbname("postgresql://u@h:7/db", "it's") ==
          "user='u' host='h' port='7' dbname='it\\'s'");
    CHECK_THROWS_WITH_AS(platform::conninfo_with_dbname("host=x password='oops", "d"),
                         doctest::Contains("[db-conninfo-invalid]"), migsafe::Error);
}
