// The flags panel over real HTTP (cpp-httplib's client) and a real store: the token, the
// write rules (JSON, same origin, reason, version) and the event it records.
#include "panel_fixture.hpp"
#include "support/test_db.hpp"

#include <migsafe/flags/bucket.hpp>
#include <migsafe/flags/json.hpp>
#include <migsafe/flags/panel.hpp>
#include <migsafe/flags/store.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

using migsafe::test::create_test_flag;
using migsafe::test::k_panel_token;
using migsafe::test::PanelServer;
using migsafe::test::TestDatabase;
namespace flags = migsafe::flags;

namespace {

/// The environment `production` of `key` as the store has it (enabled, version), and how
/// many events the flag has: what "nothing changed" is checked against.
struct Observed {
    bool enabled = false;
    int rollout = 0;
    std::int64_t version = 0;
    std::size_t events = 0;
    friend bool operator==(const Observed&, const Observed&) = default;
};

Observed observe(migsafe::platform::Session& session, const std::string& key)
{
    const auto flag = flags::get_flag(session, key);
    Observed observed;
    if (const auto* state = flag.environment("production")) {
        observed.enabled = state->enabled;
        observed.rollout = state->rollout;
        observed.version = state->version;
    }
    observed.events = flags::flag_history(session, key).size();
    return observed;
}

std::string change_body(const std::string& reason, std::int64_t version,
                        const std::string& actor = "alice")
{
    return nlohmann::json{
        {"env", "production"}, {"reason", reason}, {"version", version}, {"actor", actor}}
        .dump();
}

nlohmann::json error_of(const httplib::Result& result)
{
    REQUIRE(result);
    const auto body = nlohmann::json::parse(result->body, nullptr, false);
    REQUIRE(body.contains("error"));
    return body["error"];
}

} // namespace

TEST_CASE("flags::Panel refuses an API request without the token, or with a wrong one, with "
          "401 and changes nothing")
{
    TestDatabase db;
    auto session = db.connect();
    flags::ensure_store(session);
    create_test_flag(session, "new-checkout");
    const auto before = observe(session, "new-checkout");
    PanelServer panel(db);

    for (const std::string& token :
         {std::string(), std::string("wrong-token-0123456789"), std::string(k_panel_token) + "x",
          std::string(k_panel_token).substr(0, 10)}) {
        CAPTURE(token);
        auto client = panel.client(token);
        auto write =
            client.Post("/api/flags/new-checkout/enable", change_body("go", 0), "application/json");
        REQUIRE(write);
        CHECK(write->status == 401);
        CHECK(error_of(write)["code"] == "panel-unauthorized");
        CHECK(write->get_header_value("WWW-Authenticate").rfind("Bearer", 0) == 0);
        auto read = client.Get("/api/flags");
        REQUIRE(read);
        CHECK(read->status == 401);
        CHECK(read->body.find("new-checkout") == std::string::npos);
        auto events = client.Get("/api/events");
        REQUIRE(events);
        CHECK(events->status == 401);
    }
    // A cookie or a Basic header is not the bearer token.
    httplib::Client basic("127.0.0.1", panel.port());
    auto with_basic = basic.Post("/api/flags/new-checkout/enable",
                                 {{"Authorization", std::string("Basic ") + k_panel_token},
                                  {"Cookie", std::string("token=") + k_panel_token}},
                                 change_body("go", 0), "application/json");
    REQUIRE(with_basic);
    CHECK(with_basic->status == 401);

    CHECK(observe(session, "new-checkout") == before);
}

