// model::load_catalog_facts on a real database.
#include "support/test_db.hpp"

#include <migsafe/model/catalog_facts.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace model = migsafe::model;

TEST_CASE("model::load_catalog_facts reads tables, columns, checks, indexes and keys")
{
    migsafe::test::TestDatabase db;
    auto session = db.connect();
    session.exec("CREATE TABLE parents (id bigint PRIMARY KEY, name varchar(20));"
                 "CREATE TABLE children (id int, parent_id bigint REFERENCES parents (id),"
                 " city text, \"Odd\" text,"
                 " CONSTRAINT children_city_nn CHECK (city IS NOT NULL),"
                 " CONSTRAINT children_odd_nn CHECK (\"Odd\" IS NOT NULL));"
                 "ALTER TABLE children ADD CONSTRAINT children_id_nn CHECK (id IS NOT NULL)"
                 " NOT VALID;"
                 "CREATE UNIQUE INDEX children_id_key ON children (id) WHERE id > 0;"
                 "INSERT INTO parents SELECT i, 'p' FROM generate_series(1, 50) i;"
                 "ANALYZE parents;"
                 "CREATE FUNCTION pick() RETURNS int STABLE LANGUAGE sql AS 'SELECT 1'");
    const auto facts = model::load_catalog_facts(db.conninfo());
    CHECK(facts.server_version >= 150000);

    const auto* parents = facts.table("public.parents");
    REQUIRE(parents != nullptr);
    CHECK(parents->rows == 50);
    CHECK(parents->pages >= 1);
    CHECK(parents->bytes > 0);
    REQUIRE(parents->column("name") != nullptr);
    CHECK(parents->column("name")->type == "character varying(20)");
    CHECK(parents->column("id")->not_null);
    REQUIRE(parents->indexes.size() == 1);
    CHECK(parents->indexes[0].name == "public.parents_pkey");
    CHECK(parents->indexes[0].primary);

    const auto* children = facts.table("public.children");
    REQUIRE(children != nullptr);
    CHECK(children->column("city")->validated_not_null_check);
    CHECK(children->column("Odd")->validated_not_null_check);      // a quoted name
    CHECK_FALSE(children->column("id")->validated_not_null_check); // NOT VALID
    CHECK_FALSE(children->column("city")->not_null);
    REQUIRE(children->indexes.size() == 1);
    CHECK(children->indexes[0].columns == std::vector<std::string>{"id"});
    CHECK(children->indexes[0].unique);
    CHECK(children->indexes[0].partial);
    CHECK(children->indexes[0].valid);

    const auto keys = facts.foreign_keys_of("public.parents");
    REQUIRE(keys.size() == 1);
    CHECK(keys[0].table == "public.children");
    CHECK(keys[0].columns == std::vector<std::string>{"parent_id"});
    CHECK(keys[0].referenced_columns == std::vector<std::string>{"id"});
    CHECK(keys[0].validated);

    CHECK(facts.volatility("now") == model::Volatility::stable);
    CHECK(facts.volatility("gen_random_uuid") == model::Volatility::volatile_);
    CHECK(facts.volatility("public.pick") == model::Volatility::stable);
    CHECK(facts.volatility("public.missing") == std::nullopt);
    CHECK(facts.table("public.missing") == nullptr);
}

TEST_CASE("model::load_catalog_facts throws db-connect-failed for an unreachable server")
{
    try {
        model::load_catalog_facts("host=/nonexistent-migsafe-socket-dir dbname=x");
        FAIL("no error");
    } catch (const migsafe::Error& error) {
        CHECK(error.code() == "db-connect-failed");
    }
}
