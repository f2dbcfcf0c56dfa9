// model::confirm_unparsed: the live server's parser judges what PostgreSQL 15's rejected,
// without running the statement or locking what it names.
#include "support/test_db.hpp"

#include <migsafe/model/parser.hpp>
#include <migsafe/model/syntax_check.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace model = migsafe::model;

namespace {

/// An unparsed statement with `sql` as its text, as the parser makes them.
model::Statement unparsed(const std::string& sql)
{
    model::Statement statement{
        .kind = model::StatementKind::unparsed,
        .sql = sql,
        .file = "m/0004_x.sql",
        .line = 3,
        .column = 1,
        .details =
            model::Unparsed{.parser_message = "syntax error", .error_line = 3, .error_column = 14}};
    return statement;
}

} // namespace

TEST_CASE("model::confirm_unparsed: the server parses without running, analysing or locking")
{
    migsafe::test::TestDatabase db;
    auto session = db.connect();
    session.exec("CREATE TABLE busy (id int)");
    // Another session holds ACCESS EXCLUSIVE on busy: asking must not wait for it.
    auto holder = db.connect();
    holder.exec("BEGIN; LOCK TABLE busy IN ACCESS EXCLUSIVE MODE");
    session.exec("SET lock_timeout = '500ms'");

    // Statements PostgreSQL 15 accepts stand in for newer syntax a newer server accepts:
    // what matters is that nothing runs. A table that does not exist is fine (no analysis).
    auto alter = unparsed("ALTER TABLE busy ADD COLUMN c int");
    auto update = unparsed("UPDATE no_such_table SET x = 1 WHERE y = $$;$$");
    model::confirm_unparsed(alter, session);
    model::confirm_unparsed(update, session);
    CHECK(alter.as<model::Unparsed>().accepted_by_server == session.server_version());
    CHECK(update.as<model::Unparsed>().accepted_by_server >= 150000);
    holder.exec("ROLLBACK");
    CHECK(session.query_value("SELECT count(*) FROM pg_attribute WHERE attrelid = "
                              "'busy'::regclass AND attname = 'c'") == "0");
    // The check's temporary function was rolled back with its transaction.
    CHECK(
        session.query_value("SELECT to_regprocedure('pg_temp.migsafe_syntax_check(anyelement)')") ==
        std::nullopt);
}

TEST_CASE("model::confirm_unparsed: a statement the server rejects too is sql-syntax, exit 2")
{
    migsafe::test::TestDatabase db;
    auto session = db.connect();
    auto statements = model::parse_sql("CREATE TABLE t (id int);\n"
                                       "ALTER TABLE t ADD CONSTRAINT t_id_nn NOT NULL id;\n",
                                       "m/0004_x.sql");
    REQUIRE(statements[1].kind == model::StatementKind::unparsed);
    try {
        model::confirm_unparsed(statements[1], session);
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "sql-syntax");
        CHECK(migsafe::exit_code_for(e.category()) == 2);
        CHECK(e.located_message() ==
              "m/0004_x.sql:2:38: syntax error at or near \"NOT\"; the server, PostgreSQL 15, "
              "rejects it too: syntax error at or near \"NOT\"");
    }
    // Nothing is asked (no connection made) when there is no unparsed statement.
    std::vector<model::Statement> parsed{statements[0]};
    std::vector<std::vector<model::Statement>*> files{&parsed};
    CHECK(model::confirm_unparsed(files, "host=/nonexistent-socket-dir port=1") == 0);
}
