// workflow::RehearseReport: its verdict, text, JSON and JUnit XML, on reports built by hand.
// That the JUnit XML is valid is what a schema validator says: tests/db/workflow/
// test_rehearse.cpp runs xmllint on real reports (unit tests start no process).
#include <migsafe/workflow/rehearse.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

using namespace migsafe::workflow;

namespace {

StepResult ok(std::int64_t ms, std::string file = {})
{
    StepResult step;
    step.status = StepStatus::ok;
    step.duration_ms = ms;
    step.file = std::move(file);
    return step;
}

StepResult skipped(std::string reason)
{
    StepResult step;
    step.status = StepStatus::skipped;
    step.reason = std::move(reason);
    return step;
}

MigrationRehearsal migration(std::uint64_t version, std::string name)
{
    MigrationRehearsal m;
    m.version = version;
    m.name = std::move(name);
    m.file = m.version.padded(4) + "_" + m.name + ".up.sql";
    const std::string down = m.version.padded(4) + "_" + m.name + ".down.sql";
    m.up = ok(12, m.file);
    m.down = ok(8, down);
    m.compensation = ok(9);
    m.redo = ok(11, m.file);
    m.locks = {{"public.reviews", "AccessExclusiveLock", "observed"}};
    return m;
}

/// 0004: every step passes.
MigrationRehearsal correct()
{
    auto m = migration(4, "create_reviews");
    m.locks.push_back({"public.professionals", "ShareRowExclusiveLock", "observed"});
    return m;
}

/// 0005: the down file drops the constraint under another name than the up created.
MigrationRehearsal failed_down()
{
    auto m = migration(5, "add_fee_check");
    m.up.duration_ms = 3;
    m.down.status = StepStatus::failed;
    m.down.error_line = 2;
    m.down.error = R"(constraint "reviews_fee_check" of relation "reviews" does not exist)";
    m.down.differences = {"constraint public.reviews.reviews_fee_positive still present",
                          "index public.reviews_fee_idx missing"};
    m.down.notes = {"sequence public.reviews_id_seq at 10001, was 10000"};
    return m;
}

/// 0006: the down file drops a column the backfill had filled, and says nothing.
MigrationRehearsal lossy_down()
{
    auto m = migration(6, "add_rating");
    m.down.status = StepStatus::lossy;
    m.down.losses = {{"public.reviews", "rating", 10000, ""}};
    return m;
}

/// 0007: the compensation archives the column it drops.
MigrationRehearsal archived_compensation()
{
    auto m = migration(7, "add_summary");
    m.compensation.status = StepStatus::lossy;
    m.compensation.losses = {
        {"public.reviews", "summary", 9000, "migsafe_archive.reviews__summary__0007"}};
    return m;
}

/// 0008: a golang-migrate file without its down, built CONCURRENTLY outside a transaction.
MigrationRehearsal missing_down()
{
    auto m = migration(8, "index_reviews");
    m.transactional = false;
    m.down = {};
    m.down.status = StepStatus::missing;
    m.down.reason = "no 0008_index_reviews.down.sql";
    m.locks = {{"public.reviews", "ShareUpdateExclusiveLock", "planned"}};
    m.interrupt = StepStatus::ok;
    m.interruptions = {{1, "statement at line 2", ok(20), ok(5)}};
    return m;
}

/// 0009: a batched backfill, interrupted after each of its two batches.
MigrationRehearsal backfill()
{
    auto m = migration(9, "backfill_rating");
    m.backfill = true;
    m.up.duration_ms = 15000;
    m.locks = {{"public.reviews", "RowExclusiveLock", "observed"}};
    m.interrupt = StepStatus::ok;
    m.interruptions = {{1, "batch 1", ok(30), ok(10)}, {2, "batch 2", ok(20), ok(10)}};
    return m;
}

RehearseReport report_of(std::vector<MigrationRehearsal> migrations)
{
    RehearseReport report;
    report.server = "ephemeral (PostgreSQL 15.18)";
    report.from = "0004";
    report.start = "migrations before 0004, 100 rows per table";
    report.migrations = std::move(migrations);
    report.duration_ms = 4321;
    return report;
}

RehearseReport full_report()
{
    return report_of({correct(), failed_down(), lossy_down(), archived_compensation(),
                      missing_down(), backfill()});
}

/// The rehearsal stopped at 0010, whose up failed.
RehearseReport stopped_report()
{
    auto broken = migration(10, "add_broken");
    broken.up.status = StepStatus::failed;
    broken.up.error_line = 4;
    broken.up.error = "column \"nope\" does not exist";
    broken.down = skipped("the up failed");
    broken.compensation = skipped("the up failed");
    broken.redo = skipped("the up failed");
    broken.interrupt = StepStatus::skipped;
    broken.locks.clear();
    auto report = report_of({correct(), broken});
    report.stopped = "0010 add_broken failed on up: the rehearsal stops there";
    return report;
}

} // namespace

