// Flags as JSON round-trip (the last-known-good file and the event columns rely on it).
#include <migsafe/flags/json.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>

using namespace migsafe::flags;

TEST_CASE("flags: a flag survives JSON, times to the millisecond")
{
    Flag flag;
    flag.key = "new-checkout";
    flag.description = "the new checkout \"v2\"";
    flag.owner = "payments";
    flag.kind = Kind::cut_over;
    flag.criteria = "no errors";
    flag.expiry = std::chrono::hours(24);
    flag.group = "checkout";
    flag.version = 3;
    flag.created_at = TimePoint(std::chrono::milliseconds(1'765'000'000'123));
    EnvironmentState state;
    state.env = "production";
    state.enabled = true;
    state.rollout = 40;
    state.on_list = {"a"};
    state.off_list = {"b", "c"};
    state.constraints = {parse_constraint("country not-in DK")};
    state.version = 7;
    state.changed_at = TimePoint(std::chrono::milliseconds(1'765'000'100'456));
    flag.environments.push_back(state);

    const auto back = flags_from_json(to_json(std::vector<Flag>{flag}));
    REQUIRE(back.size() == 1);
    CHECK(back[0] == flag);
    CHECK(environment_from_json(to_json(state)) == state);
    CHECK(format_time(*flag.created_at) == "2025-12-06T05:46:40.123Z");
}

TEST_CASE("flags: JSON that is not flags is refused")
{
    CHECK_THROWS_AS(flags_from_json("{}"), migsafe::Error);
    CHECK_THROWS_AS(flags_from_json("[{\"key\": \"a\", \"kind\": \"nope\"}]"), migsafe::Error);
    CHECK_THROWS_AS(flags_from_json("[{\"key\": \"a\", \"created_at\": \"yesterday\"}]"),
                    migsafe::Error);
    CHECK_THROWS_AS(environment_from_json("not json"), migsafe::Error);
}
