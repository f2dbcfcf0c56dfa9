// migsafe flag as a process: a flag's life through the CLI, its exit codes, the reason
// every change needs, the optimistic version, and archiving refused while a pending
// migration requires the flag.
#include "cli_runner.hpp"
#include "support/migration_dir.hpp"
#include "support/test_db.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using migsafe::test::MigrationDir;
using migsafe::test::run_cli;
using migsafe::test::TestDatabase;

namespace {

std::vector<std::string> with_db(std::vector<std::string> args, const TestDatabase& db)
{
    args.push_back("--db");
    args.push_back(db.conninfo());
    return args;
}

} // namespace

TEST_CASE("migsafe flag: create, roll out, target, evaluate and read the history")
{
    TestDatabase db;
    const std::map<std::string, std::string> env{{"MIGSAFE_ACTOR", "carol"}};
    auto created = run_cli(
        with_db({"flag", "create", "new-contact", "--kind", "cut-over", "--owner", "clinic-team",
                 "--criteria", "no reads for 7 days", "--reason", "ticket 42"},
                db),
        env);
    INFO(created.err);
    REQUIRE(created.exit_code == 0);
    CHECK(created.out == "created flag new-contact (cut-over, owner clinic-team), off in every "
                         "environment\n");

    CHECK(run_cli(with_db({"flag", "rollout", "new-contact", "30", "--reason", "canary"}, db), env)
              .exit_code == 0);
    auto on = run_cli(with_db({"flag", "on", "new-contact", "--reason", "start"}, db), env);
    CHECK(on.out == "switched on flag new-contact in production: on 30 % (version 2)\n");
    CHECK(run_cli(with_db({"flag", "target", "add", "new-contact", "alice", "--reason", "qa"}, db),
                  env)
              .exit_code == 0);

    auto alice = run_cli(with_db({"flag", "eval", "new-contact", "--user", "alice", "--json"}, db));
    const auto why = nlohmann::json::parse(alice.out)["report"];
    CHECK(why["enabled"] == true);
    CHECK(why["reason"] == "`alice` is in the on list");
    auto user42 = run_cli(with_db({"flag", "eval", "new-contact", "--user", "42"}, db));
    // Unleash's bucket of 42 in group new-contact is 38.
    CHECK(user42.out ==
          "new-contact for user 42 in production: OFF\n  why: bucket 38 > rollout 30 %\n");
    auto staging =
        run_cli(with_db({"flag", "eval", "new-contact", "--user", "42", "--env", "staging"}, db));
    CHECK(staging.out.find("never changed in staging: off by default") != std::string::npos);

    auto history = run_cli(with_db({"flag", "history", "new-contact", "--json"}, db));
    const auto events = nlohmann::json::parse(history.out)["report"];
    REQUIRE(events.size() == 4);
    CHECK(events[0]["action"] == "target-add");
    CHECK(events[0]["actor"] == "carol");
    CHECK(events[0]["reason"] == "qa");
    CHECK(events[3]["action"] == "create");

    auto listed = run_cli(with_db({"flag", "list"}, db));
    CHECK(listed.out.find("new-contact") != std::string::npos);
    CHECK(listed.out.find("on 30 % +1 listed on") != std::string::npos);
    auto stale = run_cli(with_db({"flag", "list", "--stale"}, db));
    CHECK(stale.out == "no stale flag in production\n");
}

