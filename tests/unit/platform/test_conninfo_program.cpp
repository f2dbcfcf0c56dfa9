// platform::ConnInfo::for_program keeps passwords off child programs' command lines.
#include <migsafe/platform/conninfo.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/libpq_environment.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>

namespace {

migsafe::platform::ConnInfo::ForProgram program_connection(std::string_view conninfo)
{
    return migsafe::platform::ConnInfo::parse(conninfo).for_program();
}

} // namespace

TEST_CASE("platform::ConnInfo::for_program moves the password into PGPASSWORD")
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

TEST_CASE("platform::ConnInfo::for_program rejects a malformed conninfo without the password")
{
    try {
        program_connection("host=x password=s3cret = =");
        FAIL("expected db-conninfo-invalid");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "db-conninfo-invalid");
        CHECK(e.message().find("s3cret") == std::string::npos);
    }
}

TEST_CASE("platform::ConnInfo::for_program expands a dbname that is a URL, keeping its password "
          "off the command line")
{
    ::unsetenv("PGPASSWORD");
    auto nested = program_connection("host=/tmp dbname=postgresql://app:s3cret@db.example/shop");
    CHECK(nested.conninfo.find("s3cret") == std::string::npos);
    CHECK(nested.conninfo.find("host='db.example'") != std::string::npos);
    CHECK(nested.conninfo.find("dbname='shop'") != std::string::npos);
    REQUIRE(nested.env.size() == 1);
    CHECK(nested.env[0] == std::pair<std::string, std::string>{"PGPASSWORD", "s3cret"});

    auto keywords = program_connection("dbname='host=h password=p4ss dbname=d'");
    CHECK(keywords.conninfo.find("p4ss") == std::string::npos);
    CHECK(keywords.conninfo.find("dbname='d'") != std::string::npos);
    REQUIRE(keywords.env.size() == 1);
    CHECK(keywords.env[0].second == "p4ss");
}

TEST_CASE("platform::ConnInfo::for_program hands this process's PGPASSWORD to the child that "
          "connects")
{
    ::setenv("PGPASSWORD", "from-env", 1);
    auto plain = program_connection("host=/tmp dbname=a");
    REQUIRE(plain.env.size() == 1);
    CHECK(plain.env[0] == std::pair<std::string, std::string>{"PGPASSWORD", "from-env"});
    auto own = program_connection("host=/tmp dbname=a password=given");
    REQUIRE(own.env.size() == 1);
    CHECK(own.env[0].second == "given");
    auto env = migsafe::platform::libpq_environment("host=/tmp dbname=a");
    CHECK(std::find(env.begin(), env.end(),
                    std::pair<std::string, std::string>{"PGPASSWORD", "from-env"}) != env.end());
    ::unsetenv("PGPASSWORD");
}
