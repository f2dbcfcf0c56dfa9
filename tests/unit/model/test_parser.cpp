#include <migsafe/model/parser.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>

#include <string>

using migsafe::model::parse_sql;
using migsafe::model::StatementKind;

TEST_CASE("migsafe::model::parse_sql locates statements after comments")
{
    const std::string sql = "-- header comment\n"
                            "CREATE TABLE a (id int);\n"
                            "/* block\n   comment */ ALTER TABLE a ADD COLUMN b int;\n"
                            "\n"
                            "  -- before the third\n"
                            "    DROP TABLE a;";
    const auto statements = parse_sql(sql, "m/0001_x.sql");
    REQUIRE(statements.size() == 3);
    CHECK(statements[0].line == 2);
    CHECK(statements[0].column == 1);
    CHECK(statements[1].line == 4);
    CHECK(statements[1].column == 15);
    CHECK(statements[2].line == 7);
    CHECK(statements[2].column == 5);
    CHECK(statements[2].sql == "DROP TABLE a");
    CHECK(statements[0].sql == "CREATE TABLE a (id int)");
    CHECK(statements[2].file == "m/0001_x.sql");
    CHECK(statements[2].kind == StatementKind::drop_table);
}

TEST_CASE("migsafe::model::parse_sql counts columns in characters, not bytes")
{
    const auto statements = parse_sql("-- é\nSELECT 'é'; SELECT 2", "x.sql");
    REQUIRE(statements.size() == 2);
    CHECK(statements[1].line == 2);
    CHECK(statements[1].column == 13);
}

TEST_CASE("migsafe::model::parse_sql of an empty or comment-only file has no statements")
{
    CHECK(parse_sql("", "x.sql").empty());
    CHECK(parse_sql("-- nothing\n", "x.sql").empty());
}

TEST_CASE("migsafe::model::parse_sql throws sql-syntax with file:line:column")
{
    const std::string sql = "CREATE TABLE a (id int);\n"
                            "ALTER TABLE a\n"
                            "  ADD COLUMN b int;\n"
                            "ALTER TABLEE a ADD COLUMN c int;\n";
    try {
        parse_sql(sql, "m/0002_y.sql");
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "sql-syntax");
        CHECK(e.category() == migsafe::Category::input);
        CHECK(migsafe::exit_code_for(e.category()) == 2);
        CHECK(e.context().line == 4);
        CHECK(e.context().column == 7);
        CHECK(e.located_message() == "m/0002_y.sql:4:7: syntax error at or near \"TABLEE\"");
        CHECK(e.hint() == "fix the statement at the given file:line:column");
    }
}

TEST_CASE("migsafe::model::parse_sql reports an unterminated string")
{
    try {
        parse_sql("SELECT 1;\nSELECT 'oops", "x.sql");
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "sql-syntax");
        CHECK(e.context().line == 2);
        CHECK(e.message() == "unterminated quoted string at or near \"'oops\"");
    }
}

TEST_CASE("migsafe::model::parse_sql keeps DO and function bodies opaque")
{
    const auto statements = parse_sql("DO $$ BEGIN PERFORM no_such_function(); END $$;\n"
                                      "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $f$ "
                                      "BEGIN RETURN 1; END $f$;",
                                      "x.sql");
    REQUIRE(statements.size() == 2);
    CHECK(statements[0].kind == StatementKind::do_block);
    const auto& block = statements[0].as<migsafe::model::OpaqueBody>();
    CHECK(block.body == " BEGIN PERFORM no_such_function(); END ");
    CHECK(block.language.empty());
    CHECK(statements[1].kind == StatementKind::create_function);
    CHECK(statements[1].as<migsafe::model::OpaqueBody>().language == "plpgsql");
    CHECK(statements[1].as<migsafe::model::OpaqueBody>().body == " BEGIN RETURN 1; END ");
}
