#include "support/test_db.hpp"

#include <migsafe/platform/error.hpp>
#include <migsafe/platform/session.hpp>

#include <doctest/doctest.h>

namespace platform = migsafe::platform;
using migsafe::test::TestDatabase;

TEST_CASE("platform::Session runs statements, parameters and NULLs")
{
    TestDatabase db;
    auto session = db.connect();
    CHECK(session.server_version() >= 130000);
    CHECK(session.backend_pid() > 0);
    CHECK(session.query_value("SELECT current_setting('application_name')") == "migsafe");
    session.exec("CREATE TABLE t (id int PRIMARY KEY, name text); CREATE INDEX ON t (name)");
    CHECK(session.exec_params("INSERT INTO t VALUES ($1, $2), ($3, $4)",
                              {"1", "O'Brien; DROP TABLE t", "2", std::nullopt}) == 2);
    auto result = session.query("SELECT id, name FROM t WHERE id >= $1 ORDER BY id", {"1"});
    CHECK(result.columns == std::vector<std::string>{"id", "name"});
    REQUIRE(result.rows.size() == 2);
    CHECK(result.rows[0][1] == "O'Brien; DROP TABLE t");
    CHECK_FALSE(result.rows[1][1].has_value());
    CHECK(session.query_value("SELECT name FROM t WHERE id = 99") == std::nullopt);
    CHECK(session.query_value("SELECT " + platform::quote_literal("a'b\\c")) == "a'b\\c");
    session.exec("CREATE TABLE " + platform::quote_ident("Mixed \"Case\"") + " (x int)");
    CHECK(session.query_value("SELECT count(*) FROM pg_class WHERE relname = $1",
                              {"Mixed \"Case\""}) == "1");
}

TEST_CASE("platform::Session bad SQL is db-query-failed with the server's message and hint")
{
    TestDatabase db;
    auto session = db.connect();
    try {
        session.exec("SELECT * FROM no_such_table");
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "db-query-failed");
        CHECK(e.message() == "relation \"no_such_table\" does not exist");
        CHECK(e.context().sqlstate == "42P01");
        CHECK(e.hint() == "read the server's message; nothing was committed");
        CHECK(migsafe::exit_code_for(e.category()) == 4);
    }
    try {
        session.exec("CREATE TABLE p (id int PRIMARY KEY); INSERT INTO p VALUES (1), (1)");
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "db-query-failed");
        CHECK(e.message() == "duplicate key value violates unique constraint \"p_pkey\" "
                             "(detail: Key (id)=(1) already exists.)");
        CHECK(e.context().sqlstate == "23505");
    }
    CHECK_THROWS_WITH_AS(session.exec("SELEC 1"),
                         "syntax error at or near \"SELEC\" [db-query-failed]", migsafe::Error);
}

TEST_CASE("platform::Session lock_timeout while another session holds the lock")
{
    TestDatabase db;
    auto holder = db.connect();
    auto waiter = db.connect();
    holder.exec("CREATE TABLE locked (id int)");
    holder.exec("BEGIN; LOCK TABLE locked IN ACCESS EXCLUSIVE MODE");
    waiter.exec("SET lock_timeout = '100ms'");
    try {
        waiter.exec("SELECT * FROM locked");
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "db-lock-timeout");
        CHECK(e.message() == "canceling statement due to lock timeout");
        CHECK(e.context().sqlstate == "55P03");
        CHECK(e.retryable());
        CHECK(migsafe::exit_code_for(e.category()) == 3);
    }
    holder.exec("ROLLBACK");
    waiter.exec("SELECT * FROM locked");
}

TEST_CASE("platform::Session statement_timeout is db-statement-timeout")
{
    TestDatabase db;
    auto session = db.connect();
    session.exec("SET statement_timeout = '50ms'");
    try {
        session.exec("SELECT pg_sleep(5)");
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "db-statement-timeout");
        CHECK(e.message() == "canceling statement due to statement timeout");
        CHECK(e.context().sqlstate == "57014");
    }
}

TEST_CASE("platform::Session terminated by the server is db-connection-lost")
{
    TestDatabase db;
    auto victim = db.connect();
    auto admin = db.connect();
    admin.exec_params("SELECT pg_terminate_backend($1)", {std::to_string(victim.backend_pid())});
    try {
        victim.exec("SELECT 1");
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "db-connection-lost");
        CHECK(e.state() == migsafe::State::uncertain);
        CHECK(e.message().starts_with("lost the connection to "));
    }
}

TEST_CASE("platform::Session::connect to a bad port is db-connect-failed, password masked")
{
    try {
        platform::Session::connect("host=/nonexistent-socket-dir port=1 user=u password=hunter2 "
                                   "dbname=x");
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "db-connect-failed");
        CHECK(e.message().starts_with("could not connect to host=/nonexistent-socket-dir port=1 "
                                      "user=u password=*** dbname=x: "));
        CHECK(std::string(e.what()).find("hunter2") == std::string::npos);
        CHECK(migsafe::exit_code_for(e.category()) == 3);
    }
    try {
        platform::Session::connect("postgresql://u:hunter2@127.0.0.1:1/x?connect_timeout=2");
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "db-connect-failed");
        CHECK(std::string(e.what()).find("hunter2") == std::string::npos);
        CHECK(e.message().find("postgresql://u:***@127.0.0.1:1/x") != std::string::npos);
    }
    try {
        platform::Session::connect("host=x password='hunter2");
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "db-conninfo-invalid");
        CHECK(std::string(e.what()).find("hunter2") == std::string::npos);
        CHECK(migsafe::exit_code_for(e.category()) == 2);
    }
}

TEST_CASE("platform::Session refuses COPY to or from the client and stays usable")
{
    TestDatabase db;
    auto session = db.connect();
    session.exec("CREATE TABLE c (x int)");
    for (const char* sql : {"COPY c FROM STDIN", "COPY (SELECT 1) TO STDOUT"}) {
        CAPTURE(sql);
        CHECK_THROWS_WITH_AS(session.exec(sql),
                             "COPY FROM STDIN and COPY TO STDOUT cannot run through Session::exec "
                             "or query [db-query-failed]",
                             migsafe::Error);
        CHECK(session.query_value("SELECT count(*) FROM c") == "0");
    }
}