TEST_CASE("flags::Panel refuses a cross-origin write with 403 and a write that is not JSON "
          "with 415, and changes nothing")
{
    TestDatabase db;
    auto session = db.connect();
    flags::ensure_store(session);
    create_test_flag(session, "new-checkout");
    const auto before = observe(session, "new-checkout");
    PanelServer panel(db);
    auto client = panel.client();

    auto foreign =
        client.Post("/api/flags/new-checkout/enable", {{"Origin", "http://evil.example"}},
                    change_body("go", 0), "application/json");
    REQUIRE(foreign);
    CHECK(foreign->status == 403);
    CHECK(error_of(foreign)["code"] == "panel-cross-origin");
    CHECK(error_of(foreign)["message"] ==
          "a write from origin http://evil.example to this panel is refused; nothing was "
          "changed");

    auto null_origin = client.Post("/api/flags/new-checkout/enable", {{"Origin", "null"}},
                                   change_body("go", 0), "application/json");
    REQUIRE(null_origin);
    CHECK(null_origin->status == 403);

    // What an HTML form on another site can send: text/plain or a form encoding.
    for (const char* type : {"text/plain", "application/x-www-form-urlencoded"}) {
        auto form = client.Post("/api/flags/new-checkout/enable", change_body("go", 0), type);
        REQUIRE(form);
        CHECK(form->status == 415);
    }
    CHECK(observe(session, "new-checkout") == before);

    // The page's own origin is accepted.
    auto same =
        client.Post("/api/flags/new-checkout/enable", {{"Origin", "http://" + panel.host()}},
                    change_body("go", 0), "application/json; charset=utf-8");
    REQUIRE(same);
    CHECK(same->status == 200);
    CHECK(observe(session, "new-checkout").enabled);
}

TEST_CASE("flags::Panel refuses a change without a reason with 400 and changes nothing")
{
    TestDatabase db;
    auto session = db.connect();
    flags::ensure_store(session);
    create_test_flag(session, "new-checkout");
    const auto before = observe(session, "new-checkout");
    PanelServer panel(db);
    auto client = panel.client();

    for (const std::string& reason : {std::string(), std::string("   ")}) {
        auto result = client.Post("/api/flags/new-checkout/enable", change_body(reason, 0),
                                  "application/json");
        REQUIRE(result);
        CHECK(result->status == 400);
        CHECK(error_of(result)["code"] == "flag-reason-required");
        CHECK(error_of(result)["message"] ==
              "a change to flag new-checkout needs a reason; nothing was changed");
    }
    auto no_version = client.Post("/api/flags/new-checkout/enable",
                                  nlohmann::json{{"env", "production"}, {"reason", "go"}}.dump(),
                                  "application/json");
    REQUIRE(no_version);
    CHECK(no_version->status == 400);
    CHECK(error_of(no_version)["code"] == "panel-request-invalid");

    auto not_json = client.Post("/api/flags/new-checkout/enable", "{reason", "application/json");
    REQUIRE(not_json);
    CHECK(not_json->status == 400);
    CHECK(error_of(not_json)["message"] == "the request body is not a JSON object");

    auto bad_rollout = client.Post(
        "/api/flags/new-checkout/rollout",
        nlohmann::json{
            {"env", "production"}, {"reason", "ramp"}, {"version", 0}, {"percentage", 150}}
            .dump(),
        "application/json");
    REQUIRE(bad_rollout);
    CHECK(bad_rollout->status == 400);
    CHECK(error_of(bad_rollout)["code"] == "flag-invalid");

    CHECK(observe(session, "new-checkout") == before);
}