TEST_CASE("workflow::to_string(StepStatus): the names the report and docs use")
{
    CHECK(to_string(StepStatus::ok) == "ok");
    CHECK(to_string(StepStatus::failed) == "failed");
    CHECK(to_string(StepStatus::lossy) == "lossy");
    CHECK(to_string(StepStatus::missing) == "missing");
    CHECK(to_string(StepStatus::manual) == "manual");
    CHECK(to_string(StepStatus::skipped) == "skipped");
    CHECK(to_string(StepStatus::not_applicable) == "not-applicable");
}

TEST_CASE("workflow::DataLoss::describe names the column or table, the rows and the archive")
{
    CHECK(DataLoss{"public.t", "c", 10000, ""}.describe() ==
          "column public.t.c: 10000 non-null values lost (not archived)");
    CHECK(DataLoss{"public.t", "c", 1, "migsafe_archive.t__c__0007"}.describe() ==
          "column public.t.c: 1 non-null value lost (archived in migsafe_archive.t__c__0007)");
    CHECK(DataLoss{"app.orders", "", 3, ""}.describe() ==
          "table app.orders: 3 rows lost (not archived)");
    CHECK(DataLoss{"app.orders", "", 1, "migsafe_archive.orders__0003"}.describe() ==
          "table app.orders: 1 row lost (archived in migsafe_archive.orders__0003)");
    CHECK(DataLoss{.table = "public.t", .column = "c", .rows = 7, .declared = true}.describe() ==
          "column public.t.c: 7 non-null values lost (not archived, declared)");
    CHECK(DataLoss{.table = "public.t", .rows = 100, .changed = true}.describe() ==
          "table public.t: 100 rows changed, not put back (not archived)");
    CHECK(DataLoss{.table = "public.t", .column = "c", .rows = 1, .changed = true}.describe() ==
          "column public.t.c: 1 row changed, not put back (not archived)");
}

