// workflow::compare_with_history: where each migration stands, without a database.
#include "support/migration_dir.hpp"

#include <migsafe/model/migration_set.hpp>
#include <migsafe/platform/hash.hpp>
#include <migsafe/workflow/apply.hpp>
#include <migsafe/workflow/status.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using migsafe::test::MigrationDir;
using namespace migsafe::workflow;

namespace {

const std::string k_first = "CREATE TABLE a (id int);\n";
const std::string k_second = "-- migsafe:no-transaction\nCREATE TABLE b (id int);\n"
                             "CREATE TABLE c (id int);\n";
const std::string k_third = "CREATE TABLE d (id int);\n";

HistoryEntry applied(std::uint64_t version, const std::string& text)
{
    HistoryEntry entry;
    entry.version = version;
    entry.file = "x.sql";
    entry.checksum = file_checksum(text);
    entry.status = HistoryStatus::applied;
    entry.finished_at = "2026-11-29T10:00:00.000Z";
    return entry;
}

migsafe::model::MigrationSet load(const MigrationDir& dir)
{
    return migsafe::model::load_migration_set(dir.path());
}

} // namespace

TEST_CASE("workflow::compare_with_history: applied, pending, drifted, missing and out of order")
{
    MigrationDir dir;
    dir.write("0001_a.sql", k_first);
    dir.write("0003_d.sql", k_third);
    auto set = load(dir);

    auto fresh = compare_with_history(set, {});
    CHECK(fresh.count(MigrationState::pending) == 2);
    CHECK_FALSE(fresh.current);
    CHECK_FALSE(fresh.needs_attention());

    auto current = compare_with_history(set, {applied(1, k_first)});
    CHECK(current.migrations[0].state == MigrationState::applied);
    CHECK(current.migrations[0].applied_at == "2026-11-29T10:00:00.000Z");
    CHECK(current.migrations[1].state == MigrationState::pending);
    CHECK(current.current == 1u);

    auto drifted = compare_with_history(set, {applied(1, "CREATE TABLE a (id bigint);\n")});
    CHECK(drifted.migrations[0].state == MigrationState::drifted);
    CHECK(drifted.migrations[0].detail.find(file_checksum(k_first)) != std::string::npos);
    CHECK(drifted.migrations[0].detail.find(file_checksum("CREATE TABLE a (id bigint);\n")) !=
          std::string::npos);
    CHECK(drifted.needs_attention());

    auto missing = compare_with_history(set, {applied(1, k_first), applied(2, "gone")});
    REQUIRE(missing.migrations.size() == 3);
    CHECK(missing.migrations[1].version == 2);
    CHECK(missing.migrations[1].state == MigrationState::missing_file);
    CHECK(missing.migrations[1].detail.find("has no file") != std::string::npos);

    auto late = compare_with_history(set, {applied(3, k_third)});
    CHECK(late.migrations[0].state == MigrationState::out_of_order);
    CHECK(late.migrations[0].detail.find("--out-of-order") != std::string::npos);

    auto json = nlohmann::json::parse(late.to_json());
    CHECK(json["counts"]["out-of-order"] == 1);
    CHECK(json["current"] == 3);
    CHECK(json["needs_attention"] == true);
}

TEST_CASE("workflow::compare_with_history: failed is pending again; partial survives edits after "
          "the statements that ran")
{
    MigrationDir dir;
    dir.write("0001_a.sql", k_first);
    dir.write("0002_bc.sql", k_second);
    auto set = load(dir);

    HistoryEntry failed = applied(2, k_second);
    failed.status = HistoryStatus::failed;
    failed.error = "boom";
    auto after_failure = compare_with_history(set, {applied(1, k_first), failed});
    CHECK(after_failure.migrations[1].state == MigrationState::pending);
    CHECK(after_failure.migrations[1].failed_before);
    CHECK(after_failure.migrations[1].detail.find("boom") != std::string::npos);

    HistoryEntry partial = applied(2, "an older text");
    partial.status = HistoryStatus::partial;
    partial.statements_applied = 1;
    partial.statement_checksums = {migsafe::xxh3_128("CREATE TABLE b (id int)").to_hex(),
                                   "anything"};
    auto resumable = compare_with_history(set, {applied(1, k_first), partial});
    CHECK(resumable.migrations[1].state == MigrationState::partial);
    CHECK(resumable.migrations[1].detail.find("1 of 2") != std::string::npos);

    partial.statement_checksums[0] = migsafe::xxh3_128("CREATE TABLE b (id bigint)").to_hex();
    auto edited = compare_with_history(set, {applied(1, k_first), partial});
    CHECK(edited.migrations[1].state == MigrationState::drifted);
    CHECK(edited.migrations[1].detail.find("statement 1") != std::string::npos);
    CHECK(edited.migrations[1].detail.find("line 2") != std::string::npos);
}

TEST_CASE("workflow: phase filter and outcome names")
{
    CHECK(parse_phase_filter("expand") == PhaseFilter::expand);
    CHECK(parse_phase_filter("contract") == PhaseFilter::contract);
    CHECK(parse_phase_filter("all") == PhaseFilter::all);
    CHECK_FALSE(parse_phase_filter("both"));
    CHECK(to_string(Outcome::would_apply) == "would-apply");
    CHECK(parse_history_status("partial") == HistoryStatus::partial);
    CHECK_FALSE(parse_history_status("dirty"));
}