TEST_CASE("migsafe flag: bad input exits 2 and changes nothing; a stale version exits 4")
{
    TestDatabase db;
    REQUIRE(run_cli(with_db({"flag", "create", "new-contact", "--owner", "o", "--criteria", "c",
                             "--reason", "r"},
                            db))
                .exit_code == 0);
    auto no_reason = run_cli(with_db({"flag", "on", "new-contact", "--reason", " "}, db));
    CHECK(no_reason.exit_code == 2);
    CHECK(no_reason.err.find("[flag-reason-required]") != std::string::npos);
    auto missing_reason = run_cli(with_db({"flag", "on", "new-contact"}, db));
    CHECK(missing_reason.exit_code == 2);
    CHECK(missing_reason.err.find("--reason") != std::string::npos);
    auto too_much =
        run_cli(with_db({"flag", "rollout", "new-contact", "101", "--reason", "r"}, db));
    CHECK(too_much.exit_code == 2);
    CHECK(too_much.err.find("rollout 101 % for flag `new-contact` is outside 0..100") !=
          std::string::npos);
    auto typo = run_cli(with_db({"flag", "off", "new-contcat", "--reason", "r"}, db));
    CHECK(typo.exit_code == 2);
    CHECK(typo.err.find("did you mean `new-contact`?") != std::string::npos);
    auto no_owner = run_cli(with_db(
        {"flag", "create", "other", "--owner", "", "--criteria", "c", "--reason", "r"}, db));
    CHECK(no_owner.exit_code == 2);
    CHECK(no_owner.err.find("flag `other` needs an owner") != std::string::npos);
    auto bad_kind = run_cli(with_db({"flag", "create", "other", "--owner", "o", "--criteria", "c",
                                     "--kind", "cutover", "--reason", "r"},
                                    db));
    CHECK(bad_kind.exit_code == 2);
    CHECK(bad_kind.err.find("--kind cutover is not a kind of flag") != std::string::npos);

    auto history = run_cli(with_db({"flag", "history", "new-contact", "--json"}, db));
    CHECK(nlohmann::json::parse(history.out)["report"].size() == 1); // only the create

    REQUIRE(run_cli(with_db({"flag", "on", "new-contact", "--reason", "r"}, db)).exit_code == 0);
    auto stale_version =
        run_cli(with_db({"flag", "off", "new-contact", "--reason", "r", "--if-version", "0"}, db));
    CHECK(stale_version.exit_code == 4);
    CHECK(stale_version.err.find("is at version 1, not 0 as read") != std::string::npos);
    auto show = run_cli(with_db({"flag", "show", "new-contact", "--json"}, db));
    CHECK(nlohmann::json::parse(show.out)["report"]["environments"][0]["enabled"] == true);
}

TEST_CASE("migsafe flag archive: refused while a pending migration requires the flag")
{
    TestDatabase db;
    MigrationDir dir;
    dir.write("0001_t.sql", "CREATE TABLE t (id bigint PRIMARY KEY, old text);\n");
    dir.write("0002_contract.sql",
              "-- migsafe:phase contract\n-- migsafe:requires-flag new-contact env=production\n"
              "-- migsafe:allow MS-BRK-01 the new code no longer reads it\n"
              "ALTER TABLE t DROP COLUMN old;\n");
    dir.seal();
    REQUIRE(run_cli(with_db({"flag", "create", "new-contact", "--owner", "o", "--criteria", "c",
                             "--kind", "cut-over", "--reason", "r"},
                            db))
                .exit_code == 0);
    auto blocked = run_cli(
        with_db({"flag", "archive", "new-contact", "--dir", dir.str(), "--reason", "done"}, db));
    CHECK(blocked.exit_code == 2);
    CHECK(blocked.err.find("[flag-archive-blocked]") != std::string::npos);
    CHECK(blocked.err.find("0002_contract.sql") != std::string::npos);
    auto no_dir = run_cli(with_db(
        {"flag", "archive", "new-contact", "--dir", "/nonexistent", "--reason", "done"}, db));
    CHECK(no_dir.exit_code == 2);

    // The refusal names the commands that satisfy the gate, in the CLI's own argument order.
    auto refused = run_cli(with_db({"apply", "--dir", dir.str()}, db));
    CHECK(refused.exit_code == 1);
    CHECK(
        (refused.out + refused.err).find("migsafe flag rollout new-contact 100 --env production") !=
        std::string::npos);

    for (const auto& step : std::vector<std::vector<std::string>>{
             {"flag", "rollout", "new-contact", "100", "--reason", "all"},
             {"flag", "on", "new-contact", "--reason", "go"},
             {"apply", "--dir", dir.str()}}) {
        auto result = run_cli(with_db(step, db));
        INFO(result.out, result.err);
        REQUIRE(result.exit_code == 0);
    }
    auto archived = run_cli(
        with_db({"flag", "archive", "new-contact", "--dir", dir.str(), "--reason", "done"}, db));
    INFO(archived.err);
    CHECK(archived.exit_code == 0);
    CHECK(run_cli(with_db({"flag", "list"}, db)).out.find("new-contact") == std::string::npos);
}