TEST_CASE("workflow::RehearseReport::failed: failed steps, silent losses, --fail-on lossy")
{
    auto verdict = [](std::vector<MigrationRehearsal> migrations, FailOn fail_on) {
        auto report = report_of(std::move(migrations));
        report.fail_on = fail_on;
        return report.failed();
    };
    SUBCASE("a correct set, a missing down and a manual compensation pass under both")
    {
        auto manual = correct();
        manual.compensation.status = StepStatus::manual;
        manual.compensation.reason = "the new type's values cannot be cast back";
        for (auto fail_on : {FailOn::failure, FailOn::lossy}) {
            CHECK_FALSE(verdict({correct(), missing_down(), backfill(), manual}, fail_on));
        }
    }
    SUBCASE("a failed down fails under both")
    {
        CHECK(verdict({correct(), failed_down()}, FailOn::failure));
        CHECK(verdict({correct(), failed_down()}, FailOn::lossy));
    }
    SUBCASE("a failed up, redo or compensation fails")
    {
        for (auto part : {&MigrationRehearsal::up, &MigrationRehearsal::redo,
                          &MigrationRehearsal::compensation}) {
            auto m = correct();
            (m.*part).status = StepStatus::failed;
            CHECK(verdict({m}, FailOn::failure));
        }
    }
    SUBCASE("a down file losing data it does not archive fails under both")
    {
        CHECK(verdict({lossy_down()}, FailOn::failure));
        CHECK(verdict({lossy_down()}, FailOn::lossy));
    }
    SUBCASE("a down file whose every loss is archived fails only under --fail-on lossy")
    {
        auto m = lossy_down();
        m.down.losses.front().archive = "app_archive.reviews_rating";
        CHECK_FALSE(verdict({m}, FailOn::failure));
        CHECK(verdict({m}, FailOn::lossy));
    }
    SUBCASE("a down file that declares its loss (-- migsafe:allow) fails only under lossy")
    {
        auto m = lossy_down();
        m.down.losses.front().declared = true;
        CHECK_FALSE(verdict({m}, FailOn::failure));
        CHECK(verdict({m}, FailOn::lossy));
        // One silent loss beside a declared one is enough.
        m.down.losses.push_back({.table = "public.reviews", .rows = 10000, .changed = true});
        CHECK(verdict({m}, FailOn::failure));
    }
    SUBCASE("a lossy compensation says what it loses: it fails only under --fail-on lossy")
    {
        CHECK_FALSE(verdict({archived_compensation()}, FailOn::failure));
        CHECK(verdict({archived_compensation()}, FailOn::lossy));
        auto unarchived = archived_compensation();
        unarchived.compensation.losses.front().archive.clear();
        CHECK_FALSE(verdict({unarchived}, FailOn::failure));
    }
    SUBCASE("an interruption whose resume or rollback failed fails")
    {
        auto resume = backfill();
        resume.interruptions[1].resume.status = StepStatus::failed;
        CHECK(verdict({resume}, FailOn::failure));
        auto status = backfill();
        status.interrupt = StepStatus::failed;
        CHECK(verdict({status}, FailOn::failure));
        auto lossy = backfill();
        lossy.interruptions[0].rollback.status = StepStatus::lossy;
        lossy.interruptions[0].rollback.losses = {{"public.reviews", "rating", 5, ""}};
        CHECK_FALSE(verdict({lossy}, FailOn::failure));
        CHECK(verdict({lossy}, FailOn::lossy));
    }
    SUBCASE("a stopped rehearsal fails")
    {
        CHECK(stopped_report().failed());
        auto report = report_of({correct()});
        report.stopped = "interrupted";
        CHECK(report.failed());
    }
}

