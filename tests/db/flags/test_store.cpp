// The flag store on a real server (docs/flags.md, "Store"): changes, their events and
// reasons, bad input, optimistic versions, concurrent writers, append-only events and the
// notification sent in the change's transaction.
#include "support/test_db.hpp"

#include <migsafe/flags/json.hpp>
#include <migsafe/flags/store.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <thread>

using namespace migsafe;
using namespace migsafe::flags;

namespace {

const Change k_change{.actor = "alice", .reason = "testing"};

NewFlag new_flag(std::string key = "new-checkout")
{
    return NewFlag{.key = std::move(key),
                   .description = "the new checkout",
                   .owner = "payments",
                   .kind = Kind::cut_over,
                   .criteria = "error rate unchanged for a week at 100 %"};
}

std::string error_code(const std::function<void()>& body)
{
    try {
        body();
    } catch (const Error& error) {
        return error.code() + ": " + error.message();
    }
    return "no error";
}

long event_count(platform::Session& session)
{
    return std::stol(session.query_value("SELECT count(*) FROM migsafe.flag_event").value());
}

} // namespace

TEST_CASE("flags store: a flag is created off, changed with reasons, and every change is an event")
{
    test::TestDatabase db;
    auto session = db.connect();
    CHECK_FALSE(store_exists(session));
    const Flag created = create_flag(session, new_flag(), k_change);
    CHECK(store_exists(session));
    CHECK(created.owner == "payments");
    CHECK(created.kind == Kind::cut_over);
    CHECK(created.environments.empty());
    CHECK(created.created_at.has_value());

    set_rollout(session, "new-checkout", "production", 25, {.actor = "bob", .reason = "canary"});
    Flag flag = set_enabled(session, "new-checkout", "production", true,
                            {.actor = "bob", .reason = "start the canary"});
    const EnvironmentState* production = flag.environment("production");
    REQUIRE(production != nullptr);
    CHECK(production->enabled);
    CHECK(production->rollout == 25);
    CHECK(production->version == 2);
    CHECK_FALSE(production->steady_since.has_value()); // partly on

    flag =
        add_targets(session, "new-checkout", "production", TargetList::off, {"u1", "u2"}, k_change);
    flag = add_targets(session, "new-checkout", "production", TargetList::on, {"u2"}, k_change);
    CHECK(flag.environment("production")->on_list == std::vector<std::string>{"u2"});
    CHECK(flag.environment("production")->off_list == std::vector<std::string>{"u1"});
    flag = remove_targets(session, "new-checkout", "production", TargetList::off, {"u1"}, k_change);
    flag = set_rollout(session, "new-checkout", "production", 100, k_change);
    CHECK(flag.environment("production")->fully_on());
    CHECK(flag.environment("production")->steady_since.has_value());

    const auto events = flag_history(session, "new-checkout");
    REQUIRE(events.size() == 7);
    CHECK(events.front().action == "rollout"); // newest first
    CHECK(events.back().action == "create");
    CHECK(events.back().env.empty());
    CHECK(events[5].actor == "bob");
    CHECK(events[5].reason == "canary");
    CHECK(environment_from_json(events.front().after).rollout == 100);
    CHECK(environment_from_json(events.front().before).rollout == 25);
    CHECK(list_flags(session).size() == 1);
    CHECK(recent_events(session, 2).size() == 2);
}