TEST_CASE("flags::Panel refuses a change made on a stale version with 409, naming who changed "
          "the flag meanwhile, and keeps their change")
{
    TestDatabase db;
    auto session = db.connect();
    flags::ensure_store(session);
    create_test_flag(session, "new-checkout");
    PanelServer panel(db);
    auto client = panel.client();

    // Two people read version 0; bob turns it on first.
    const auto shown = observe(session, "new-checkout").version;
    auto first = client.Post("/api/flags/new-checkout/enable",
                             change_body("canary looks fine", shown, "bob"), "application/json");
    REQUIRE(first);
    REQUIRE(first->status == 200);
    const auto after_bob = observe(session, "new-checkout");
    CHECK(after_bob.enabled);

    auto second = client.Post("/api/flags/new-checkout/kill",
                              change_body("errors in eu-west", shown, "carol"), "application/json");
    REQUIRE(second);
    CHECK(second->status == 409);
    const auto error = error_of(second);
    CHECK(error["code"] == "flag-conflict");
    CHECK(error["message"].get<std::string>().find("panel:bob") != std::string::npos);
    CHECK(observe(session, "new-checkout") == after_bob);

    // Against the version it now shows, the same change goes through.
    auto again = client.Post("/api/flags/new-checkout/kill",
                             change_body("errors in eu-west", after_bob.version, "carol"),
                             "application/json");
    REQUIRE(again);
    CHECK(again->status == 200);
    CHECK_FALSE(observe(session, "new-checkout").enabled);
}

TEST_CASE("flags::Panel records a toggle and a rollout in the event table with the actor "
          "panel:NAME and the reason")
{
    TestDatabase db;
    auto session = db.connect();
    flags::ensure_store(session);
    create_test_flag(session, "new-checkout");
    PanelServer panel(db);
    auto client = panel.client();

    auto on = client.Post("/api/flags/new-checkout/enable",
                          change_body("start the canary", 0, "alice"), "application/json");
    REQUIRE(on);
    REQUIRE(on->status == 200);
    const auto flag =
        flags::flags_from_json("[" + nlohmann::json::parse(on->body)["flag"].dump() + "]");
    REQUIRE(flag.size() == 1);
    const auto* state = flag[0].environment("production");
    REQUIRE(state != nullptr);
    CHECK(state->enabled);

    auto ramp = client.Post("/api/flags/new-checkout/rollout",
                            nlohmann::json{{"env", "production"},
                                           {"reason", "ramp to a quarter"},
                                           {"version", state->version},
                                           {"percentage", 25}}
                                .dump(),
                            "application/json");
    REQUIRE(ramp);
    REQUIRE(ramp->status == 200);

    const auto history = flags::flag_history(session, "new-checkout", "production");
    REQUIRE(history.size() >= 2);
    CHECK(history[0].action == "rollout");
    CHECK(history[0].actor == "panel:panel"); // no name typed: the default
    CHECK(history[0].reason == "ramp to a quarter");
    CHECK(history[1].action == "enable");
    CHECK(history[1].actor == "panel:alice");
    CHECK(history[1].reason == "start the canary");
    CHECK(history[1].env == "production");

    // What the page shows next: the flag on at 25 %, and the changes with their reasons.
    auto listed = client.Get("/api/flags?env=production");
    REQUIRE(listed);
    REQUIRE(listed->status == 200);
    const auto page = nlohmann::json::parse(listed->body);
    CHECK(page["env"] == "production");
    REQUIRE(page["flags"].size() == 1);
    CHECK(page["flags"][0]["owner"] == "team-checkout");
    CHECK(page["flags"][0]["environments"][0]["rollout"] == 25);
    CHECK(page["stale"].empty());

    auto events = client.Get("/api/events?limit=10");
    REQUIRE(events);
    REQUIRE(events->status == 200);
    const auto recent = nlohmann::json::parse(events->body)["events"];
    REQUIRE(recent.size() >= 2);
    CHECK(recent[0]["reason"] == "ramp to a quarter");
    CHECK(recent[1]["actor"] == "panel:alice");

    auto bad_name = client.Post("/api/flags/new-checkout/disable",
                                change_body("stop", 2, "alice<script>"), "application/json");
    REQUIRE(bad_name);
    CHECK(bad_name->status == 400);
    CHECK(error_of(bad_name)["code"] == "panel-request-invalid");
}