TEST_CASE("workflow::RehearseReport::to_text: one aligned line per migration, details, summary")
{
    const std::string expected =
        "rehearse on ephemeral (PostgreSQL 15.18), from 0004; start: migrations before 0004, "
        "100 rows per table\n"
        "\n"
        "0004  create_reviews   up ok 12ms   down ok       comp ok     redo ok  interrupt n/a  "
        "AccessExclusiveLock reviews\n"
        "0005  add_fee_check    up ok 3ms    down failed   comp ok     redo ok  interrupt n/a  "
        "AccessExclusiveLock reviews\n"
        "0006  add_rating       up ok 12ms   down lossy    comp ok     redo ok  interrupt n/a  "
        "AccessExclusiveLock reviews\n"
        "0007  add_summary      up ok 12ms   down ok       comp lossy  redo ok  interrupt n/a  "
        "AccessExclusiveLock reviews\n"
        "0008  index_reviews    up ok 12ms   down missing  comp ok     redo ok  interrupt ok   "
        "ShareUpdateExclusiveLock reviews (planned)\n"
        "0009  backfill_rating  up ok 15.0s  down ok       comp ok     redo ok  interrupt ok   "
        "RowExclusiveLock reviews\n"
        "\n"
        "Details:\n"
        "0005 add_fee_check: down failed (0005_add_fee_check.down.sql:2): constraint "
        "\"reviews_fee_check\" of relation \"reviews\" does not exist\n"
        "    constraint public.reviews.reviews_fee_positive still present\n"
        "    index public.reviews_fee_idx missing\n"
        "    note: sequence public.reviews_id_seq at 10001, was 10000\n"
        "0006 add_rating: down lossy (0006_add_rating.down.sql) [fails: a loss the down file "
        "neither declares nor archives]\n"
        "    column public.reviews.rating: 10000 non-null values lost (not archived)\n"
        "0007 add_summary: compensation lossy\n"
        "    column public.reviews.summary: 9000 non-null values lost (archived in "
        "migsafe_archive.reviews__summary__0007)\n"
        "0008 index_reviews: down missing: no 0008_index_reviews.down.sql\n"
        "\n"
        "rehearsed 6 migrations: 3 passed, 2 failed, 1 lossy, 1 without a down file; verdict "
        "fail\n";
    const auto text = full_report().to_text();
    CHECK(text == expected);

    SUBCASE("the lossy compensation and an interrupt failure under --fail-on lossy")
    {
        auto m = backfill();
        m.interrupt = StepStatus::failed;
        m.interruptions[1].resume.status = StepStatus::failed;
        m.interruptions[1].resume.error = "deadlock detected\nDETAIL:  Process 12 waits";
        m.interruptions[1].resume.error_line = 3;
        m.interruptions[1].resume.file = "0009_backfill_rating.up.sql";
        auto report = report_of({archived_compensation(), m});
        report.fail_on = FailOn::lossy;
        const std::string tail =
            "Details:\n"
            "0007 add_summary: compensation lossy [fails: --fail-on lossy]\n"
            "    column public.reviews.summary: 9000 non-null values lost (archived in "
            "migsafe_archive.reviews__summary__0007)\n"
            "0009 backfill_rating: interrupt failed\n"
            "    after batch 2: resume failed (0009_backfill_rating.up.sql:3): deadlock "
            "detected\n"
            "        DETAIL:  Process 12 waits\n"
            "\n"
            "rehearsed 2 migrations: 0 passed, 2 failed, 0 lossy, 0 without a down file; "
            "verdict fail\n";
        const auto out = report.to_text();
        CAPTURE(out);
        CHECK(out.ends_with(tail));
    }
    SUBCASE("a stopped rehearsal says where it stopped")
    {
        const auto out = stopped_report().to_text();
        CAPTURE(out);
        CHECK(out.find("0010  add_broken      up failed 12ms  down skipped  comp skipped  "
                       "redo skipped  interrupt skipped  no locks\n") != std::string::npos);
        CHECK(out.find("0010 add_broken: up failed (0010_add_broken.up.sql:4): column \"nope\" "
                       "does not exist\n") != std::string::npos);
        CHECK(out.ends_with("\nstopped: 0010 add_broken failed on up: the rehearsal stops "
                            "there\nrehearsed 2 migrations: 1 passed, 1 failed, 0 lossy, 0 "
                            "without a down file; verdict fail\n"));
    }
    SUBCASE("an empty rehearsal passes")
    {
        RehearseReport empty;
        CHECK(empty.to_text() == "rehearse on an unnamed server, from the first migration; "
                                 "start: empty\n\nrehearsed 0 migrations: 0 passed, 0 failed, "
                                 "0 lossy, 0 without a down file; verdict pass\n");
    }
}