TEST_CASE("flags store: bad input is refused, names what is wrong, and writes nothing")
{
    test::TestDatabase db;
    auto session = db.connect();
    create_flag(session, new_flag(), k_change);
    const long before = event_count(session);

    NewFlag no_owner = new_flag("other");
    no_owner.owner = " ";
    CHECK(error_code([&] { create_flag(session, no_owner, k_change); }) ==
          "flag-invalid: flag `other` needs an owner");
    NewFlag no_criteria = new_flag("other");
    no_criteria.criteria.clear();
    CHECK(error_code([&] { create_flag(session, no_criteria, k_change); }) ==
          "flag-invalid: flag `other` needs its rollout criteria");
    CHECK(error_code([&] { create_flag(session, new_flag("Bad Key"), k_change); }) ==
          "flag-invalid: `Bad Key` is not a valid flag key");
    CHECK(error_code([&] { create_flag(session, new_flag(), k_change); }) ==
          "flag-exists: a flag with the key `new-checkout` already exists");
    CHECK(error_code([&] {
              set_enabled(session, "new-checkout", "production", true,
                          {.actor = "a", .reason = ""});
          }) == "flag-reason-required: a change to flag `new-checkout` needs a reason");
    CHECK(error_code([&] { set_rollout(session, "new-checkout", "production", 101, k_change); }) ==
          "flag-invalid: rollout 101 % for flag `new-checkout` is outside 0..100");
    CHECK(error_code([&] { set_rollout(session, "new-checkout", "production", -1, k_change); }) ==
          "flag-invalid: rollout -1 % for flag `new-checkout` is outside 0..100");
    CHECK(error_code([&] {
              set_enabled(session, "new-checkout", "prod uction", true, k_change);
          }) == "flag-invalid: environment `prod uction` is not a valid name");
    try {
        set_enabled(session, "new-chekout", "production", true, k_change);
        FAIL("an unknown flag was changed");
    } catch (const Error& error) {
        CHECK(error.code() == "flag-unknown");
        CHECK(error.hint().find("did you mean `new-checkout`?") != std::string::npos);
    }
    CHECK(event_count(session) == before);
    CHECK(get_flag(session, "new-checkout").environments.empty());
}

TEST_CASE(
    "flags store: a writer holding an old version is told who changed it, and nothing is lost")
{
    test::TestDatabase db;
    auto first = db.connect();
    auto second = db.connect();
    create_flag(first, new_flag(), k_change);
    const Flag read_by_both = set_rollout(first, "new-checkout", "production", 10, k_change);
    const std::int64_t version = read_by_both.environment("production")->version;

    set_rollout(first, "new-checkout", "production", 20,
                {.actor = "alice", .reason = "step up", .expected_version = version});
    const std::string refused = error_code([&] {
        set_rollout(second, "new-checkout", "production", 50,
                    {.actor = "bob", .reason = "jump", .expected_version = version});
    });
    CHECK(refused.rfind("flag-conflict: flag `new-checkout` in production is at version 2, not 1 "
                        "as read; the last change was `rollout` by alice at ",
                        0) == 0);
    CHECK(refused.find("(step up); nothing was written") != std::string::npos);
    const Flag now = get_flag(second, "new-checkout");
    CHECK(now.environment("production")->rollout == 20);
    CHECK(flag_history(second, "new-checkout", "production").size() == 2);
}

TEST_CASE("flags store: concurrent writers without a version are serialised, none lost")
{
    test::TestDatabase db;
    {
        auto session = db.connect();
        create_flag(session, new_flag(), k_change);
    }
    constexpr int k_writers = 4;
    constexpr int k_each = 10;
    std::vector<std::thread> writers;
    for (int w = 0; w < k_writers; ++w) {
        writers.emplace_back([&, w] {
            auto session = db.connect();
            for (int i = 0; i < k_each; ++i) {
                add_targets(session, "new-checkout", "production", TargetList::on,
                            {"w" + std::to_string(w) + "-" + std::to_string(i)}, k_change);
            }
        });
    }
    for (auto& writer : writers) {
        writer.join();
    }
    auto session = db.connect();
    const Flag flag = get_flag(session, "new-checkout");
    CHECK(flag.environment("production")->on_list.size() == k_writers * k_each);
    CHECK(flag.environment("production")->version == k_writers * k_each);
    CHECK(flag_history(session, "new-checkout", "production", 1000).size() == k_writers * k_each);
}

