// adopt::match_rows: a file for every row, the tool's checksum, the order, and the rows
// refused with the tool's own fix command.
#include "db/adopt/adopt_fixtures.hpp"
#include "support/test_db.hpp"

#include <migsafe/adopt/checksum.hpp>
#include <migsafe/adopt/match.hpp>
#include <migsafe/model/migration_set.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

using namespace migsafe::adopt;
using namespace migsafe::test::adopt_fixtures;
using migsafe::test::TestDatabase;

namespace {

std::vector<std::string> adopted_files(const MatchResult& result)
{
    std::vector<std::string> files;
    for (const auto& a : result.adoptions) {
        files.push_back(a.migration->up.relative_path);
    }
    return files;
}

} // namespace

TEST_CASE("adopt::tool_identity: each tool's identity of a file")
{
    Folder folder;
    folder.write("V1__a.sql", "SELECT 1;\n");
    folder.write("V2__b_c.sql", "SELECT 1;\n");
    auto flyway = migsafe::model::load_migration_set(folder.path());
    CHECK(tool_identity(Tool::flyway, flyway.migrations[1]) == "2");

    Folder golang;
    golang.write("0007_x.up.sql", "SELECT 1;\n");
    golang.write("0007_x.down.sql", "SELECT 1;\n");
    auto set = migsafe::model::load_migration_set(golang.path());
    CHECK(tool_identity(Tool::golang_migrate, set.migrations[0]) == "7");
    CHECK(tool_identity(Tool::dbmate, set.migrations[0]) == "0007");
}

TEST_CASE("adopt::match_rows: golang-migrate's one row covers every file up to it; dirty is "
          "refused with `migrate force`")
{
    TestDatabase db;
    auto session = db.connect();
    Folder folder;
    for (int i = 1; i <= 4; ++i) {
        folder.write(fmt::format("000{}_m{}.up.sql", i, i), "SELECT 1;\n");
        folder.write(fmt::format("000{}_m{}.down.sql", i, i), "SELECT 1;\n");
    }
    auto set = migsafe::model::load_migration_set(folder.path());
    session.exec(k_golang_migrate_ddl);
    session.exec("INSERT INTO schema_migrations VALUES (3, false)");
    auto table = locate_history(session, Tool::golang_migrate);
    REQUIRE(table);
    auto result = match_rows(session, *table, set, read_rows(session, *table),
                             {.directory = "db/migrations"});
    CHECK(adopted_files(result) ==
          std::vector<std::string>{"0001_m1.up.sql", "0002_m2.up.sql", "0003_m3.up.sql"});
    CHECK(result.refusals.empty());
    CHECK(result.warnings.empty());

    session.exec("UPDATE schema_migrations SET dirty = true");
    result = match_rows(session, *table, set, read_rows(session, *table),
                        {.directory = "db/migrations"});
    CHECK(result.adoptions.empty());
    REQUIRE(result.refusals.size() == 1);
    CHECK(result.refusals[0].reason ==
          "public.schema_migrations (golang-migrate version 3): dirty: the migration failed "
          "part-way and golang-migrate will not run until it is resolved");
    CHECK(result.refusals[0].fix ==
          "fix the database by hand, then `migrate -path db/migrations -database "
          "\"$DATABASE_URL\" force 3` (its changes are all there) or `... force 2` (none of "
          "them are)");

    session.exec("UPDATE schema_migrations SET version = 9, dirty = false");
    result = match_rows(session, *table, set, read_rows(session, *table),
                        {.directory = "db/migrations"});
    REQUIRE(result.refusals.size() == 1);
    CHECK(result.refusals[0].reason ==
          "public.schema_migrations (golang-migrate version 9): no file with version 9 in "
          "db/migrations");
}

