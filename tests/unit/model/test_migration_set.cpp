#include "support/migration_dir.hpp"

#include <migsafe/model/migration_set.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>

using namespace migsafe::model;

namespace {

const std::filesystem::path k_fixtures = MIGSAFE_FIXTURES_DIR;

std::vector<std::string> versions(const MigrationSet& set)
{
    std::vector<std::string> out;
    for (const auto& migration : set.migrations) {
        out.push_back(migration.version.text());
    }
    return out;
}

// The error loading `dir` raises, as `code|message` (the fixtures path shortened).
std::string error_of(const std::filesystem::path& dir)
{
    try {
        load_migration_set(dir);
    } catch (const migsafe::Error& e) {
        std::string message = e.message();
        const std::string prefix = (k_fixtures / "bad").string() + "/";
        for (auto at = message.find(prefix); at != std::string::npos; at = message.find(prefix)) {
            message.erase(at, prefix.size());
        }
        return e.code() + "|" + message;
    }
    return "no error";
}

} // namespace

TEST_CASE("migsafe::model::load_migration_set reads each layout in numeric order")
{
    struct Case {
        const char* folder;
        Layout layout;
        std::size_t downs;
        const char* first_up;
    };
    const Case cases[] = {
        {"migsafe", Layout::migsafe, 0, "0001_create_patients.sql"},
        {"flyway", Layout::flyway, 2, "V1__create_patients.sql"},
        {"golang-migrate", Layout::golang_migrate, 3, "0001_create_patients.up.sql"},
        {"folders", Layout::folders, 2, "0001_create_patients/up.sql"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.folder);
        const auto set = load_migration_set(k_fixtures / "layouts" / c.folder);
        CHECK(versions(set) == std::vector<std::string>{"1", "2", "10"});
        std::size_t downs = 0;
        for (const auto& migration : set.migrations) {
            CHECK(migration.layout == c.layout);
            downs += migration.down ? 1 : 0;
        }
        CHECK(downs == c.downs);
        CHECK(set.migrations[0].up.relative_path == c.first_up);
        CHECK(set.migrations[0].name == "create_patients");
        CHECK(set.migrations[2].name == "index_patients_phone");
        CHECK(set.migrations[1].up.statements.size() == 1);
        CHECK(set.migrations[2].up.directives.transactional == Transactional::no);
        CHECK(set.find(10) == &set.migrations[2]);
        CHECK(set.find(3) == nullptr);
    }
}

TEST_CASE("migsafe::model::load_migration_set reads diesel folder names as digits")
{
    const auto set = load_migration_set(k_fixtures / "layouts" / "diesel");
    CHECK(versions(set) == std::vector<std::string>{"20240101000000", "20240210093000"});
    CHECK(set.migrations[1].version_as_written == "2024-02-10-093000");
    CHECK(set.migrations[1].entry_name == "2024-02-10-093000_add_patients_phone");
    CHECK(set.migrations[1].name == "add_patients_phone");
    CHECK(set.migrations[1].down->relative_path == "2024-02-10-093000_add_patients_phone/down.sql");
    CHECK(to_string(set.migrations[1].layout) == "folders");
}

TEST_CASE("migsafe::model::load_migration_set reads Prisma's migrations folder")
{
    const auto set = load_migration_set(k_fixtures / "layouts" / "prisma");
    CHECK(versions(set) ==
          std::vector<std::string>{"20240101120000", "20240102090000", "20240110080000"});
    CHECK(set.migrations[0].layout == Layout::prisma);
    CHECK(set.migrations[0].entry_name == "20240101120000_create_patients");
    CHECK(set.migrations[0].up.relative_path == "20240101120000_create_patients/migration.sql");
    CHECK(set.migrations[1].name == "add_patients_phone");
    CHECK_FALSE(set.migrations[1].down.has_value());
    CHECK(set.migrations[2].up.statements.size() == 1);
}

TEST_CASE("migsafe::model::load_migration_set splits dbmate files and never runs them whole")
{
    const auto set = load_migration_set(k_fixtures / "layouts" / "dbmate");
    REQUIRE(set.migrations.size() == 3);
    const auto& create = set.migrations[0];
    CHECK(create.layout == Layout::dbmate);
    CHECK(create.version.text() == "20240101120000");
    // The up section holds only the CREATE, the down section only the DROP, each at the line
    // it has in the file.
    REQUIRE(create.up.statements.size() == 1);
    CHECK(create.up.statements[0].kind == StatementKind::create_table);
    CHECK(create.up.statements[0].line == 2);
    REQUIRE(create.down.has_value());
    // Down sections are loaded as text; read_down parses them for compensate and rehearse.
    CHECK(create.down->statements.empty());
    const auto down = read_down(create);
    REQUIRE(down.has_value());
    REQUIRE(down->statements.size() == 1);
    CHECK(down->statements[0].kind == StatementKind::drop_table);
    CHECK(down->statements[0].line == 8);
    CHECK(down->relative_path == "20240101120000_create_patients.sql#down");
    CHECK(create.up.text.find("DROP") == std::string::npos);
    // `transaction:false` is dbmate's no-transaction.
    CHECK(set.migrations[2].up.directives.transactional == Transactional::no);
    CHECK(set.migrations[2].down->directives.transactional == Transactional::no);
    CHECK(read_down(set.migrations[2])->directives.transactional == Transactional::no);
    CHECK(set.migrations[1].up.directives.transactional == Transactional::yes);
}

