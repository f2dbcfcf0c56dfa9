// The flags panel's access rules and its --listen address, without a server.
#include "flags/panel_auth.hpp"
#include "support/scoped_env.hpp"

#include <migsafe/flags/panel.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace flags = migsafe::flags;
namespace detail = migsafe::flags::detail;
using migsafe::test::ScopedEnv;

TEST_CASE("flags::detail::authorized accepts only `Bearer TOKEN` with the exact token")
{
    const std::string token = "0123456789abcdef0123";
    CHECK(detail::authorized("Bearer " + token, token));
    CHECK(detail::authorized("bearer  " + token + " ", token));
    CHECK_FALSE(detail::authorized("", token));
    CHECK_FALSE(detail::authorized("Bearer", token));
    CHECK_FALSE(detail::authorized("Bearer ", token));
    CHECK_FALSE(detail::authorized("Basic " + token, token));
    CHECK_FALSE(detail::authorized(token, token));
    CHECK_FALSE(detail::authorized("Bearer " + token + "x", token));
    CHECK_FALSE(detail::authorized("Bearer " + token.substr(1), token));
    CHECK_FALSE(detail::authorized("Bearer x", ""));
}

TEST_CASE("flags::detail::constant_time_equal compares every byte and the length")
{
    CHECK(detail::constant_time_equal("abc", "abc"));
    CHECK_FALSE(detail::constant_time_equal("abd", "abc"));
    CHECK_FALSE(detail::constant_time_equal("ab", "abc"));
    CHECK_FALSE(detail::constant_time_equal("abcd", "abc"));
    CHECK_FALSE(detail::constant_time_equal(std::string("ab\0", 3), "ab"));
    CHECK(detail::constant_time_equal("", ""));
}

TEST_CASE("flags::detail::same_origin and is_json_content_type: what a write may carry")
{
    CHECK(detail::same_origin("", "127.0.0.1:8080"));
    CHECK(detail::same_origin("http://127.0.0.1:8080", "127.0.0.1:8080"));
    CHECK(detail::same_origin("https://panel.example", "panel.example"));
    CHECK_FALSE(detail::same_origin("http://evil.example", "127.0.0.1:8080"));
    CHECK_FALSE(detail::same_origin("http://127.0.0.1:8081", "127.0.0.1:8080"));
    CHECK_FALSE(detail::same_origin("null", "127.0.0.1:8080"));
    CHECK_FALSE(detail::same_origin("http://127.0.0.1:8080", ""));
    CHECK(detail::is_json_content_type("application/json"));
    CHECK(detail::is_json_content_type("Application/JSON; charset=utf-8"));
    CHECK_FALSE(detail::is_json_content_type("text/plain"));
    CHECK_FALSE(detail::is_json_content_type("application/x-www-form-urlencoded"));
    CHECK_FALSE(detail::is_json_content_type("multipart/form-data; boundary=x"));
    CHECK_FALSE(detail::is_json_content_type(""));
}

TEST_CASE("flags::parse_listen_address: loopback by default, remote only when allowed")
{
    using flags::AllowRemote;
    auto local = flags::parse_listen_address("127.0.0.1:8080", AllowRemote::no);
    CHECK(local.host == "127.0.0.1");
    CHECK(local.port == 8080);
    CHECK(flags::parse_listen_address("[::1]:0", AllowRemote::no).host == "::1");
    CHECK(flags::parse_listen_address("localhost:9000", AllowRemote::no).port == 9000);
    CHECK(flags::parse_listen_address("127.1.2.3:1", AllowRemote::no).port == 1);
    CHECK(flags::parse_listen_address("0.0.0.0:8080", AllowRemote::yes).host == "0.0.0.0");

    for (const char* remote : {"0.0.0.0:8080", "192.168.1.5:80", "[::]:8080", "example.com:80"}) {
        CAPTURE(remote);
        try {
            (void)flags::parse_listen_address(remote, AllowRemote::no);
            FAIL("no error");
        } catch (const migsafe::Error& e) {
            CHECK(e.code() == "panel-remote-not-allowed");
            CHECK(e.message().find("--allow-remote") != std::string::npos);
            CHECK(migsafe::exit_code_for(e.category()) == 2);
        }
    }
    for (const char* bad : {"8080", "127.0.0.1", "127.0.0.1:", ":8080", "127.0.0.1:65536",
                            "127.0.0.1:80x", "::1:8080"}) {
        CAPTURE(bad);
        try {
            (void)flags::parse_listen_address(bad, AllowRemote::no);
            FAIL("no error");
        } catch (const migsafe::Error& e) {
            CHECK(e.code() == "usage-invalid-option");
            CHECK(e.message().rfind(std::string("--listen '") + bad + "' is not HOST:PORT", 0) ==
                  0);
        }
    }
}

TEST_CASE("flags::panel_token reads MIGSAFE_PANEL_TOKEN or the token file, and refuses none "
          "or a short one")
{
    {
        ScopedEnv token("MIGSAFE_PANEL_TOKEN", std::string("  0123456789abcdef-env \n"));
        CHECK(flags::panel_token(std::nullopt) == "0123456789abcdef-env");
    }
    {
        ScopedEnv token("MIGSAFE_PANEL_TOKEN", std::nullopt);
        try {
            (void)flags::panel_token(std::nullopt);
            FAIL("no error");
        } catch (const migsafe::Error& e) {
            CHECK(e.code() == "panel-token-missing");
            CHECK(e.message() == "no token for the flags panel: MIGSAFE_PANEL_TOKEN is not set "
                                 "and no --token-file was given");
        }
        const auto file = std::filesystem::temp_directory_path() / "migsafe-panel-token-test";
        std::ofstream(file) << "0123456789abcdef-file\nsecond line ignored\n";
        CHECK(flags::panel_token(file) == "0123456789abcdef-file");
        std::ofstream(file, std::ios::trunc) << "short\n";
        try {
            (void)flags::panel_token(file);
            FAIL("no error");
        } catch (const migsafe::Error& e) {
            CHECK(e.code() == "panel-token-weak");
            CHECK(e.message().find("short") == std::string::npos); // never the token
        }
        std::filesystem::remove(file);
        try {
            (void)flags::panel_token(file);
            FAIL("no error");
        } catch (const migsafe::Error& e) {
            CHECK(e.code() == "panel-token-missing");
            CHECK(e.context().file == file.string());
        }
    }
}
