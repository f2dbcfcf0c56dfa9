// adopt::write_tool_row: the row each tool would have written for a migration migsafe
// applied, in the tool's own table (created with the tool's DDL by ensure_tool_history).
#include "db/adopt/adopt_fixtures.hpp"
#include "support/test_db.hpp"

#include <migsafe/adopt/runner_row.hpp>
#include <migsafe/adopt/tool_row.hpp>

#include <doctest/doctest.h>

using namespace migsafe::adopt;
using namespace migsafe::test::adopt_fixtures;
using migsafe::test::TestDatabase;
using namespace std::chrono_literals;

namespace {

std::string value(migsafe::platform::Session& session, const std::string& sql)
{
    return session.query_value(sql).value_or("<null>");
}

HistoryTable table_of(Tool tool)
{
    return {.tool = tool,
            .schema = "public",
            .table = std::string(default_history_table(tool)),
            .is_tools = true};
}

} // namespace

TEST_CASE("adopt::flyway_description: Flyway's description of a script name")
{
    CHECK(flyway_description("V1_2__Add_new_table.sql") == "Add new table");
    CHECK(flyway_description("sub/R__refresh_views.sql") == "refresh views");
}

TEST_CASE("adopt::write_tool_row: Prisma's row, as migrate deploy writes it")
{
    TestDatabase db;
    auto session = db.connect();
    session.exec(k_prisma_ddl); // the tool created it; ensure_tool_history leaves it alone
    ensure_tool_history(session, table_of(Tool::prisma));
    const std::string script = "CREATE TABLE users (id bigint);\r\n";
    Folder folder;
    folder.write("20240101120000_init/migration.sql", script);
    write_tool_row(session, table_of(Tool::prisma),
                   {.identity = "20240101120000_init",
                    .file_name = "migration.sql",
                    .text = script,
                    .started_at = "2024-05-01T10:00:00.000Z"});
    CHECK(value(session, "SELECT count(*) FROM _prisma_migrations") == "1");
    CHECK(value(session, "SELECT checksum FROM _prisma_migrations") ==
          python_sha256(folder.path() / "20240101120000_init/migration.sql"));
    CHECK(value(session, "SELECT id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                         "[0-9a-f]{12}$' FROM _prisma_migrations") == "t");
    CHECK(value(session, "SELECT migration_name FROM _prisma_migrations") == "20240101120000_init");
    CHECK(value(session, "SELECT applied_steps_count FROM _prisma_migrations") == "1");
    CHECK(value(session, "SELECT logs IS NULL AND rolled_back_at IS NULL AND finished_at >= "
                         "started_at FROM _prisma_migrations") == "t");
    CHECK(value(session, "SELECT started_at = '2024-05-01T10:00:00Z' FROM _prisma_migrations") ==
          "t");
    auto rows = read_rows(session, table_of(Tool::prisma));
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].state == RowState::applied);
}

TEST_CASE("adopt::write_tool_row: Flyway's row, with its CRC32 and the next installed_rank")
{
    TestDatabase db;
    auto session = db.connect();
    ensure_tool_history(session, table_of(Tool::flyway)); // created as Flyway creates it
    CHECK(value(session, "SELECT count(*) FROM pg_indexes WHERE indexname IN "
                         "('flyway_schema_history_pk', 'flyway_schema_history_s_idx')") == "2");
    session.exec("INSERT INTO flyway_schema_history VALUES (1, '1', 'init', 'SQL', "
                 "'V1__init.sql', 7, 'ci', now(), 3, true)");
    const std::string script = "\xEF\xBB\xBF"
                               "CREATE TABLE t (id int);\r\n";
    Folder folder;
    folder.write("V1_1__add_t.sql", script);
    write_tool_row(session, table_of(Tool::flyway),
                   {.identity = "1.1",
                    .file_name = "V1_1__add_t.sql",
                    .text = script,
                    .execution_time = 42ms});
    auto row = session.query("SELECT installed_rank, version, description, type, script, "
                             "checksum, installed_by = current_user, execution_time, success, "
                             "installed_on IS NOT NULL FROM flyway_schema_history "
                             "WHERE installed_rank = 2");
    REQUIRE(row.rows.size() == 1);
    const auto& r = row.rows[0];
    CHECK(r[1] == "1.1");
    CHECK(r[2] == "add t");
    CHECK(r[3] == "SQL");
    CHECK(r[4] == "V1_1__add_t.sql");
    CHECK(r[5] == python_flyway_crc(folder.path() / "V1_1__add_t.sql"));
    CHECK(r[6] == "t");
    CHECK(r[7] == "42");
    CHECK(r[8] == "t");
    CHECK(r[9] == "t");
}

TEST_CASE("adopt::write_tool_row: golang-migrate, dbmate, Rails and diesel rows")
{
    TestDatabase db;
    auto session = db.connect();
    ensure_tool_history(session, table_of(Tool::golang_migrate));
    write_tool_row(session, table_of(Tool::golang_migrate), {.identity = "3"});
    write_tool_row(session, table_of(Tool::golang_migrate), {.identity = "4"});
    CHECK(value(session, "SELECT string_agg(version || ':' || dirty, ',') FROM "
                         "schema_migrations") == "4:false");

    TestDatabase db2;
    auto s2 = db2.connect();
    ensure_tool_history(s2, table_of(Tool::dbmate));
    write_tool_row(s2, table_of(Tool::dbmate), {.identity = "20240101120000"});
    CHECK(value(s2, "SELECT version FROM schema_migrations") == "20240101120000");
    CHECK(value(s2,
                "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = "
                "'schema_migrations'::regclass AND attname = 'version'") == "character varying");

    TestDatabase db3;
    auto s3 = db3.connect();
    ensure_tool_history(s3, table_of(Tool::rails));
    write_tool_row(s3, table_of(Tool::rails), {.identity = "20240101120000"});
    CHECK(value(s3, "SELECT version FROM schema_migrations") == "20240101120000");
    auto rails = locate_history(s3, Tool::rails);
    REQUIRE(rails);
    CHECK(rails->is_tools);

    TestDatabase db4;
    auto s4 = db4.connect();
    ensure_tool_history(s4, table_of(Tool::diesel));
    write_tool_row(s4, table_of(Tool::diesel), {.identity = "20240101000000"});
    CHECK(value(s4, "SELECT version || ' ' || (run_on IS NOT NULL) FROM "
                    "__diesel_schema_migrations") == "20240101000000 true");
}
