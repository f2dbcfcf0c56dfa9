// The cut-over gate judged from events built here, with the time injected: it refuses,
// then accepts as the flag's history grows; an interruption starts the count again.
#include <migsafe/flags/gate.hpp>
#include <migsafe/flags/json.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

using namespace migsafe::flags;
using namespace std::chrono_literals;
using migsafe::model::FlagRequirement;

namespace {

constexpr std::chrono::hours k_day{24};

// 2026-12-01T10:00:00Z.
TimePoint t0()
{
    return TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 12 / 1).time_since_epoch() +
                     10h);
}

EnvironmentState state(bool enabled, int rollout)
{
    EnvironmentState out;
    out.env = "production";
    out.enabled = enabled;
    out.rollout = rollout;
    return out;
}

Event event(TimePoint at, const EnvironmentState& after, std::string action = "rollout")
{
    Event out;
    out.at = at;
    out.actor = "ana";
    out.key = "new-checkout";
    out.env = after.env;
    out.action = std::move(action);
    out.after = to_json(after);
    out.reason = "test";
    return out;
}

Flag flag_with(const EnvironmentState& now)
{
    Flag out;
    out.key = "new-checkout";
    out.owner = "ana";
    out.kind = Kind::cut_over;
    out.criteria = "every reader uses the new table";
    out.environments.push_back(now);
    return out;
}

const FlagRequirement k_week{"new-checkout", "production", std::chrono::seconds(7 * k_day), 4};

} // namespace

TEST_CASE("migsafe::flags::judge_gate refuses, then accepts as the history grows")
{
    const Flag flag = flag_with(state(true, 100));
    std::vector<Event> events{
        Event{.id = 1,
              .at = t0() - 1h,
              .actor = "ana",
              .key = "new-checkout",
              .env = {},
              .action = "create",
              .before = {},
              .after = "{}",
              .reason = "new"},
        event(t0(), state(true, 50), "enable"),
    };
    // Half on: refused, naming the state and since when.
    auto verdict = judge_gate(k_week, &flag, events, t0() + 2h);
    CHECK_FALSE(verdict.pass);
    CHECK_FALSE(verdict.fully_on_since.has_value());
    CHECK(verdict.message ==
          "flag new-checkout is not fully on in production: enabled, rollout 50 %, since "
          "2026-12-01T10:00Z (2h ago); needs fully on for 7d (enabled, 100 %, no off list, no "
          "constraints)");

    // Fully on for 2 days 3 hours: not long enough.
    events.push_back(event(t0() + 1 * k_day, state(true, 100)));
    verdict = judge_gate(k_week, &flag, events, t0() + 3 * k_day + 3h);
    CHECK_FALSE(verdict.pass);
    REQUIRE(verdict.fully_on_since.has_value());
    CHECK(*verdict.fully_on_since == t0() + k_day);
    CHECK(verdict.message == "flag new-checkout in production: fully on since 2026-12-02T10:00Z "
                             "(2d 3h), needs 7d (4d 21h to go)");

    // Seven days later, the same events: it passes.
    verdict = judge_gate(k_week, &flag, events, t0() + 8 * k_day);
    CHECK(verdict.pass);
    CHECK(verdict.message ==
          "flag new-checkout in production: fully on since 2026-12-02T10:00Z (7d), needs 7d");

    // Events after `now` are not seen: judged at an earlier time, it is half on again.
    CHECK_FALSE(judge_gate(k_week, &flag, events, t0() + 1h).pass);
}

