#include <migsafe/model/parser.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <ctime>
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

namespace {

/// The code and located message `parse_sql(sql)` throws, or "".
std::string parse_error(const std::string& sql)
{
    try {
        parse_sql(sql, "m/0001_x.sql");
    } catch (const migsafe::Error& e) {
        return std::string(e.code()) + ": " + e.located_message();
    }
    return "";
}

} // namespace

TEST_CASE("migsafe::model::parse_sql refuses text that is not UTF-8, naming line, column and "
          "byte")
{
    CHECK(parse_error("SELECT 1;\nSELECT 'ab\xff';") ==
          "input-invalid-utf8: m/0001_x.sql:2:11: not valid UTF-8: byte 0xff at offset 20");
    CHECK(parse_error("SELECT '\xc0\xaf';").starts_with("input-invalid-utf8: m/0001_x.sql:1:9:"));
    CHECK(parse_error("SELECT '\xed\xa0\x80';").starts_with("input-invalid-utf8: "));
    CHECK(parse_error("SELECT '\xf4\x90\x80\x80';").starts_with("input-invalid-utf8: "));
    CHECK(parse_error("SELECT '\xe2\x82';").starts_with("input-invalid-utf8: "));
    CHECK(parse_error("SELECT '\xe2\x82\xac \xf0\x9f\x98\x80 \xc3\xa9';").empty());
}

TEST_CASE("migsafe::model::parse_sql refuses a statement nested past the limit, not the stack")
{
    std::string sql = "SELECT 1;\n\n   SELECT 1";
    for (int i = 0; i < 300000; ++i) { // 600 KB: far deeper than any thread's default stack
        sql += "+1";
    }
    CHECK(parse_error(sql) == "sql-limit-exceeded: m/0001_x.sql:3:4: the statement nests deeper "
                              "than the limit of 3000 levels of its parse tree");
    std::string fine = "SELECT 1";
    for (int i = 0; i < 500; ++i) {
        fine += "+1";
    }
    CHECK(parse_sql(fine, "x.sql").size() == 1);
}

TEST_CASE("migsafe::model::parse_sql refuses a statement over 1 MiB, naming it")
{
    std::string sql = "CREATE TABLE a (id int);\nINSERT INTO a VALUES (1)";
    while (sql.size() < (std::size_t{1} << 20) + 100) {
        sql += ",(1)";
    }
    CHECK(parse_error(sql + ";") == "sql-limit-exceeded: m/0001_x.sql:2:1: the statement is " +
                                        std::to_string(sql.size() - 24) +
                                        " bytes long, over the limit of 1048576 bytes");
}

TEST_CASE("migsafe::model::parse_sql splits BEGIN ATOMIC bodies and odd separators as "
          "PostgreSQL does")
{
    const auto statements =
        parse_sql("CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC SELECT 1; SELECT 2; "
                  "END;\n;;\nCREATE TABLE t (id int); -- done\n",
                  "x.sql");
    REQUIRE(statements.size() == 2);
    CHECK(statements[0].sql.ends_with("SELECT 2; END"));
    CHECK(statements[1].line == 4);
    CHECK(statements[1].kind == StatementKind::create_table);
    // The scanner's split skips what it cannot start a statement with: the syntax error of
    // the first statement is still reported where it is.
    CHECK(parse_error("SELEC 1;\nSELECT 2;") ==
          "sql-syntax: m/0001_x.sql:1:1: syntax error at or near \"SELEC\"");
    CHECK(parse_error("SELECT 1;\nSELECT (2;") ==
          "sql-syntax: m/0001_x.sql:2:10: syntax error at or near \";\"");
}

TEST_CASE("migsafe::model::parse_sql is linear in the number of statements")
{
    // Twice the statements cost about twice the CPU time (a quadratic line count cost four
    // times, and minutes at 200,000). CPU time, not wall time: a loaded machine does not
    // change it much.
    auto cpu_seconds_for = [](int count) {
        std::string sql;
        for (int i = 0; i < count; ++i) {
            sql += "SELECT 1;\n";
        }
        const auto started = std::clock();
        const auto statements = parse_sql(sql, "x.sql");
        const double seconds = static_cast<double>(std::clock() - started) / CLOCKS_PER_SEC;
        REQUIRE(statements.size() == static_cast<std::size_t>(count));
        CHECK(statements.back().line == count);
        return seconds;
    };
    const double once = cpu_seconds_for(25000);
    const double twice = cpu_seconds_for(50000);
    MESSAGE("25,000 statements: " << once << " s of CPU; 50,000: " << twice << " s");
    CHECK(twice < 3 * once + 0.2);
}