TEST_CASE("workflow::RehearseReport::to_json: every field, the verdict and the counts")
{
    const auto json = nlohmann::json::parse(full_report().to_json());
    CHECK(json["schema_version"] == RehearseReport::k_schema_version);
    CHECK(json["verdict"] == "fail");
    CHECK(json["server"] == "ephemeral (PostgreSQL 15.18)");
    CHECK(json["from"] == "0004");
    CHECK(json["start"] == "migrations before 0004, 100 rows per table");
    CHECK(json["stopped"] == "");
    CHECK(json["fail_on"] == "failure");
    CHECK(json["duration_ms"] == 4321);
    CHECK(json["counts"] ==
          nlohmann::json{
              {"migrations", 6}, {"passed", 3}, {"failed", 2}, {"lossy", 1}, {"without_down", 1}});
    const auto& migrations = json["migrations"];
    REQUIRE(migrations.size() == 6);

    const auto& first = migrations[0];
    CHECK(first["version"] == 4);
    CHECK(first["name"] == "create_reviews");
    CHECK(first["file"] == "0004_create_reviews.up.sql");
    CHECK(first["transactional"] == true);
    CHECK(first["backfill"] == false);
    CHECK(first["result"] == "passed");
    CHECK(first["up"] == nlohmann::json{{"status", "ok"},
                                        {"fails", false},
                                        {"duration_ms", 12},
                                        {"file", "0004_create_reviews.up.sql"},
                                        {"error_line", 0},
                                        {"error", ""},
                                        {"differences", nlohmann::json::array()},
                                        {"notes", nlohmann::json::array()},
                                        {"losses", nlohmann::json::array()},
                                        {"reason", ""}});
    CHECK(first["locks"][1] == nlohmann::json{{"table", "public.professionals"},
                                              {"mode", "ShareRowExclusiveLock"},
                                              {"source", "observed"}});
    CHECK(first["interrupt"] == "not-applicable");
    CHECK(first["interruptions"] == nlohmann::json::array());

    const auto& down = migrations[1]["down"];
    CHECK(migrations[1]["result"] == "failed");
    CHECK(down["status"] == "failed");
    CHECK(down["fails"] == true);
    CHECK(down["error_line"] == 2);
    CHECK(down["error"] ==
          "constraint \"reviews_fee_check\" of relation \"reviews\" does not exist");
    CHECK(down["differences"][1] == "index public.reviews_fee_idx missing");
    CHECK(down["notes"][0] == "sequence public.reviews_id_seq at 10001, was 10000");

    CHECK(migrations[2]["down"]["losses"][0] ==
          nlohmann::json{{"table", "public.reviews"},
                         {"column", "rating"},
                         {"rows", 10000},
                         {"archive", ""},
                         {"declared", false},
                         {"changed", false},
                         {"description",
                          "column public.reviews.rating: 10000 non-null values lost (not "
                          "archived)"}});
    CHECK(migrations[2]["down"]["fails"] == true);
    CHECK(migrations[3]["result"] == "lossy");
    CHECK(migrations[3]["compensation"]["fails"] == false);
    CHECK(migrations[3]["compensation"]["losses"][0]["archive"] ==
          "migsafe_archive.reviews__summary__0007");
    CHECK(migrations[4]["down"]["status"] == "missing");
    CHECK(migrations[4]["down"]["reason"] == "no 0008_index_reviews.down.sql");
    CHECK(migrations[4]["transactional"] == false);
    CHECK(migrations[4]["locks"][0]["source"] == "planned");

    const auto& cuts = migrations[5]["interruptions"];
    CHECK(migrations[5]["backfill"] == true);
    CHECK(migrations[5]["interrupt"] == "ok");
    REQUIRE(cuts.size() == 2);
    CHECK(cuts[1]["boundary"] == 2);
    CHECK(cuts[1]["after"] == "batch 2");
    CHECK(cuts[1]["resume"]["duration_ms"] == 20);
    CHECK(cuts[1]["rollback"]["status"] == "ok");

    auto passing = report_of({correct(), archived_compensation()});
    CHECK(nlohmann::json::parse(passing.to_json())["verdict"] == "pass");
    passing.fail_on = FailOn::lossy;
    const auto lossy = nlohmann::json::parse(passing.to_json(-1));
    CHECK(lossy["verdict"] == "fail");
    CHECK(lossy["fail_on"] == "lossy");
    CHECK(lossy["migrations"][1]["compensation"]["fails"] == true);

    const auto stopped = nlohmann::json::parse(stopped_report().to_json());
    CHECK(stopped["stopped"] == "0010 add_broken failed on up: the rehearsal stops there");
    CHECK(stopped["migrations"][1]["up"]["error_line"] == 4);
    CHECK(stopped["migrations"][1]["down"]["status"] == "skipped");
    CHECK(stopped["migrations"][1]["down"]["reason"] == "the up failed");
}