TEST_CASE("migsafe::flags::judge_gate: an interruption starts the count again")
{
    const Flag flag = flag_with(state(true, 100));
    std::vector<Event> events{
        event(t0(), state(true, 100), "enable"),
        event(t0() + 3 * k_day, state(false, 100), "disable"),
        event(t0() + 3 * k_day + 10min, state(true, 100), "enable"),
    };
    auto verdict = judge_gate(k_week, &flag, events, t0() + 8 * k_day);
    CHECK_FALSE(verdict.pass);
    CHECK(*verdict.fully_on_since == t0() + 3 * k_day + 10min);
    // The two largest units: 2d 0h 10m to go reads `2d`.
    CHECK(verdict.message == "flag new-checkout in production: fully on since 2026-12-04T10:10Z "
                             "(4d 23h), needs 7d (2d to go)");
    CHECK(judge_gate(k_week, &flag, events, t0() + 10 * k_day + 10min).pass);

    // An id on the off list, or a constraint, is an interruption too.
    auto with_off_list = state(true, 100);
    with_off_list.off_list = {"u1", "u2"};
    events.push_back(event(t0() + 5 * k_day, with_off_list, "target-add"));
    verdict = judge_gate(k_week, &flag, events, t0() + 5 * k_day + 30min);
    CHECK_FALSE(verdict.pass);
    CHECK(verdict.message ==
          "flag new-checkout is not fully on in production: enabled, rollout 100 %, 2 ids on the "
          "off list, since 2026-12-06T10:00Z (30m ago); needs fully on for 7d (enabled, 100 %, "
          "no off list, no constraints)");
    auto constrained = state(true, 100);
    constrained.constraints = {parse_constraint("country in NO,SE")};
    events.push_back(event(t0() + 6 * k_day, constrained, "constrain"));
    CHECK(judge_gate(k_week, &flag, events, t0() + 6 * k_day + 1h).message.find("constraint") !=
          std::string::npos);
    // Back to fully on: the count starts at that event.
    events.push_back(event(t0() + 7 * k_day, state(true, 100), "constrain"));
    verdict = judge_gate(k_week, &flag, events, t0() + 14 * k_day);
    CHECK(verdict.pass);
    CHECK(*verdict.fully_on_since == t0() + 7 * k_day);
}

TEST_CASE("migsafe::flags::judge_gate: other environments, on-for zero, never turned on")
{
    const Flag flag = flag_with(state(true, 100));
    auto staging = state(true, 100);
    staging.env = "staging";
    const std::vector<Event> only_staging{event(t0(), staging, "enable")};
    auto verdict = judge_gate(k_week, &flag, only_staging, t0() + 30 * k_day);
    CHECK_FALSE(verdict.pass);
    CHECK(verdict.message.starts_with(
        "flag new-checkout is not fully on in production: never turned on there; needs fully "
        "on for 7d (turn it fully on when its criteria are met: migsafe flag on new-checkout "
        "--env production --reason TEXT"));

    const FlagRequirement now_only{"new-checkout", "staging", std::chrono::seconds(0), 2};
    verdict = judge_gate(now_only, &flag, only_staging, t0() + 5min);
    CHECK(verdict.pass);
    CHECK(verdict.message == "flag new-checkout in staging: fully on since 2026-12-01T10:00Z (5m)");
}

TEST_CASE("migsafe::flags::judge_gate: an unknown or archived flag fails")
{
    auto verdict = judge_gate(k_week, nullptr, {}, t0());
    CHECK_FALSE(verdict.pass);
    CHECK(verdict.message.starts_with("flag new-checkout does not exist; create it: migsafe flag "
                                      "create new-checkout --kind cut-over --owner WHO"));

    Flag archived = flag_with(state(true, 100));
    archived.archived_at = t0() + k_day;
    const std::vector<Event> events{event(t0(), state(true, 100), "enable")};
    verdict = judge_gate(k_week, &archived, events, t0() + 30 * k_day);
    CHECK_FALSE(verdict.pass);
    CHECK(verdict.message ==
          "flag new-checkout is archived (since 2026-12-02T10:00Z): nothing evaluates it any "
          "more; a migration gated on it needs a flag that is live and fully on");
}

TEST_CASE("migsafe::flags::judge_gate: an event whose after is not a state is an error")
{
    const Flag flag = flag_with(state(true, 100));
    auto bad = event(t0(), state(true, 100));
    bad.after = "[1, 2]";
    try {
        judge_gate(k_week, &flag, {bad}, t0() + k_day);
        FAIL("no error");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "flag-cache-invalid");
    }
}

TEST_CASE("migsafe::flags::archive_blockers names the pending migrations that require the flag")
{
    migsafe::model::MigrationSet set;
    for (int version : {11, 12, 13}) {
        migsafe::model::Migration migration;
        migration.version = static_cast<std::uint64_t>(version);
        migration.up.relative_path = "00" + std::to_string(version) + "_x.sql";
        if (version != 11) {
            migration.up.directives.required_flags.push_back(
                {version == 12 ? "new-checkout" : "other", "production", {}, 2});
        }
        set.migrations.push_back(std::move(migration));
    }
    CHECK(archive_blockers(set, {"11"}, "new-checkout") == std::vector<std::string>{"0012_x.sql"});
    CHECK(archive_blockers(set, {"11", "12"}, "new-checkout").empty());
    CHECK(archive_blockers(set, {}, "unused").empty());
}
