// The cut-over gate on a real flag store: flags created and turned on through the store's
// API, the gate judged with the time injected; apply and check refuse a gated contract
// before anything runs; archiving waits for the contract; stale flags in health.
#include "support/cut_over_flag.hpp"
#include "support/migration_dir.hpp"
#include "support/test_db.hpp"

#include <migsafe/flags/gate.hpp>
#include <migsafe/flags/store.hpp>
#include <migsafe/model/migration_set.hpp>
#include <migsafe/platform/session.hpp>
#include <migsafe/workflow/apply.hpp>
#include <migsafe/workflow/check.hpp>
#include <migsafe/workflow/gate.hpp>
#include <migsafe/workflow/health.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <string>

using migsafe::model::FlagRequirement;
using migsafe::test::MigrationDir;
using migsafe::test::TestDatabase;
using namespace migsafe;
using namespace std::chrono_literals;

namespace {

constexpr std::chrono::hours k_day{24};

const flags::Change k_change{.actor = "ana", .reason = "readers moved"};

void create(platform::Session& session, const std::string& key,
            std::chrono::seconds expiry = std::chrono::hours(24 * 30))
{
    flags::ensure_store(session);
    flags::create_flag(session,
                       {.key = key,
                        .owner = "ana",
                        .kind = flags::Kind::cut_over,
                        .criteria = "no reader of the old column",
                        .expiry = expiry},
                       k_change);
}

/// A set whose contract (0002) requires `new-checkout` in production for a week.
void write_gated_set(MigrationDir& dir)
{
    dir.write("0001_expand.sql", "-- migsafe:phase expand\nCREATE TABLE t (id int, old text);\n");
    dir.write("0002_contract.sql", "-- migsafe:phase contract\n"
                                   "-- migsafe:requires-flag new-checkout on-for=7d\n"
                                   "ALTER TABLE t DROP COLUMN old;\n");
    dir.seal();
}

workflow::ApplyOptions quick(flags::TimePoint now)
{
    workflow::ApplyOptions options;
    options.snapshot = workflow::SnapshotPolicy::skip;
    options.now = now;
    return options;
}

std::string value(platform::Session& session, const std::string& sql)
{
    return session.query_value(sql).value_or("<null>");
}

} // namespace

TEST_CASE("flags::check_gate on the store refuses, then accepts as the history grows")
{
    TestDatabase db;
    auto session = db.connect();
    const FlagRequirement requirement{"new-checkout", "production", 7 * k_day, 2};
    const auto start = flags::Clock::now();

    // No store yet: fails, and says how to create the flag.
    auto verdict = flags::check_gate(session, requirement, start);
    CHECK_FALSE(verdict.pass);
    CHECK(verdict.message.starts_with("flag new-checkout does not exist: this database has no "
                                      "flag store yet; create it: migsafe flag create "
                                      "new-checkout --kind cut-over"));

    // A flag with a close key: did you mean.
    create(session, "new-checkouts");
    verdict = flags::check_gate(session, requirement, start);
    CHECK_FALSE(verdict.pass);
    CHECK(verdict.message.starts_with("flag new-checkout does not exist (did you mean"));
    CHECK(verdict.message.find("new-checkouts") != std::string::npos);

    create(session, "new-checkout");
    verdict = flags::check_gate(session, requirement, start);
    CHECK_FALSE(verdict.pass);
    CHECK(verdict.message.starts_with(
        "flag new-checkout is not fully on in production: never turned on there"));

    flags::set_enabled(session, "new-checkout", "production", true, k_change);
    flags::set_rollout(session, "new-checkout", "production", 50, k_change);
    verdict = flags::check_gate(session, requirement, flags::Clock::now());
    CHECK_FALSE(verdict.pass);
    CHECK(verdict.message.starts_with(
        "flag new-checkout is not fully on in production: enabled, rollout 50 %, since "));

    flags::set_rollout(session, "new-checkout", "production", 100, k_change);
    const auto on_at = flags::Clock::now();
    verdict = flags::check_gate(session, requirement, on_at + 2 * k_day);
    CHECK_FALSE(verdict.pass);
    REQUIRE(verdict.fully_on_since.has_value());
    CHECK(*verdict.fully_on_since <= on_at);
    CHECK(*verdict.fully_on_since >= on_at - 1min);
    CHECK(verdict.message.find(", needs 7d (") != std::string::npos);

    verdict = flags::check_gate(session, requirement, on_at + 7 * k_day + 1s);
    CHECK(verdict.pass);
    CHECK(verdict.message.starts_with("flag new-checkout in production: fully on since "));

    // Staging is another environment: nothing there.
    CHECK_FALSE(flags::check_gate(session, {"new-checkout", "staging", {}, 2}, on_at).pass);

    // Switched off and on again: the week starts again, at the event that turned it on.
    const auto before_off = flags::Clock::now() - 5ms; // the store keeps milliseconds
    flags::set_enabled(session, "new-checkout", "production", false, k_change);
    CHECK_FALSE(flags::check_gate(session, requirement, on_at + 8 * k_day).pass);
    flags::set_enabled(session, "new-checkout", "production", true, k_change);
    const auto again = flags::Clock::now();
    verdict = flags::check_gate(session, requirement, again + 6 * k_day);
    CHECK_FALSE(verdict.pass);
    REQUIRE(verdict.fully_on_since.has_value());
    CHECK(*verdict.fully_on_since >= before_off);
    CHECK(flags::check_gate(session, requirement, again + 7 * k_day).pass);

    // Archived: fails.
    flags::archive_flag(session, "new-checkout", k_change);
    verdict = flags::check_gate(session, requirement, again + 30 * k_day);
    CHECK_FALSE(verdict.pass);
    CHECK(verdict.message.starts_with("flag new-checkout is archived (since "));
}