TEST_CASE("flags store: writers creating flags on a database without the store all succeed")
{
    test::TestDatabase db;
    constexpr int k_writers = 4;
    std::vector<std::thread> writers;
    std::atomic<int> failures{0};
    for (int w = 0; w < k_writers; ++w) {
        writers.emplace_back([&, w] {
            try {
                auto session = db.connect();
                for (int i = 0; i < 5; ++i) {
                    create_flag(session,
                                new_flag("f" + std::to_string(w) + "-" + std::to_string(i)),
                                k_change);
                }
            } catch (const Error& error) {
                MESSAGE(error.code() << ": " << error.message());
                ++failures;
            }
        });
    }
    for (auto& writer : writers) {
        writer.join();
    }
    CHECK(failures == 0);
    auto session = db.connect();
    CHECK(list_flags(session).size() == k_writers * 5);
}

TEST_CASE("flags store: the event table is append-only")
{
    test::TestDatabase db;
    auto session = db.connect();
    create_flag(session, new_flag(), k_change);
    CHECK(error_code([&] {
              session.exec("UPDATE migsafe.flag_event SET reason = 'rewritten'");
          }).find("migsafe.flag_event is append-only: UPDATE refused") != std::string::npos);
    CHECK(error_code([&] {
              session.exec("DELETE FROM migsafe.flag_event");
          }).find("append-only: DELETE refused") != std::string::npos);
    CHECK(error_code([&] {
              session.exec("TRUNCATE migsafe.flag_event");
          }).find("append-only: TRUNCATE refused") != std::string::npos);
    CHECK(event_count(session) == 1);
}

TEST_CASE("flags store: a change notifies listeners when it commits, and bumps the counter")
{
    test::TestDatabase db;
    auto writer = db.connect();
    auto listener = db.connect();
    create_flag(writer, new_flag(), k_change);
    listener.exec("LISTEN migsafe_flags");
    const std::int64_t before = store_generation(writer);

    writer.exec("BEGIN");
    writer.exec(
        "UPDATE migsafe.flag_environment SET rollout = rollout"); // no row: still a statement
    CHECK(listener.wait_for_notifications(std::chrono::milliseconds(200)).empty()); // not committed
    writer.exec("COMMIT");
    const auto received = listener.wait_for_notifications(std::chrono::milliseconds(2000));
    REQUIRE_FALSE(received.empty());
    CHECK(received.front().channel == "migsafe_flags");

    set_enabled(writer, "new-checkout", "staging", true, k_change);
    CHECK(store_generation(writer) > before);
    CHECK_FALSE(listener.wait_for_notifications(std::chrono::milliseconds(2000)).empty());
}

TEST_CASE("flags store: an archived flag is hidden, evaluates off and cannot be changed")
{
    test::TestDatabase db;
    auto session = db.connect();
    create_flag(session, new_flag(), k_change);
    const Flag archived =
        archive_flag(session, "new-checkout", {.actor = "alice", .reason = "done"});
    CHECK(archived.archived_at.has_value());
    CHECK(list_flags(session).empty());
    CHECK(list_flags(session, true).size() == 1);
    CHECK(error_code([&] { set_enabled(session, "new-checkout", "production", true, k_change); }) ==
          "flag-archived: flag `new-checkout` is archived");
    CHECK(error_code([&] { archive_flag(session, "new-checkout", k_change); }) ==
          "flag-archived: flag `new-checkout` is already archived");
    CHECK(flag_history(session, "new-checkout").front().action == "archive");
}

TEST_CASE("flags store: constraints are stored, read back and removed")
{
    test::TestDatabase db;
    auto session = db.connect();
    create_flag(session, new_flag(), k_change);
    Flag flag = set_constraints(
        session, "new-checkout", "production",
        {parse_constraint("country in NO,SE"), parse_constraint("plan not-in free")}, k_change);
    CHECK(flag.environment("production")->constraints ==
          std::vector<Constraint>{parse_constraint("country in NO,SE"),
                                  parse_constraint("plan not-in free")});
    CHECK(get_flag(session, "new-checkout").environment("production")->constraints.size() == 2);
    CHECK(flag_history(session, "new-checkout", "production").front().action == "constrain");
    flag = set_constraints(session, "new-checkout", "production", {}, k_change);
    CHECK(flag.environment("production")->constraints.empty());
}