TEST_CASE("workflow::RehearseReport::to_junit: a suite per migration, a case per step, valid")
{
    const auto xml = full_report().to_junit();
    CHECK(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "
                          "name=\"migsafe rehearse\" tests=\"30\" failures=\"2\" errors=\"0\" "
                          "time=\"4.321\">\n"));
    CHECK(xml.find("  <testsuite name=\"0004_create_reviews\" tests=\"5\" failures=\"0\" "
                   "errors=\"0\" skipped=\"1\" time=\"0.040\">\n"
                   "    <testcase classname=\"rehearse.0004_create_reviews\" name=\"up\" "
                   "time=\"0.012\"/>\n"
                   "    <testcase classname=\"rehearse.0004_create_reviews\" name=\"down\" "
                   "time=\"0.008\"/>\n"
                   "    <testcase classname=\"rehearse.0004_create_reviews\" "
                   "name=\"compensation\" time=\"0.009\"/>\n"
                   "    <testcase classname=\"rehearse.0004_create_reviews\" name=\"redo\" "
                   "time=\"0.011\"/>\n"
                   "    <testcase classname=\"rehearse.0004_create_reviews\" name=\"interrupt\" "
                   "time=\"0.000\">\n"
                   "      <skipped message=\"not-applicable: a transactional migration without "
                   "a backfill\"/>\n"
                   "    </testcase>\n"
                   "  </testsuite>\n") != std::string::npos);
    // The failed down: its message is where and PostgreSQL's error, its body the differences.
    CHECK(xml.find("      <failure message=\"0005_add_fee_check.down.sql:2: constraint "
                   "&quot;reviews_fee_check&quot; of relation &quot;reviews&quot; does not "
                   "exist\" type=\"failed\">file: 0005_add_fee_check.down.sql:2\n"
                   "error: constraint &quot;reviews_fee_check&quot; of relation "
                   "&quot;reviews&quot; does not exist\n"
                   "difference: constraint public.reviews.reviews_fee_positive still present\n"
                   "difference: index public.reviews_fee_idx missing\n"
                   "note: sequence public.reviews_id_seq at 10001, was 10000\n"
                   "</failure>\n") != std::string::npos);
    // The silent loss of a down file fails; the compensation's archived loss is output.
    CHECK(xml.find("<failure message=\"0006_add_rating.down.sql: column public.reviews.rating: "
                   "10000 non-null values lost (not archived)\" type=\"lossy\">") !=
          std::string::npos);
    CHECK(xml.find("name=\"compensation\" time=\"0.009\">\n      <system-out>lost: column "
                   "public.reviews.summary: 9000 non-null values lost (archived in "
                   "migsafe_archive.reviews__summary__0007)\n</system-out>\n") !=
          std::string::npos);
    CHECK(xml.find("<skipped message=\"missing: no 0008_index_reviews.down.sql\"/>") !=
          std::string::npos);
    CHECK(xml.find("name=\"interrupt\" time=\"0.070\">\n      <system-out>after batch 1: resume "
                   "ok\nafter batch 1: rollback ok\nafter batch 2: resume ok\nafter batch 2: "
                   "rollback ok\n</system-out>") != std::string::npos);
    CHECK(xml.ends_with("</testsuites>\n"));

    SUBCASE("a stopped rehearsal adds an error a CI shows")
    {
        const auto stopped = stopped_report().to_junit();
        CHECK(stopped.find("<testsuites name=\"migsafe rehearse\" tests=\"11\" failures=\"1\" "
                           "errors=\"1\"") != std::string::npos);
        CHECK(stopped.find("  <testsuite name=\"rehearse\" tests=\"1\" failures=\"0\" "
                           "errors=\"1\" skipped=\"0\" time=\"0.000\">\n"
                           "    <testcase classname=\"rehearse\" name=\"complete\" "
                           "time=\"0.000\">\n"
                           "      <error message=\"0010 add_broken failed on up: the rehearsal "
                           "stops there\" type=\"stopped\"/>\n") != std::string::npos);
    }
    SUBCASE("--fail-on lossy turns the archived loss and a lossy interruption into failures")
    {
        auto m = backfill();
        m.interruptions[0].rollback.status = StepStatus::lossy;
        m.interruptions[0].rollback.losses = {{"public.reviews", "rating", 5, ""}};
        auto report = report_of({archived_compensation(), m});
        report.fail_on = FailOn::lossy;
        const auto out = report.to_junit();
        CHECK(out.find("tests=\"10\" failures=\"2\" errors=\"0\"") != std::string::npos);
        CHECK(out.find("<failure message=\"after batch 1: rollback lossy: column "
                       "public.reviews.rating: 5 non-null values lost (not archived)\" "
                       "type=\"failed\">") != std::string::npos);
    }
}

