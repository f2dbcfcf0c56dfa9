#include <migsafe/platform/duration.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>

using namespace std::chrono_literals;

TEST_CASE("migsafe::parse_duration reads every unit")
{
    CHECK(migsafe::parse_duration("500ms") == 500ms);
    CHECK(migsafe::parse_duration("10s") == 10s);
    CHECK(migsafe::parse_duration("5m") == 5min);
    CHECK(migsafe::parse_duration("24h") == 24h);
    CHECK(migsafe::parse_duration("30d") == 30 * 24h);
    CHECK(migsafe::parse_duration("7") == 7s);
}

TEST_CASE("migsafe::parse_duration rejects bad text naming the option")
{
    for (const char* bad : {"", "ms", "-1s", "10 s", "1y", "99999999999999999999d"}) {
        CAPTURE(bad);
        try {
            (void)migsafe::parse_duration(bad, "--lock-timeout");
            FAIL("no error thrown");
        } catch (const migsafe::Error& e) {
            CHECK(e.code() == "input-invalid-duration");
            CHECK(e.message() == std::string("invalid duration '") + bad + "' for --lock-timeout");
            CHECK(e.hint() == "write durations like 500ms, 10s, 5m, 24h or 30d");
            CHECK(migsafe::exit_code_for(e.category()) == 2);
        }
    }
}

TEST_CASE("migsafe::format_duration picks the largest exact unit")
{
    CHECK(migsafe::format_duration(1500ms) == "1500ms");
    CHECK(migsafe::format_duration(2s) == "2s");
    CHECK(migsafe::format_duration(24h) == "1d");
    CHECK(migsafe::format_duration(90min) == "90m");
    CHECK(migsafe::format_duration(0ms) == "0s");
}

TEST_CASE("migsafe::parse_bound refuses an empty or zero bound, naming the option")
{
    CHECK(migsafe::parse_bound("5s", "--lock-timeout") == 5s);
    CHECK(migsafe::parse_bound("1ms", "--wait") == 1ms);
    for (const char* text : {"", "0", "0ms", "0s", "0m"}) {
        CAPTURE(text);
        try {
            migsafe::parse_bound(text, "--lock-timeout");
            FAIL("no error");
        } catch (const migsafe::Error& error) {
            CHECK(error.code() == "usage-invalid-option");
            CHECK(error.context().object == "--lock-timeout");
            CHECK(error.message().rfind("--lock-timeout: ", 0) == 0);
            CHECK(error.message().find("would mean no bound at all") != std::string::npos);
            CHECK(migsafe::exit_code_for(error.category()) == 2);
        }
    }
    CHECK_THROWS_AS(migsafe::parse_bound("soon", "--wait"), migsafe::Error);
}