TEST_CASE("adopt::match_rows: Flyway's checksum, failed rows, missing files, baseline, order")
{
    TestDatabase db;
    auto session = db.connect();
    Folder folder;
    const std::string v1 = "CREATE TABLE a (id int);\n";
    const std::string v2 = "CREATE TABLE b (id int);\r\n";
    const std::string v3 = "CREATE TABLE c (id int);\n";
    folder.write("V1__create_a.sql", v1);
    folder.write("V2__create_b.sql", v2);
    folder.write("V3__create_c.sql", v3);
    auto set = migsafe::model::load_migration_set(folder.path());
    session.exec(k_flyway_ddl);
    session.exec_params(
        "INSERT INTO flyway_schema_history VALUES "
        "(1, NULL, '<< Flyway Schema Creation >>', 'SCHEMA', '\"public\"', NULL, 'ci', now(), "
        "0, true), "
        "(2, '1', 'create a', 'SQL', 'V1__create_a.sql', $1::int, 'ci', now(), 5, true), "
        "(3, '3', 'create c', 'SQL', 'V3__create_c.sql', $2::int, 'ci', now(), 5, true)",
        {std::to_string(flyway_checksum(v1)), std::to_string(flyway_checksum(v3))});
    auto table = locate_history(session, Tool::flyway);
    REQUIRE(table);
    auto result =
        match_rows(session, *table, set, read_rows(session, *table), {.directory = "sql"});
    CHECK(adopted_files(result) ==
          std::vector<std::string>{"V1__create_a.sql", "V3__create_c.sql"});
    CHECK(result.refusals.empty());
    CHECK(result.warnings ==
          std::vector<std::string>{"sql/V2__create_b.sql was never applied by flyway but is older "
                                   "than sql/V3__create_c.sql, which was: migsafe will report it "
                                   "out of order"});

    // An edited file: Flyway's checksum catches it (and only a real edit: line endings don't).
    folder.write("V1__create_a.sql", "CREATE TABLE a (id bigint);\r\n");
    set = migsafe::model::load_migration_set(folder.path());
    result = match_rows(session, *table, set, read_rows(session, *table), {.directory = "sql"});
    REQUIRE(result.refusals.size() == 1);
    CHECK(result.refusals[0].reason ==
          fmt::format("public.flyway_schema_history row installed_rank 2 (V1__create_a.sql): "
                      "sql/V1__create_a.sql was edited after flyway applied it (its checksum is "
                      "{}, the table has {})",
                      flyway_checksum("CREATE TABLE a (id bigint);\r\n"), flyway_checksum(v1)));
    CHECK(result.refusals[0].fix == "restore sql/V1__create_a.sql as it was applied (git log -p "
                                    "-- sql/V1__create_a.sql), or run `flyway repair` if the "
                                    "edit is meant");
    folder.write("V1__create_a.sql", "CREATE TABLE a (id int);\r\n");
    set = migsafe::model::load_migration_set(folder.path());
    result = match_rows(session, *table, set, read_rows(session, *table), {.directory = "sql"});
    CHECK(result.refusals.empty());

    // success = false: refused with `flyway repair`; a row without a file.
    session.exec("INSERT INTO flyway_schema_history VALUES (4, '2', 'create b', 'SQL', "
                 "'V2__create_b.sql', 1, 'ci', now(), 5, false), (5, '4', 'gone', 'SQL', "
                 "'V4__gone.sql', 1, 'ci', now(), 5, true)");
    result = match_rows(session, *table, set, read_rows(session, *table), {.directory = "sql"});
    REQUIRE(result.refusals.size() == 2);
    CHECK(result.refusals[0].reason == "public.flyway_schema_history row installed_rank 4 "
                                       "(V2__create_b.sql): version 2 failed (success = false)");
    CHECK(result.refusals[0].fix ==
          "undo what it did by hand, then run `flyway repair` (it removes the failed row)");
    CHECK(result.refusals[1].reason ==
          "public.flyway_schema_history row installed_rank 5 (V4__gone.sql): no file for "
          "V4__gone.sql in sql");
    CHECK(
        result.refusals[1].fix.ends_with(", or run `flyway repair` if it was removed on purpose"));

    // A baseline at 2 covers V1 and V2 (flyway baseline -baselineVersion=2).
    TestDatabase db2;
    auto s2 = db2.connect();
    s2.exec(k_flyway_ddl);
    s2.exec("INSERT INTO flyway_schema_history VALUES (1, '2', '<< Flyway Baseline >>', "
            "'BASELINE', '<< Flyway Baseline >>', NULL, 'ci', now(), 0, true)");
    auto t2 = locate_history(s2, Tool::flyway);
    REQUIRE(t2);
    result = match_rows(s2, *t2, set, read_rows(s2, *t2), {.directory = "sql"});
    CHECK(adopted_files(result) ==
          std::vector<std::string>{"V1__create_a.sql", "V2__create_b.sql"});
    CHECK(result.adoptions[0].why == "flyway baseline 2");
}

TEST_CASE("adopt::match_rows: dbmate and diesel rows by version; a row without a file")
{
    TestDatabase db;
    auto session = db.connect();
    Folder folder;
    folder.write("2024-01-01-000000_create_a/up.sql", "CREATE TABLE a (id int);\n");
    folder.write("2024-01-01-000000_create_a/down.sql", "DROP TABLE a;\n");
    folder.write("2024-02-01-000000_create_b/up.sql", "CREATE TABLE b (id int);\n");
    folder.write("2024-02-01-000000_create_b/down.sql", "DROP TABLE b;\n");
    auto set = migsafe::model::load_migration_set(folder.path());
    session.exec(k_diesel_ddl);
    session.exec("INSERT INTO __diesel_schema_migrations (version) VALUES ('20240101000000'), "
                 "('20230101000000')");
    auto table = locate_history(session, Tool::diesel);
    REQUIRE(table);
    auto result =
        match_rows(session, *table, set, read_rows(session, *table), {.directory = "migrations"});
    CHECK(adopted_files(result) == std::vector<std::string>{"2024-01-01-000000_create_a/up.sql"});
    REQUIRE(result.refusals.size() == 1);
    CHECK(result.refusals[0].reason == "public.__diesel_schema_migrations row 20230101000000: no "
                                       "file with version 20230101000000 in migrations");
}