TEST_CASE("migsafe::model::load_migration_set orders Flyway dotted versions as Flyway does")
{
    const auto set = load_migration_set(k_fixtures / "layouts" / "flyway-dotted");
    CHECK(versions(set) == std::vector<std::string>{"1", "1.2", "1.9", "1.10", "2",
                                                    "R__a_patient_count", "R__patient_names"});
    CHECK(set.migrations[2].version_as_written == "1_9");
    CHECK(set.migrations[2].entry_name == "V1_9__add_patients_email.sql");
    CHECK(set.migrations[5].version.is_repeatable());
    CHECK(set.migrations[5].name == "a_patient_count");
    CHECK(set.find(*Version::parse("1.10")) == &set.migrations[3]);
    CHECK(set.find(*Version::parse("1.10.0")) == &set.migrations[3]);
    CHECK(set.find(*Version::parse("R__patient_names")) == &set.migrations[6]);
}

TEST_CASE("migsafe::model::load_migration_set can skip statement parsing")
{
    const auto set = load_migration_set(k_fixtures / "bad" / "syntax-error",
                                        {.parse_statements = ParseStatements::no});
    CHECK(set.migrations.size() == 2);
    CHECK(set.migrations[1].up.statements.empty());
    CHECK(set.migrations[1].up.directives.phase == Phase::expand);
}

TEST_CASE("migsafe::model::load_migration_set refuses bad sets")
{
    const auto bad = k_fixtures / "bad";
    CHECK(error_of(bad / "syntax-error") == "sql-syntax|syntax error at or near \"TABLEE\"");
    CHECK(error_of(bad / "duplicate-version") ==
          "migration-version-duplicate|migration version 2 is used by both "
          "duplicate-version/0002_add_phone.sql and duplicate-version/002_add_email.sql");
    CHECK(error_of(bad / "unknown-directive") ==
          "directive-unknown|unknown directive `migsafe:phse`");
    CHECK(error_of(bad / "malformed-directive") ==
          "directive-malformed|`migsafe:allow MS-LOCK-01` needs a reason");
    CHECK(error_of(bad / "unparsable-version") ==
          "migration-version-invalid|version `00x2` of unparsable-version/00x2_add_phone.sql is "
          "not a decimal number");
    CHECK(error_of(bad / "down-without-up") ==
          "migration-layout-invalid|down-without-up/0002_add_phone.down.sql is a down migration "
          "without its up migration");
    CHECK(error_of(bad / "mixed-layouts") ==
          "migration-layout-invalid|the directory mixes layouts: "
          "mixed-layouts/0001_create_patients.sql is migsafe, mixed-layouts/V2__add_phone.sql is "
          "flyway");
    CHECK(error_of(bad / "folder-without-up") ==
          "migration-layout-invalid|folder-without-up/0002_add_phone is a migration folder "
          "without up.sql (or Prisma's migration.sql)");
    CHECK(error_of(bad / "prisma-mysql") ==
          "migration-layout-invalid|prisma-mysql/migration_lock.toml says the migrations are for "
          "provider `mysql`, not postgresql");
    CHECK(error_of(bad / "dbmate-no-up") ==
          "migration-layout-invalid|a dbmate file without a `-- migrate:up` marker");
    CHECK(error_of(bad / "dbmate-markers-in-flyway") ==
          "migration-layout-invalid|V1__create_t.sql is a flyway migration with dbmate's "
          "`-- migrate:` markers");
    CHECK(error_of(bad / "flyway-duplicate-dotted") ==
          "migration-version-duplicate|migration version 1.2 is used by both "
          "flyway-duplicate-dotted/V1.2.0__b.sql and flyway-duplicate-dotted/V1.2__a.sql (1.2.0 "
          "and 1.2 are the same version: a missing part counts as 0)");
    CHECK(error_of(bad / "unknown-file") ==
          "migration-layout-invalid|unknown-file/add_phone.sql does not follow a known migration "
          "layout");
    CHECK(error_of(bad / "no-such-directory") ==
          "input-not-found|migration directory no-such-directory does not exist");
}

TEST_CASE("migsafe::model::load_migration_set: errors carry the file and line")
{
    try {
        load_migration_set(k_fixtures / "bad" / "syntax-error");
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.context().file == (k_fixtures / "bad/syntax-error/0002_add_phone.sql").string());
        CHECK(e.context().line == 5);
        CHECK(e.context().column == 7);
        CHECK(migsafe::exit_code_for(e.category()) == 2);
    }
}

TEST_CASE("migsafe::model::load_migration_set names the first bad file, though it parses in "
          "parallel")
{
    migsafe::test::MigrationDir dir;
    for (int version = 1; version <= 60; ++version) {
        dir.write(fmt::format("{:04}_m.sql", version),
                  fmt::format("CREATE TABLE t{} (id bigint);\n", version));
    }
    dir.write("0040_m.sql", "SELECT 1;\nALTER TABLE;\n");
    dir.write("0007_m.sql", "CREATE TABLE ok (id int);\n\nCREATE TABEL t7 (id int);\n");
    dir.write("0012_m.sql", "-- migsafe:no-such-directive\nSELECT 1;\n");
    for (int attempt = 0; attempt < 10; ++attempt) {
        try {
            load_migration_set(dir.path());
            FAIL("no throw");
        } catch (const migsafe::Error& e) {
            CHECK(e.code() == "sql-syntax");
            CHECK(e.context().file == (dir.path() / "0007_m.sql").string());
            CHECK(e.context().line == 3);
        }
    }
    // Without parsing, 0007 is fine and 0012's directive is the first fault.
    try {
        load_migration_set(dir.path(), {.parse_statements = ParseStatements::no});
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.context().file == (dir.path() / "0012_m.sql").string());
    }
}
