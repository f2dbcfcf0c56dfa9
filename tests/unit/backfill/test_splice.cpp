#include "backfill/splice.hpp"

#include <doctest/doctest.h>

#include <string>

using migsafe::backfill::detail::find_clauses;
using migsafe::backfill::detail::splice_predicate;

namespace {
constexpr const char* k_predicate = "k > $1";
}

TEST_CASE("backfill::detail::splice_predicate adds a WHERE when there is none")
{
    CHECK(splice_predicate("UPDATE t SET a = 1", k_predicate) ==
          "UPDATE t SET a = 1\nWHERE (k > $1)");
}

TEST_CASE("backfill::detail::splice_predicate ANDs with the WHERE, in parentheses")
{
    CHECK(splice_predicate("UPDATE t SET a = 1 WHERE a IS NULL OR b", k_predicate) ==
          "UPDATE t SET a = 1 WHERE ( a IS NULL OR b\n) AND (k > $1)");
    CHECK(splice_predicate("update t set a = 1 where b", k_predicate) ==
          "update t set a = 1 where ( b\n) AND (k > $1)");
}

TEST_CASE("backfill::detail::splice_predicate goes before RETURNING")
{
    CHECK(splice_predicate("UPDATE t SET a = 1 WHERE b RETURNING id, a", k_predicate) ==
          "UPDATE t SET a = 1 WHERE ( b \n) AND (k > $1)\nRETURNING id, a");
    CHECK(splice_predicate("UPDATE t SET a = 1 Returning *", k_predicate) ==
          "UPDATE t SET a = 1 \nWHERE (k > $1)\nReturning *");
}

TEST_CASE("backfill::detail::splice_predicate with FROM, alias and subqueries")
{
    CHECK(splice_predicate("UPDATE t AS x SET a = u.a FROM u WHERE u.id = x.id", "x.k > $1") ==
          "UPDATE t AS x SET a = u.a FROM u WHERE ( u.id = x.id\n) AND (x.k > $1)");
    const std::string subquery = "UPDATE t SET a = (SELECT max(b) FROM u WHERE u.id = t.id) "
                                 "FROM (SELECT * FROM v WHERE v.c) AS s";
    CHECK(splice_predicate(subquery, k_predicate) == subquery + "\nWHERE (k > $1)");
    CHECK(splice_predicate("WITH w AS (SELECT 1 WHERE true RETURNING 1) UPDATE t SET a = 1",
                           k_predicate) ==
          "WITH w AS (SELECT 1 WHERE true RETURNING 1) UPDATE t SET a = 1\nWHERE (k > $1)");
    CHECK(splice_predicate("UPDATE t SET a = b[1] WHERE c = ARRAY[(1)]", k_predicate) ==
          "UPDATE t SET a = b[1] WHERE ( c = ARRAY[(1)]\n) AND (k > $1)");
}

TEST_CASE("backfill::detail::find_clauses skips WHERE inside strings, identifiers and comments")
{
    const std::string sql = "UPDATE t SET a = 'x WHERE y', \"where\" = E'it\\'s WHERE', "
                            "c = $$ WHERE $$, d = $f$ RETURNING $f$ "
                            "-- WHERE in a comment\n"
                            "/* WHERE /* nested */ RETURNING */ , e = 'it''s where'";
    const auto positions = find_clauses(sql);
    CHECK_FALSE(positions.where.has_value());
    CHECK_FALSE(positions.returning.has_value());
    CHECK(positions.end == sql.size());
    CHECK(splice_predicate(sql, k_predicate) == sql + "\nWHERE (k > $1)");
}

TEST_CASE("backfill::detail::find_clauses does not take words containing keywords")
{
    const auto positions = find_clauses("UPDATE nowhere SET where_x = returning_y, a$where = 1");
    CHECK_FALSE(positions.where.has_value());
    CHECK_FALSE(positions.returning.has_value());
    const auto with_params = find_clauses("UPDATE t SET a = $1 WHERE b = $2");
    REQUIRE(with_params.where.has_value());
    CHECK(*with_params.where == 20);
}

TEST_CASE("backfill::detail::splice_predicate keeps a trailing line comment from eating it")
{
    CHECK(splice_predicate("UPDATE t SET a = 1 WHERE b -- only b\n", k_predicate) ==
          "UPDATE t SET a = 1 WHERE ( b -- only b\n\n) AND (k > $1)");
    CHECK(splice_predicate("UPDATE t SET a = 1 -- all", k_predicate) ==
          "UPDATE t SET a = 1 -- all\nWHERE (k > $1)");
}

TEST_CASE("backfill::detail::find_clauses stops at a top-level semicolon")
{
    const std::string sql = "UPDATE t SET a = ';' WHERE b; UPDATE u SET c = 1 WHERE d";
    const auto positions = find_clauses(sql);
    CHECK(positions.end == sql.find("; UPDATE u"));
    CHECK(splice_predicate(sql, k_predicate) == "UPDATE t SET a = ';' WHERE ( b\n) AND (k > $1)");
}

TEST_CASE("backfill::detail::find_clauses with an unterminated string or comment")
{
    CHECK_FALSE(find_clauses("UPDATE t SET a = 'WHERE").where.has_value());
    CHECK_FALSE(find_clauses("UPDATE t SET a = 1 /* WHERE").where.has_value());
    CHECK_FALSE(find_clauses("UPDATE t SET a = $x$ WHERE").where.has_value());
}