TEST_CASE("workflow::RehearseReport::to_junit escapes what a PostgreSQL message may hold")
{
    auto m = failed_down();
    m.name = "quote's_<&>";
    m.down.error = "syntax error at or near \"<\" & 'x'\x01\x1f\xff\xc3\x28 end\r\nDETAIL:  "
                   "tab\there ]]> \xef\xbf\xbf é";
    m.down.differences = {"column \"a<b\" & c missing"};
    const auto xml = report_of({m}).to_junit();
    CHECK(xml.find("<testsuite name=\"0005_quote&apos;s_&lt;&amp;&gt;\"") != std::string::npos);
    // In the message attribute: the first line only, the control bytes and the bytes that are
    // not UTF-8 replaced, the carriage return kept as a reference.
    CHECK(xml.find("message=\"0005_add_fee_check.down.sql:2: syntax error at or near "
                   "&quot;&lt;&quot; &amp; &apos;x&apos;\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
                   "\xEF\xBF\xBD( end&#13;\"") != std::string::npos);
    CHECK(xml.find("DETAIL:  tab\there ]]&gt; \xEF\xBF\xBD é\n") != std::string::npos);
    CHECK(xml.find("difference: column &quot;a&lt;b&quot; &amp; c missing\n") != std::string::npos);
}

TEST_CASE("workflow::RehearseReport: the flags to switch off before rolling back, text and JSON")
{
    RehearseReport report;
    report.server = "ephemeral (PostgreSQL 15.18)";
    auto gated = migration(12, "contract_professionals_full_name");
    gated.switch_off_first = {{"professionals-display-name", "production"}};
    report.migrations = {correct(), gated};
    const auto text = report.to_text();
    CHECK(text.find("\nBefore rolling back in earnest (cut-over flags):\n  0012 "
                    "contract_professionals_full_name: switch off first: flag "
                    "professionals-display-name in production\n") != std::string::npos);
    const auto json = nlohmann::json::parse(report.to_json());
    CHECK(json["migrations"][0]["switch_off_first"] == nlohmann::json::array());
    CHECK(
        json["migrations"][1]["switch_off_first"] ==
        nlohmann::json::parse(R"([{"flag": "professionals-display-name", "env": "production"}])"));
    report.migrations = {correct()};
    CHECK(report.to_text().find("Before rolling back") == std::string::npos);
}
