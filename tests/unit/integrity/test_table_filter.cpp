#include <migsafe/integrity/verify.hpp>

#include <doctest/doctest.h>

using migsafe::integrity::table_matches;

TEST_CASE("integrity::table_matches without a dot matches the table name in any schema")
{
    CHECK(table_matches("orders", "public", "orders"));
    CHECK(table_matches("orders", "sales", "orders"));
    CHECK_FALSE(table_matches("orders", "public", "orders_old"));
    CHECK(table_matches("order?", "public", "orders"));
    CHECK(table_matches("*_old", "public", "orders_old"));
}

TEST_CASE("integrity::table_matches with a dot matches schema.table")
{
    CHECK(table_matches("public.*", "public", "orders"));
    CHECK_FALSE(table_matches("public.*", "sales", "orders"));
    CHECK(table_matches("*.orders", "sales", "orders"));
    CHECK(table_matches("My Schema.a\"b", "My Schema", "a\"b"));
    CHECK(table_matches("*", "x", "y"));
    CHECK(table_matches("a*b*c", "s", "axxbyyc"));
    CHECK_FALSE(table_matches("a*b*c", "s", "axxbyy"));
}