TEST_CASE("flags::Panel evaluates a flag for a user with its bucket and reason, and says "
          "404 with the closest key for an unknown flag")
{
    TestDatabase db;
    auto session = db.connect();
    flags::ensure_store(session);
    create_test_flag(session, "new-checkout");
    flags::set_enabled(session, "new-checkout", "production", true,
                       {.actor = "test", .reason = "canary"});
    flags::set_rollout(session, "new-checkout", "production", 50,
                       {.actor = "test", .reason = "half"});
    PanelServer panel(db);
    auto client = panel.client();

    auto result = client.Post(
        "/api/eval", nlohmann::json{{"key", "new-checkout"}, {"user_id", "user-42"}}.dump(),
        "application/json");
    REQUIRE(result);
    REQUIRE(result->status == 200);
    const auto eval = nlohmann::json::parse(result->body);
    CHECK(eval["env"] == "production");
    CHECK(eval["bucket"] == flags::normalized_value("user-42", "new-checkout"));
    CHECK(eval["enabled"] == (flags::normalized_value("user-42", "new-checkout") <= 50));
    CHECK_FALSE(eval["reason"].get<std::string>().empty());

    auto unknown =
        client.Post("/api/eval", nlohmann::json{{"key", "new-chekout"}}.dump(), "application/json");
    REQUIRE(unknown);
    CHECK(unknown->status == 404);
    CHECK(error_of(unknown)["code"] == "flag-unknown");
    CHECK(error_of(unknown)["message"] == "no flag has the key `new-chekout`");
    CHECK(error_of(unknown)["hint"].get<std::string>().find("new-checkout") !=
          std::string::npos); // did you mean

    auto unknown_write =
        client.Post("/api/flags/no-such-flag/enable", change_body("go", 0), "application/json");
    REQUIRE(unknown_write);
    CHECK(unknown_write->status == 404);
}

TEST_CASE("flags::Panel serves its page with a strict content security policy")
{
    TestDatabase db;
    PanelServer panel(db);
    httplib::Client client("127.0.0.1", panel.port());
    for (const char* path : {"/", "/panel.js", "/panel.css"}) {
        CAPTURE(path);
        auto result = client.Get(path);
        REQUIRE(result);
        CHECK(result->status == 200);
        CHECK(result->get_header_value("Content-Security-Policy").find("default-src 'none'") !=
              std::string::npos);
        CHECK(result->get_header_value("X-Frame-Options") == "DENY");
        CHECK_FALSE(result->body.empty());
    }
    auto page = client.Get("/");
    REQUIRE(page);
    CHECK(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
    // Nothing from elsewhere: no CDN, no external font.
    CHECK(page->body.find("http://") == std::string::npos);
    CHECK(page->body.find("https://") == std::string::npos);
    auto missing = client.Get("/api/nothing-here",
                              {{"Authorization", std::string("Bearer ") + k_panel_token}});
    REQUIRE(missing);
    CHECK(missing->status == 404);
}

TEST_CASE("flags::Panel does not start without a token, on a remote address without "
          "AllowRemote, or on a port already taken")
{
    TestDatabase db;
    auto start = [&](flags::PanelOptions options) {
        options.conninfo = db.conninfo();
        flags::Panel panel(std::move(options));
    };
    try {
        start({.listen = "127.0.0.1:0", .token = ""});
        FAIL("no error");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "panel-token-missing");
    }
    try {
        start({.listen = "127.0.0.1:0", .token = "short"});
        FAIL("no error");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "panel-token-weak");
    }
    try {
        start({.listen = "0.0.0.0:0", .token = k_panel_token});
        FAIL("no error");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "panel-remote-not-allowed");
        CHECK(e.message() ==
              "--listen 0.0.0.0:0: 0.0.0.0 is not a loopback address, and --allow-remote was "
              "not given");
    }
    PanelServer first(db);
    try {
        start({.listen = first.host(), .token = k_panel_token});
        FAIL("no error");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "panel-listen-failed");
        CHECK(e.message() == "the flags panel cannot listen on " + first.host() +
                                 " (in use, or not an address of this machine)");
        CHECK(migsafe::exit_code_for(e.category()) == 3);
    }
}
