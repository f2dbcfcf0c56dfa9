// adopt::locate_history / detect_histories / read_rows on each tool's table, created with
// the exact DDL and rows the tool writes (adopt_fixtures.hpp cites the sources).
#include "db/adopt/adopt_fixtures.hpp"
#include "support/test_db.hpp"

#include <migsafe/adopt/history_table.hpp>
#include <migsafe/adopt/runner_row.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace migsafe::adopt;
using namespace migsafe::test::adopt_fixtures;
using migsafe::test::TestDatabase;

TEST_CASE("adopt::detect_histories: each tool's table is told apart by its columns")
{
    struct Case {
        Tool tool;
        const char* ddl;
        const char* table;
    };
    const Case cases[] = {
        {Tool::prisma, k_prisma_ddl, "public._prisma_migrations"},
        {Tool::flyway, k_flyway_ddl, "public.flyway_schema_history"},
        {Tool::golang_migrate, k_golang_migrate_ddl, "public.schema_migrations"},
        {Tool::dbmate, k_dbmate_ddl, "public.schema_migrations"},
        {Tool::rails, k_rails_ddl, "public.schema_migrations"},
        {Tool::diesel, k_diesel_ddl, "public.__diesel_schema_migrations"},
    };
    for (const auto& c : cases) {
        CAPTURE(to_string(c.tool));
        TestDatabase db;
        auto session = db.connect();
        session.exec(c.ddl);
        auto found = detect_histories(session);
        REQUIRE(found.size() == 1);
        CHECK(found[0].tool == c.tool);
        CHECK(found[0].qualified() == c.table);
        CHECK(found[0].is_tools);
        auto located = locate_history(session, c.tool);
        REQUIRE(located);
        CHECK(located->is_tools);
    }
}

TEST_CASE("adopt::locate_history: a table with the tool's name but other columns is not "
          "the tool's, and says whose it is")
{
    TestDatabase db;
    auto session = db.connect();
    session.exec(k_golang_migrate_ddl);
    auto dbmate = locate_history(session, Tool::dbmate);
    REQUIRE(dbmate);
    CHECK_FALSE(dbmate->is_tools);
    CHECK(dbmate->mismatch == "public.schema_migrations is not dbmate's: its columns are version "
                              "bigint, dirty boolean (golang-migrate's)");

    TestDatabase db2;
    auto session2 = db2.connect();
    session2.exec(k_dbmate_ddl);
    auto rails = locate_history(session2, Tool::rails);
    REQUIRE(rails);
    CHECK_FALSE(rails->is_tools);
    CHECK(rails->mismatch ==
          "public.schema_migrations is not rails's: its columns are version character "
          "varying (dbmate's: there is no ar_internal_metadata beside it)");

    TestDatabase db3;
    auto session3 = db3.connect();
    session3.exec("CREATE TABLE _prisma_migrations (name text, applied timestamptz)");
    auto prisma = locate_history(session3, Tool::prisma);
    REQUIRE(prisma);
    CHECK_FALSE(prisma->is_tools);
    CHECK(prisma->mismatch == "public._prisma_migrations is not prisma's: its columns are name "
                              "text, applied timestamp with time zone");
    CHECK(detect_histories(session3).empty());
}

TEST_CASE("adopt::locate_history: the configured schema and table, and the session's schema")
{
    TestDatabase db;
    auto session = db.connect();
    session.exec("CREATE SCHEMA ops; CREATE TABLE ops.\"Migrations\" (version bigint not null "
                 "primary key, dirty boolean not null)");
    CHECK_FALSE(locate_history(session, Tool::golang_migrate));
    CHECK(history_places(session, Tool::golang_migrate) ==
          std::vector<std::string>{"public.schema_migrations"});
    auto configured =
        locate_history(session, Tool::golang_migrate, {.schema = "ops", .table = "Migrations"});
    REQUIRE(configured);
    CHECK(configured->is_tools);
    CHECK(configured->qualified() == "ops.\"Migrations\"");
    // Prisma's ?schema=app: the connection's search_path.
    session.exec("CREATE SCHEMA app; SET search_path = app");
    session.exec(k_prisma_ddl);
    auto prisma = locate_history(session, Tool::prisma);
    REQUIRE(prisma);
    CHECK(prisma->qualified() == "app._prisma_migrations");
}