TEST_CASE("workflow::apply refuses a gated contract before anything runs, then applies it")
{
    TestDatabase db;
    MigrationDir dir;
    write_gated_set(dir);
    const auto set = model::load_migration_set(dir.path());
    auto session = db.connect();

    auto first = workflow::apply(db.conninfo(), set, quick(flags::Clock::now()));
    CHECK(first.verdict == plan::Verdict::fail);
    CHECK(first.applied == 0); // 0001 is not applied either: the run is refused whole
    REQUIRE(first.problems.size() == 1);
    CHECK(first.problems[0].starts_with(
        "0002_contract.sql:2: flag new-checkout does not exist: this database has no flag "
        "store yet; create it"));
    REQUIRE(first.migrations.size() == 2);
    CHECK(first.migrations[1].outcome == workflow::Outcome::held);
    CHECK(first.migrations[1].reason == "the run was refused: the cut-over gate");
    CHECK(value(session, "SELECT to_regclass('public.t') IS NULL") == "t");

    create(session, "new-checkout");
    flags::set_enabled(session, "new-checkout", "production", true, k_change);
    flags::set_rollout(session, "new-checkout", "production", 100, k_change);
    const auto on_at = flags::Clock::now();

    // A dry run and check say the same.
    auto dry = quick(on_at + k_day);
    dry.dry_run = true;
    const auto dry_run = workflow::apply(db.conninfo(), set, dry);
    CHECK(dry_run.verdict == plan::Verdict::fail);
    REQUIRE(dry_run.problems.size() == 1);
    CHECK(dry_run.problems[0].find("0002_contract.sql:2: flag new-checkout in production: fully "
                                   "on since ") == 0);
    CHECK(dry_run.problems[0].find(", needs 7d (") != std::string::npos);
    const auto checked = workflow::check(db.conninfo(), dir.path(), {.now = on_at + k_day});
    CHECK_FALSE(checked.passed());
    for (const auto& item : checked.items) {
        if (item.name == "apply") {
            CHECK(item.status == workflow::CheckStatus::fail);
            REQUIRE(item.details.size() == 1);
            CHECK(item.details[0] == dry_run.problems[0]);
        }
    }
    // plan --db's view: the pending migrations' verdicts.
    const auto pending = workflow::gate_pending(db.conninfo(), set, on_at + k_day);
    REQUIRE(pending.size() == 1);
    CHECK_FALSE(pending[0].pass);
    CHECK(pending[0].file == "0002_contract.sql");

    auto second = workflow::apply(db.conninfo(), set, quick(on_at + 8 * k_day));
    CHECK(second.verdict == plan::Verdict::pass);
    CHECK(second.applied == 2);
    CHECK(workflow::gate_pending(db.conninfo(), set, on_at).empty());
}

TEST_CASE("workflow::apply: an expand-only run is not gated; a rehearsal's scratch run is not")
{
    TestDatabase db;
    MigrationDir dir;
    write_gated_set(dir);
    const auto set = model::load_migration_set(dir.path());
    auto expand = quick(flags::Clock::now());
    expand.phase = workflow::PhaseFilter::expand;
    auto report = workflow::apply(db.conninfo(), set, expand);
    CHECK(report.verdict == plan::Verdict::pass);
    CHECK(report.applied == 1);
    auto scratch = quick(flags::Clock::now());
    scratch.scratch = true;
    report = workflow::apply(db.conninfo(), set, scratch);
    CHECK(report.verdict == plan::Verdict::pass);
    CHECK(report.applied == 1);
}

TEST_CASE("workflow::archive_blockers: a flag whose contract is pending cannot be archived")
{
    TestDatabase db;
    MigrationDir dir;
    write_gated_set(dir);
    const auto set = model::load_migration_set(dir.path());
    auto session = db.connect();
    CHECK(workflow::archive_blockers(session, set, "new-checkout") ==
          std::vector<std::string>{"0002_contract.sql"});
    CHECK(workflow::archive_blockers(session, set, "other").empty());
    migsafe::test::turn_on_flag(db, "new-checkout");
    workflow::apply(db.conninfo(), set, quick(flags::Clock::now() + 8 * k_day));
    CHECK(workflow::archive_blockers(session, set, "new-checkout").empty());
}

TEST_CASE("workflow::health lists stale flags only when the store exists")
{
    TestDatabase db;
    auto session = db.connect();
    auto before = workflow::health(db.conninfo());
    CHECK(std::find(before.checks.begin(), before.checks.end(), "stale-flag") ==
          before.checks.end());

    create(session, "old-banner", std::chrono::hours(24));
    flags::set_enabled(session, "old-banner", "production", true, k_change);
    flags::set_rollout(session, "old-banner", "production", 100, k_change);
    auto fresh = workflow::health(db.conninfo());
    CHECK(std::find(fresh.checks.begin(), fresh.checks.end(), "stale-flag") != fresh.checks.end());
    CHECK(fresh.findings.empty());

    workflow::HealthOptions later;
    later.now = flags::Clock::now() + 3 * k_day;
    auto stale = workflow::health(db.conninfo(), later);
    REQUIRE(stale.findings.size() == 1);
    const auto& finding = stale.findings[0];
    CHECK(finding.check == "stale-flag");
    CHECK(finding.severity == workflow::HealthSeverity::warning);
    CHECK(finding.object == "flag old-banner in production");
    CHECK(finding.message.starts_with("flag old-banner (owner ana) has been fully on in "
                                      "production since "));
    CHECK(finding.message.ends_with("(3 days), longer than its expiry of 1d"));
    CHECK(finding.fix ==
          "remove the code path behind it, then migsafe flag archive old-banner --reason TEXT");
}
