// Evaluation in memory (docs/flags.md, "Evaluation"): the order of the decision, its
// explanation, and that a subject's bucket matches Unleash's.
#include <migsafe/flags/bucket.hpp>
#include <migsafe/flags/snapshot.hpp>

#include <doctest/doctest.h>

using namespace migsafe::flags;

namespace {

Flag flag_with(EnvironmentState state, std::string key = "new-checkout")
{
    Flag flag;
    flag.key = std::move(key);
    flag.owner = "payments";
    flag.criteria = "error rate unchanged";
    state.env = state.env.empty() ? "production" : state.env;
    flag.environments.push_back(std::move(state));
    return flag;
}

EnvironmentState state(bool enabled, int rollout)
{
    EnvironmentState out;
    out.enabled = enabled;
    out.rollout = rollout;
    return out;
}

} // namespace

TEST_CASE("flags: unknown flags, archived flags and environments without a state are off")
{
    Flag archived = flag_with(state(true, 100), "old");
    archived.archived_at = Clock::now();
    const Snapshot snapshot({flag_with(state(true, 100)), archived}, "production");
    CHECK(snapshot.is_enabled("new-checkout", {.user_id = "u1"}));
    CHECK_FALSE(snapshot.is_enabled("no-such-flag", {.user_id = "u1"}));
    CHECK(snapshot.explain("no-such-flag", {}).reason == "no flag `no-such-flag`: off by default");
    CHECK_FALSE(snapshot.is_enabled("old", {.user_id = "u1"}));
    CHECK(snapshot.explain("old", {}).reason == "the flag is archived: off");
    CHECK_FALSE(snapshot.is_enabled("new-checkout", {.user_id = "u1", .env = "staging"}));
    CHECK(snapshot.explain("new-checkout", {.env = "staging"}).reason ==
          "never changed in staging: off by default");
}

TEST_CASE("flags: the kill switch wins over the on list; the off list wins over the rollout")
{
    EnvironmentState disabled = state(false, 100);
    disabled.on_list = {"alice"};
    CHECK_FALSE(Snapshot({flag_with(disabled)}, "production")
                    .is_enabled("new-checkout", {.user_id = "alice"}));

    EnvironmentState full = state(true, 100);
    full.off_list = {"bob", "alice"};
    full.on_list = {"carol"};
    const Snapshot snapshot({flag_with(full)}, "production");
    CHECK_FALSE(snapshot.is_enabled("new-checkout", {.user_id = "alice"}));
    CHECK(snapshot.explain("new-checkout", {.user_id = "bob"}).reason ==
          "`bob` is in the off list");
    CHECK(snapshot.is_enabled("new-checkout", {.user_id = "dave"}));

    EnvironmentState zero = state(true, 0);
    zero.on_list = {"carol"};
    const Snapshot only_listed({flag_with(zero)}, "production");
    CHECK(only_listed.is_enabled("new-checkout", {.user_id = "carol"}));
    CHECK(only_listed.explain("new-checkout", {.user_id = "carol"}).reason ==
          "`carol` is in the on list");
    CHECK_FALSE(only_listed.is_enabled("new-checkout", {.user_id = "dave"}));
}

TEST_CASE("flags: a partial rollout places the user in Unleash's bucket and says which")
{
    const Snapshot snapshot({flag_with(state(true, 50))}, "production");
    int on = 0;
    for (int user = 0; user < 1000; ++user) {
        const std::string id = "user-" + std::to_string(user);
        const int bucket = normalized_value(id, "new-checkout");
        const bool enabled = snapshot.is_enabled("new-checkout", {.user_id = id});
        CHECK(enabled == (bucket <= 50));
        on += enabled ? 1 : 0;
        const Explanation why = snapshot.explain("new-checkout", {.user_id = id});
        REQUIRE(why.bucket.has_value());
        CHECK(*why.bucket == bucket);
        CHECK(why.reason == (enabled ? "bucket " + std::to_string(bucket) + " <= rollout 50 %"
                                     : "bucket " + std::to_string(bucket) + " > rollout 50 %"));
    }
    CHECK(on > 400);
    CHECK(on < 600);
    // No subject: a partial rollout cannot place it, so it is off.
    CHECK_FALSE(snapshot.is_enabled("new-checkout", {}));
    CHECK(snapshot.explain("new-checkout", {}).reason ==
          "rollout 50 % and no user id to place in a bucket");
}

TEST_CASE("flags: the rollout group, not the key, seeds the bucket when it is set")
{
    Flag flag = flag_with(state(true, 30));
    flag.group = "gr1";
    const Snapshot snapshot({flag}, "production");
    // Unleash's shared vector: user 123 in group gr1 is in bucket 73.
    CHECK(snapshot.explain("new-checkout", {.user_id = "123"}).bucket == 73);
    CHECK_FALSE(snapshot.is_enabled("new-checkout", {.user_id = "123"}));
}

