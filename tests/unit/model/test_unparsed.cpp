// Statements PostgreSQL 15's grammar rejects: kept as `unparsed` when they may be newer
// syntax, still `sql-syntax` when no PostgreSQL grammar could accept them.
#include <migsafe/model/parser.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

using migsafe::model::parse_sql;
using migsafe::model::RelationName;
using migsafe::model::StatementKind;
using migsafe::model::Unparsed;
using migsafe::model::Word;

namespace {

std::string syntax_error(const std::string& sql)
{
    try {
        (void)parse_sql(sql, "m/0002_x.sql");
        return "no error";
    } catch (const migsafe::Error& e) {
        return e.code() + ": " + e.located_message();
    }
}

} // namespace

TEST_CASE("parse_sql keeps PostgreSQL 18 syntax as an unparsed statement between parsed ones")
{
    const auto statements = parse_sql("SET lock_timeout = '2s';\n"
                                      "-- PostgreSQL 18: a named NOT NULL constraint\n"
                                      "ALTER TABLE app.users ADD CONSTRAINT users_email_nn NOT "
                                      "NULL email;\n"
                                      "CREATE INDEX users_email_idx ON app.users (email);\n",
                                      "m/0002_x.sql");
    REQUIRE(statements.size() == 3);
    CHECK(statements[0].kind == StatementKind::set);
    CHECK(statements[2].kind == StatementKind::create_index);
    const auto& kept = statements[1];
    CHECK(kept.kind == StatementKind::unparsed);
    CHECK(to_string(kept.kind) == "unparsed");
    CHECK(kept.line == 3);
    CHECK(kept.column == 1);
    CHECK(kept.sql == "ALTER TABLE app.users ADD CONSTRAINT users_email_nn NOT NULL email");
    const auto& unparsed = kept.as<Unparsed>();
    CHECK(unparsed.parser_message == "syntax error at or near \"NOT\"");
    CHECK(unparsed.error_line == 3);
    CHECK(unparsed.error_column == 53);
    REQUIRE(unparsed.words.size() == 11);
    CHECK(unparsed.words[0] == Word{.kind = Word::Kind::keyword, .text = "alter"});
    CHECK(unparsed.words[1] == Word{.kind = Word::Kind::reserved_keyword, .text = "table"});
    CHECK(unparsed.words[2] == Word{.kind = Word::Kind::identifier, .text = "app"});
    CHECK(unparsed.words[3] == Word{.kind = Word::Kind::other, .text = "."});
    CHECK(unparsed.relations == std::vector<RelationName>{{"app", "users"}});
    CHECK(unparsed.accepted_by_server == 0);
}

TEST_CASE("parse_sql finds the relations an unparsed statement names, not its columns")
{
    const auto statements =
        parse_sql("MERGE INTO \"Orders\" o USING staging.orders s ON o.id = s.id\n"
                  "WHEN MATCHED THEN UPDATE SET total = s.total RETURNING merge_action(), o.*;",
                  "m/0003_merge.sql");
    REQUIRE(statements.size() == 1);
    REQUIRE(statements[0].kind == StatementKind::unparsed); // RETURNING is PostgreSQL 17's
    const auto& unparsed = statements[0].as<Unparsed>();
    CHECK(unparsed.relations ==
          std::vector<RelationName>{{"public", "Orders"}, {"staging", "orders"}});
    // Every name, for matching against a live catalog: `o.id` is a candidate too.
    CHECK(std::find(unparsed.names.begin(), unparsed.names.end(), RelationName{"o", "id"}) !=
          unparsed.names.end());
}

TEST_CASE("parse_sql still refuses what no PostgreSQL grammar accepts, at file:line:column")
{
    // A misspelt verb, a name where ALTER/CREATE/DROP need a keyword, unbalanced
    // parentheses, an unterminated string.
    CHECK(syntax_error("SELECT 1;\nSELEC 2;") ==
          "sql-syntax: m/0002_x.sql:2:1: syntax error at or near \"SELEC\"");
    CHECK(syntax_error("CREATE TABLE a (id int);\nALTER TABLEE a ADD COLUMN c int;") ==
          "sql-syntax: m/0002_x.sql:2:7: syntax error at or near \"TABLEE\"");
    CHECK(syntax_error("ALTER TABLE a ADD CONSTRAINT c CHECK ((x > 0);") ==
          "sql-syntax: m/0002_x.sql:1:46: syntax error at or near \";\"");
    CHECK(syntax_error("SELECT 'oops") ==
          "sql-syntax: m/0002_x.sql:1:8: unterminated quoted string at or near \"'oops\"");
    // A statement that may be newer syntax is kept.
    CHECK(syntax_error("ALTER TABLE a FROBNICATE c;") == "no error");
}