TEST_CASE("adopt::read_rows: each tool's rows, states and provenance")
{
    TestDatabase db;
    auto session = db.connect();
    session.exec(k_prisma_ddl);
    // What prisma migrate deploy writes (sql_migration_persistence.rs: record_migration_started,
    // record_successful_step, record_migration_finished), a failed run, and a rolled-back one.
    session.exec(
        "INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, "
        "rolled_back_at, started_at, applied_steps_count) VALUES "
        "('0c2b5c1e-0c7e-4a0e-9f53-0d0f3d5b0001', 'aa', '2024-01-01 12:00:01+00', "
        "'20240101120000_init', NULL, NULL, '2024-01-01 12:00:00+00', 1), "
        "('0c2b5c1e-0c7e-4a0e-9f53-0d0f3d5b0002', 'bb', NULL, '20240102120000_users', "
        "'Database error code: 42P07', NULL, '2024-01-02 12:00:00+00', 0), "
        "('0c2b5c1e-0c7e-4a0e-9f53-0d0f3d5b0003', 'cc', NULL, '20240103120000_drop', NULL, "
        "'2024-01-03 13:00:00+00', '2024-01-03 12:00:00+00', 0)");
    auto table = locate_history(session, Tool::prisma);
    REQUIRE(table);
    auto rows = read_rows(session, *table);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].version == "20240101120000_init");
    CHECK(rows[0].name == "init");
    CHECK(rows[0].state == RowState::applied);
    CHECK(rows[0].applied_at == "2024-01-01T12:00:01.000Z");
    CHECK(rows[0].started_at == "2024-01-01T12:00:00.000Z");
    CHECK(rows[1].state == RowState::unfinished);
    CHECK(rows[1].logs == "Database error code: 42P07");
    CHECK(rows[2].state == RowState::rolled_back);
    auto json = nlohmann::json::parse(rows[0].row_json);
    CHECK(json["migration_name"] == "20240101120000_init");
    CHECK(json["applied_steps_count"] == 1);

    session.exec(k_flyway_ddl);
    // Flyway's rows (JdbcTableSchemaHistory.doAddAppliedMigration): a schema-creation marker,
    // a success, a failure.
    session.exec("SET TimeZone = 'Europe/Paris'");
    session.exec(
        "INSERT INTO flyway_schema_history VALUES "
        "(1, NULL, '<< Flyway Schema Creation >>', 'SCHEMA', '\"public\"', NULL, 'ci', "
        "'2024-01-01 13:00:00', 0, true), "
        "(2, '1', 'create users', 'SQL', 'V1__create_users.sql', 123, 'ci', "
        "'2024-01-01 13:00:01', 12, true), "
        "(3, '1.1', 'add email', 'SQL', 'V1_1__add_email.sql', -5, 'ci', '2024-01-01 13:00:02', "
        "7, false)");
    table = locate_history(session, Tool::flyway);
    REQUIRE(table);
    rows = read_rows(session, *table);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].state == RowState::marker);
    CHECK(rows[1].state == RowState::applied);
    CHECK(rows[1].checksum == "123");
    CHECK(rows[1].applied_by == "ci");
    CHECK(rows[1].applied_at == "2024-01-01T12:00:01.000Z"); // local (Paris) time, read as such
    CHECK(rows[1].execution_time_ms == 12);
    CHECK(rows[1].rank == 2);
    CHECK(rows[2].state == RowState::failed);
    CHECK(rows[2].version == "1.1");
}