TEST_CASE("flags: constraints on context attributes must all hold")
{
    EnvironmentState constrained = state(true, 100);
    constrained.constraints = {parse_constraint("country in NO,SE"),
                               parse_constraint("plan not-in free")};
    const Snapshot snapshot({flag_with(constrained)}, "production");
    CHECK(snapshot.is_enabled(
        "new-checkout", {.user_id = "u", .attributes = {{"country", "NO"}, {"plan", "pro"}}}));
    CHECK_FALSE(snapshot.is_enabled(
        "new-checkout", {.user_id = "u", .attributes = {{"country", "DK"}, {"plan", "pro"}}}));
    CHECK_FALSE(snapshot.is_enabled(
        "new-checkout", {.user_id = "u", .attributes = {{"country", "SE"}, {"plan", "free"}}}));
    CHECK(snapshot
              .explain("new-checkout",
                       {.user_id = "u", .attributes = {{"country", "SE"}, {"plan", "free"}}})
              .reason == "constraint `plan not-in free` does not hold");
    // A missing attribute is not in any list.
    CHECK_FALSE(snapshot.is_enabled("new-checkout", {.user_id = "u"}));
}

TEST_CASE("flags: constraints are parsed strictly")
{
    const Constraint parsed = parse_constraint("  country  in NO, SE ");
    CHECK(parsed.attribute == "country");
    CHECK_FALSE(parsed.negated);
    CHECK(parsed.values == std::vector<std::string>{"NO", "SE"});
    CHECK(to_string(parsed) == "country in NO,SE");
    CHECK_THROWS_WITH(parse_constraint("country"),
                      "constraint `country` has no operator [flag-invalid]");
    CHECK_THROWS_WITH(parse_constraint("country is NO"),
                      "constraint `country is NO` has the operator `is`; the operators are `in` "
                      "and `not-in` [flag-invalid]");
    CHECK_THROWS_WITH(parse_constraint("country in"),
                      "constraint `country in` lists no value [flag-invalid]");
    CHECK_THROWS_WITH(parse_constraint("country in NO,,SE"),
                      "constraint `country in NO,,SE` has an empty value [flag-invalid]");
}

TEST_CASE("flags: a context without an environment uses the snapshot's default")
{
    EnvironmentState staging = state(true, 100);
    staging.env = "staging";
    const Snapshot snapshot({flag_with(staging)}, "staging");
    CHECK(snapshot.is_enabled("new-checkout", {.user_id = "u"}));
    CHECK_FALSE(snapshot.is_enabled("new-checkout", {.user_id = "u", .env = "production"}));
}

TEST_CASE("flags: fully on and fully off, and when a flag is stale")
{
    EnvironmentState on = state(true, 100);
    CHECK(on.fully_on());
    on.off_list = {"x"};
    CHECK_FALSE(on.fully_on());
    CHECK(state(false, 100).fully_off());
    CHECK(state(true, 0).fully_off());
    EnvironmentState listed = state(true, 0);
    listed.on_list = {"x"};
    CHECK_FALSE(listed.fully_off());

    const TimePoint now = Clock::now();
    Flag flag = flag_with(state(true, 100));
    flag.expiry = std::chrono::hours(24 * 7);
    flag.environments[0].steady_since = now - std::chrono::hours(24 * 8);
    CHECK(flag.stale_in("production", now));
    CHECK_FALSE(flag.stale_in("production", now - std::chrono::hours(48)));
    flag.environments[0].steady_since.reset(); // partly rolled out
    CHECK_FALSE(flag.stale_in("production", now));
    flag.created_at = now - std::chrono::hours(24 * 10);
    CHECK(flag.stale_in("staging", now)); // never turned on there: off since created
    flag.archived_at = now;
    CHECK_FALSE(flag.stale_in("staging", now));
}

TEST_CASE("flags: keys are lowercase names")
{
    CHECK(valid_key("new-checkout.v2_b"));
    CHECK_FALSE(valid_key(""));
    CHECK_FALSE(valid_key("New"));
    CHECK_FALSE(valid_key("-x"));
    CHECK_FALSE(valid_key("a b"));
    CHECK_FALSE(valid_key(std::string(101, 'a')));
    CHECK(parse_kind("cut-over") == Kind::cut_over);
    CHECK_FALSE(parse_kind("cutover").has_value());
}

TEST_CASE(
    "flags: the rollout cases of Unleash's client specification evaluate as Unleash's SDKs do")
{
    // Unleash/client-specification, specifications/03-gradual-rollout-user-id-strategy.json
    // and 10-flexible-rollout-strategy.json: group, percentage, user id, expected result.
    struct Case {
        const char* group;
        int percentage;
        const char* user;
        bool expected;
    };
    const Case cases[] = {
        {"AB12A", 100, "123", true},
        {"AB12A", 50, "122", true},
        {"AB12A", 50, "155", false},
        {"AB12A", 0, "122", false},
        {"Feature.flexibleRollout.10", 10, "174", true},
        {"Feature.flexibleRollout.10", 10, "499", false},
        {"Feature.flexibleRollout.userId.55", 55, "25", true},
        {"Feature.flexibleRollout.sessionId.42", 42, "147", true},
    };
    for (const Case& c : cases) {
        CAPTURE(c.group);
        CAPTURE(c.user);
        Flag flag = flag_with(state(true, c.percentage));
        flag.group = c.group;
        const Snapshot snapshot({flag}, "production");
        CHECK(snapshot.is_enabled("new-checkout", {.user_id = c.user}) == c.expected);
        CHECK(in_rollout(c.user, c.group, c.percentage) == c.expected);
    }
}
