// The facts the planner reads from model/ instead of the SQL text (issue 16): maintenance,
// LOCK, COMMENT, ALTER DOMAIN / TYPE, objects on a table, and the reads of a data change.
#include "model/scan.hpp"

#include <migsafe/model/parser.hpp>

#include <doctest/doctest.h>

#include <string>

using migsafe::model::parse_sql;
using migsafe::model::RelationName;
using migsafe::model::Statement;

namespace {

Statement one(const std::string& sql)
{
    auto statements = parse_sql(sql, "x.sql");
    REQUIRE(statements.size() == 1);
    return statements.front();
}

} // namespace

TEST_CASE("model: REINDEX, CLUSTER, VACUUM and REFRESH are typed as Maintenance")
{
    using migsafe::model::Maintenance;
    const auto reindex = one("REINDEX (VERBOSE) INDEX CONCURRENTLY app.\"I\"").as<Maintenance>();
    CHECK(reindex.verb == Maintenance::Verb::reindex);
    CHECK(reindex.object == Maintenance::Object::index);
    CHECK(reindex.concurrently);
    CHECK(reindex.relations == std::vector<RelationName>{{"app", "I"}});
    CHECK(one("REINDEX SCHEMA app").as<Maintenance>().relations.empty());
    const auto vacuum = one("VACUUM (FULL, ANALYZE) t, u").as<Maintenance>();
    CHECK(vacuum.verb == Maintenance::Verb::vacuum);
    CHECK(vacuum.full);
    CHECK(vacuum.options == std::vector<std::string>{"full", "analyze"});
    CHECK(vacuum.relations.size() == 2);
    CHECK(one("ANALYZE t").as<Maintenance>().verb == Maintenance::Verb::analyze);
    CHECK(one("CLUSTER t USING i").as<Maintenance>().relations.front().name == "t");
    const auto refresh = one("REFRESH MATERIALIZED VIEW CONCURRENTLY v").as<Maintenance>();
    CHECK(refresh.verb == Maintenance::Verb::refresh);
    CHECK(refresh.concurrently);
}

TEST_CASE("model: LOCK, COMMENT and ALTER DOMAIN / TYPE")
{
    using migsafe::model::AlterType;
    const auto lock =
        one("LOCK TABLE ONLY app.t IN SHARE ROW EXCLUSIVE MODE").as<migsafe::model::LockTable>();
    CHECK(lock.mode == 6);
    CHECK(lock.tables.front() == RelationName{"app", "t"});
    CHECK(one("LOCK t").as<migsafe::model::LockTable>().mode == 8);
    const auto column = one("COMMENT ON COLUMN app.t.c IS 'x'").as<migsafe::model::CommentOn>();
    CHECK(column.table == RelationName{"app", "t"});
    CHECK_FALSE(one("COMMENT ON INDEX i IS 'x'").as<migsafe::model::CommentOn>().table);
    const auto check =
        one("ALTER DOMAIN d ADD CONSTRAINT c CHECK (VALUE > 0) NOT VALID").as<AlterType>();
    CHECK(check.domain);
    CHECK(check.action == AlterType::Action::add_check);
    CHECK(check.not_valid);
    const auto value = one("ALTER TYPE e ADD VALUE 'it''s' AFTER 'a'").as<AlterType>();
    CHECK(value.action == AlterType::Action::add_value);
    CHECK(value.value == "'it''s'");
    CHECK(value.placed);
    CHECK(one("ALTER TYPE e OWNER TO x").as<AlterType>().action == AlterType::Action::other);
}

TEST_CASE("model: a data change's reads and the WHERE columns of its own rows")
{
    const auto update = one("UPDATE t AS x SET a = (SELECT b FROM u WHERE u.id = x.id) "
                            "FROM v WHERE x.k = 1 AND v.j = x.j AND id IN (SELECT id FROM w)")
                            .as<migsafe::model::DataChange>();
    CHECK(update.reads ==
          std::vector<RelationName>{{"public", "u"}, {"public", "v"}, {"public", "w"}});
    CHECK(update.target_where_columns == std::vector<std::string>{"k", "j", "id"});
    // DELETE's own table is read first; a CTE's name is no relation; a function in FROM
    // and a string are nothing.
    const auto deleted = one("WITH c AS (SELECT 1) DELETE FROM t USING c, app.u "
                             "WHERE t.a = 'FROM x'")
                             .as<migsafe::model::DataChange>();
    CHECK(deleted.reads == std::vector<RelationName>{{"public", "t"}, {"app", "u"}});
    const auto query =
        one("SELECT * FROM generate_series(1, 2) g, t FOR UPDATE").as<migsafe::model::Query>();
    CHECK(query.locking);
    CHECK(query.reads == std::vector<RelationName>{{"public", "t"}});
}

TEST_CASE("model::detail::scan reads tokens as PostgreSQL does, up to an unterminated quote")
{
    using migsafe::model::detail::scan;
    const std::string sql = "SELECT \"where\", 'where', $$ where $$ -- where\n WHERE";
    const auto tokens = scan(sql);
    CHECK(tokens.complete);
    REQUIRE(tokens.tokens.size() == 7);
    CHECK(tokens.tokens.back().is_keyword(sql, "where"));
    CHECK_FALSE(tokens.tokens[1].is_keyword(sql, "where"));
    const auto open = scan("SELECT a WHERE b = 'x");
    CHECK_FALSE(open.complete);
    CHECK(open.tokens.size() == 5);
    CHECK(migsafe::model::detail::insert_after_keyword("create index \"index\" on t (a)", "INDEX",
                                                       " CONCURRENTLY") ==
          "create index CONCURRENTLY \"index\" on t (a)");
    CHECK(migsafe::model::detail::names_as_written("SELECT \"A\"\"b\" FROM Tab") ==
          std::vector<std::string>{"A\"b", "tab"});
}
