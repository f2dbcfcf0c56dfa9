// platform::program_connection keeps passwords off child programs' command lines.
#include "platform/pg_program_conninfo.hpp"

#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>

using migsafe::platform::program_connection;

TEST_CASE("platform::program_connection moves the password into PGPASSWORD")
{
    auto url = program_connection("postgresql://app:s3cret@db.example:5433/shop");
    CHECK(url.conninfo.find("s3cret") == std::string::npos);
    CHECK(url.conninfo.find("host='db.example'") != std::string::npos);
    CHECK(url.conninfo.find("port='5433'") != std::string::npos);
    CHECK(url.conninfo.find("dbname='shop'") != std::string::npos);
    REQUIRE(url.env.size() == 1);
    CHECK(url.env[0] == std::pair<std::string, std::string>{"PGPASSWORD", "s3cret"});

    auto pairs = program_connection("host=/tmp/x user=postgres dbname=a");
    CHECK(pairs.env.empty());
    CHECK(pairs.conninfo.find("user='postgres'") != std::string::npos);
}

TEST_CASE("platform::program_connection rejects a malformed conninfo without the password")
{
    try {
        program_connection("host=x password=s3cret = =");
        FAIL("expected db-conninfo-invalid");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "db-conninfo-invalid");
        CHECK(e.message().find("s3cret") == std::string::npos);
    }
}
