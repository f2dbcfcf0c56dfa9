// adopt::Tool names, the columns that tell the tools apart, Flyway's checksum and the lock
// keys' pure parts (no database; the database tests check the rest).
#include <migsafe/adopt/checksum.hpp>
#include <migsafe/adopt/history_table.hpp>
#include <migsafe/adopt/tool.hpp>
#include <migsafe/adopt/tool_lock.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>

using namespace migsafe::adopt;

TEST_CASE("adopt::parse_tool: the names to_string writes, and golang_migrate")
{
    for (auto tool : all_tools()) {
        CHECK(parse_tool(to_string(tool)) == tool);
    }
    CHECK(to_string(Tool::golang_migrate) == "golang-migrate");
    CHECK(parse_tool("golang_migrate") == Tool::golang_migrate);
    CHECK_FALSE(parse_tool("liquibase"));
    try {
        tool_from_option("flyaway", "--from");
        FAIL("no error");
    } catch (const migsafe::Error& error) {
        CHECK(error.code() == "adopt-tool-unknown");
        CHECK(error.message() == "--from 'flyaway' is not a runner migsafe knows");
        CHECK(error.hint() == "did you mean `flyway`? use one of prisma, flyway, golang-migrate, "
                              "dbmate, rails, diesel");
    }
}

TEST_CASE("adopt::tool_of_columns: columns, not names, decide")
{
    CHECK(tool_of_columns({"version bigint", "dirty boolean"}, false) == Tool::golang_migrate);
    CHECK(tool_of_columns({"version character varying"}, false) == Tool::dbmate);
    CHECK(tool_of_columns({"version character varying(255)"}, false) == Tool::dbmate);
    CHECK(tool_of_columns({"version character varying"}, true) == Tool::rails);
    CHECK(tool_of_columns({"version character varying(50)", "run_on timestamp without time zone"},
                          false) == Tool::diesel);
    CHECK_FALSE(tool_of_columns({"version bigint"}, false));
    CHECK_FALSE(tool_of_columns({"version text", "applied_at timestamp"}, false));
}

TEST_CASE("adopt::flyway_checksum: known values (computed with Python's zlib)")
{
    CHECK(flyway_checksum("CREATE TABLE t (id int);\n") == 92137680);
    CHECK(flyway_checksum("\xEF\xBB\xBF"
                          "CREATE TABLE t (id int);\r\n") == 92137680);
    CHECK(flyway_checksum("") == 0);
}

TEST_CASE("adopt::tool_lock_keys: Prisma's fixed key; none for dbmate and diesel")
{
    CHECK(tool_lock_keys(Tool::prisma, "db", "s", "t") == std::vector<std::int64_t>{72707369});
    CHECK(tool_lock_keys(Tool::dbmate, "db", "s", "t").empty());
    CHECK(tool_lock_keys(Tool::golang_migrate, "db", "s", "t").size() == 2);
    CHECK(java_string_hash("") == 0);
}
