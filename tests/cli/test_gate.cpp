// The cut-over gate through the binary: apply, check and plan --db refuse a contract whose
// required flag is not fully on (exit 1, naming the flag, its state and since when), and
// let it through once the flag is fully on; compensate names the flag to switch off first.
#include "cli_runner.hpp"
#include "support/cut_over_flag.hpp"
#include "support/migration_dir.hpp"
#include "support/test_db.hpp"

#include <migsafe/flags/store.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

using migsafe::test::MigrationDir;
using migsafe::test::run_cli;
using migsafe::test::TestDatabase;

namespace {

/// 0002 contracts what 0001 made; it requires `new-checkout` fully on (now: no on-for, so
/// the real clock works).
void write_gated_set(MigrationDir& dir)
{
    dir.write("0001_expand.sql", "-- migsafe:phase expand\nCREATE TABLE t (id int, old text);\n");
    dir.write("0002_contract.sql", "-- migsafe:phase contract\n"
                                   "-- migsafe:requires-flag new-checkout env=production\n"
                                   "ALTER TABLE t DROP COLUMN old;\n");
    dir.seal();
}

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("migsafe apply, check and plan --db refuse a gated contract with exit 1, then pass")
{
    TestDatabase db;
    MigrationDir dir;
    write_gated_set(dir);

    auto apply = run_cli({"apply", "--db", db.conninfo(), "--dir", dir.str(), "--no-snapshot"});
    CAPTURE(apply.out);
    CAPTURE(apply.err);
    CHECK(apply.exit_code == 1);
    CHECK(contains(apply.out, "problem: 0002_contract.sql:2: flag new-checkout does not exist: "
                              "this database has no flag store yet; create it: migsafe flag "
                              "create new-checkout --kind cut-over"));
    CHECK(contains(apply.out, "apply refused or verification failed: 0 applied, 2 pending"));

    // The flag exists, enabled at 30 %: the state and since when are named.
    {
        auto session = db.connect();
        migsafe::flags::ensure_store(session);
        const migsafe::flags::Change change{.actor = "test", .reason = "canary"};
        migsafe::flags::create_flag(session,
                                    {.key = "new-checkout",
                                     .owner = "ana",
                                     .kind = migsafe::flags::Kind::cut_over,
                                     .criteria = "no reader of t.old"},
                                    change);
        migsafe::flags::set_enabled(session, "new-checkout", "production", true, change);
        migsafe::flags::set_rollout(session, "new-checkout", "production", 30, change);
    }
    apply =
        run_cli({"apply", "--db", db.conninfo(), "--dir", dir.str(), "--no-snapshot", "--json"});
    CAPTURE(apply.out);
    CHECK(apply.exit_code == 1);
    const auto report = nlohmann::json::parse(apply.out);
    CHECK(report["status"] == "fail");
    REQUIRE(report["report"]["problems"].size() == 1);
    const std::string problem = report["report"]["problems"][0];
    CHECK(problem.starts_with("0002_contract.sql:2: flag new-checkout is not fully on in "
                              "production: enabled, rollout 30 %, since "));
    CHECK(contains(problem, "; needs fully on (enabled, 100 %, no off list, no constraints)"));

    auto check = run_cli({"check", "--db", db.conninfo(), "--dir", dir.str()});
    CAPTURE(check.out);
    CHECK(check.exit_code == 1);
    CHECK(contains(check.out, "flag new-checkout is not fully on in production: enabled, "
                              "rollout 30 %"));
    // The expand step's gate: the gated contract is held for a later release, not refused.
    auto expand_check = run_cli(
        {"check", "--db", db.conninfo(), "--dir", dir.str(), "--phase", "expand", "--json"});
    CAPTURE(expand_check.out);
    auto expand_report = nlohmann::json::parse(expand_check.out);
    bool apply_item_seen = false;
    for (const auto& item : expand_report["report"]["items"]) {
        if (item["name"] == "apply") {
            apply_item_seen = true;
            CHECK(item["status"] == "pass");
            CHECK(contains(item.dump(), "held"));
        }
    }
    CHECK(apply_item_seen);
    CHECK(run_cli({"check", "--db", db.conninfo(), "--dir", dir.str(), "--phase", "sideways"})
              .exit_code == 2);

    auto plan = run_cli({"plan", "--db", db.conninfo(), dir.str()});
    CAPTURE(plan.out);
    CHECK(plan.exit_code == 1);
    CHECK(contains(plan.out, "cut-over gate (flags the pending migrations require):\n  refused: "
                             "0002_contract.sql:2: flag new-checkout is not fully on in "
                             "production: enabled, rollout 30 %"));
    auto plan_json = run_cli({"plan", "--json", "--db", db.conninfo(), dir.str()});
    CHECK(plan_json.exit_code == 1);
    const auto planned = nlohmann::json::parse(plan_json.out);
    REQUIRE(planned["report"]["cut_over_gate"].size() == 1);
    CHECK(planned["report"]["cut_over_gate"][0]["flag"] == "new-checkout");
    CHECK(planned["report"]["cut_over_gate"][0]["pass"] == false);

    {
        auto session = db.connect();
        migsafe::flags::set_rollout(session, "new-checkout", "production", 100,
                                    {.actor = "test", .reason = "criteria met"});
    }
    plan = run_cli({"plan", "--db", db.conninfo(), dir.str()});
    CAPTURE(plan.out);
    CHECK(contains(plan.out, "  ready: 0002_contract.sql:2: flag new-checkout in production: "
                             "fully on since "));
    apply = run_cli({"apply", "--db", db.conninfo(), "--dir", dir.str(), "--no-snapshot"});
    CAPTURE(apply.out);
    CAPTURE(apply.err);
    CHECK(apply.exit_code == 0);

    // Rolling the contract back: the flag goes off first.
    auto compensate = run_cli({"compensate", "--db", db.conninfo(), "--dir", dir.str(), "2"});
    CAPTURE(compensate.out);
    CHECK(contains(compensate.out, "-- switch off first: flag new-checkout in production\n"));
    CHECK(contains(compensate.out, "-- Switch off first: flag new-checkout in production "
                                   "(migsafe flag off new-checkout --env production --reason "
                                   "TEXT)"));
    auto compensate_json =
        run_cli({"compensate", "--json", "--db", db.conninfo(), "--dir", dir.str(), "2"});
    const auto compensation = nlohmann::json::parse(compensate_json.out);
    CHECK(compensation["report"]["switch_off_first"] ==
          nlohmann::json::parse(R"([{"flag": "new-checkout", "env": "production"}])"));
}
