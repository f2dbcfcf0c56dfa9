#include "support/migration_dir.hpp"

#include <migsafe/model/migration_set.hpp>
#include <migsafe/plan/analyze.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace plan = migsafe::plan;
namespace model = migsafe::model;

TEST_CASE("plan::analyze plans a migration set as one release, in version order")
{
    const auto set =
        model::load_migration_set(std::filesystem::path(MIGSAFE_FIXTURES_DIR) / "layouts/flyway");
    auto report = plan::analyze(set);
    REQUIRE(report.statements.size() == 3);
    CHECK(report.statements[0].file == "V1__create_patients.sql");
    CHECK(report.statements[1].file == "V2__add_patients_phone.sql");
    CHECK(report.statements[2].file == "V10__index_patients_phone.sql");
    // patients is new in this release: nothing blocks, nothing fails.
    for (const auto& statement : report.statements) {
        CAPTURE(statement.sql);
        CHECK(statement.findings.empty());
    }
    CHECK(report.statements[1].locks.size() == 1); // created by an earlier file
    CHECK(report.statements[0].phase == plan::Phase::expand);
    CHECK(report.verdict == plan::Verdict::pass);
}

TEST_CASE("plan::plan_input maps the model's directives")
{
    model::Directives directives;
    directives.phase = model::Phase::contract;
    directives.transactional = model::Transactional::no;
    directives.allowed.push_back({"MS-BRK-01", "nobody reads it since 2.3", 4});
    auto input = plan::plan_input(directives, "0001.sql");
    CHECK(input.phase == plan::Phase::contract);
    CHECK(input.transaction == plan::Transaction::none);
    REQUIRE(input.allows.size() == 1);
    CHECK(input.allows[0].rule == "MS-BRK-01");
    CHECK(input.allows[0].reason == "nobody reads it since 2.3");
}

TEST_CASE("plan::plan_input accepts a rule's slug in an allow and stores its id")
{
    model::Directives directives;
    directives.allowed.push_back({"drop-column", "dead column", 1});
    CHECK(plan::plan_input(directives, "0001.sql").allows.at(0).rule == "MS-BRK-01");
}

TEST_CASE("plan::read_plan_inputs keeps the order given and names the first bad file")
{
    migsafe::test::MigrationDir dir;
    std::vector<std::filesystem::path> files;
    for (int i = 0; i < 30; ++i) {
        dir.write(fmt::format("f{}.sql", i), fmt::format("CREATE TABLE t{} (id int);\n", i));
        files.push_back(dir.path() / fmt::format("f{}.sql", i));
    }
    std::reverse(files.begin(), files.end());
    const auto inputs = plan::read_plan_inputs(files);
    REQUIRE(inputs.size() == 30);
    CHECK(inputs.front().file == dir.path() / "f29.sql");
    CHECK(inputs.front().statements.at(0).sql == "CREATE TABLE t29 (id int)");
    CHECK(inputs.back().statements.at(0).sql == "CREATE TABLE t0 (id int)");

    dir.write("f20.sql", "CREATE TABEL x (id int);\n");
    files.insert(files.begin() + 25, dir.path() / "missing.sql");
    // In the order given, f20 comes before the missing file.
    CHECK_THROWS_WITH_AS(plan::read_plan_inputs(files),
                         doctest::Contains("f20.sql:1:8: syntax error"), migsafe::Error);
    std::reverse(files.begin(), files.end());
    try {
        plan::read_plan_inputs(files);
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "input-not-found");
        CHECK(e.context().file == (dir.path() / "missing.sql").string());
    }
}
