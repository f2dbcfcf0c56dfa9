// platform::quote_ident, qualified_name, split_qualified_name and utf8_prefix. The
// comparison with the server's own quote_ident is in tests/db/compensate.
#include <migsafe/platform/identifier.hpp>

#include <doctest/doctest.h>

#include <string>
#include <utility>

namespace platform = migsafe::platform;

TEST_CASE("platform::quote_ident quotes what PostgreSQL would, and nothing else")
{
    CHECK(platform::quote_ident("orders") == "orders");
    CHECK(platform::quote_ident("_x1") == "_x1");
    CHECK(platform::quote_ident("Orders") == "\"Orders\"");
    CHECK(platform::quote_ident("x.y") == "\"x.y\"");
    CHECK(platform::quote_ident("user") == "\"user\"");
    CHECK(platform::quote_ident("a$b") == "\"a$b\"");
    CHECK(platform::quote_ident("caf\xc3\xa9") == "\"caf\xc3\xa9\"");
    CHECK(platform::quote_ident("say \"hi\"") == "\"say \"\"hi\"\"\"");
}

TEST_CASE("platform::qualified_name keeps x.\"y.z\" and \"x.y\".z apart")
{
    CHECK(platform::qualified_name("public", "orders") == "public.orders");
    CHECK(platform::qualified_name("x", "y.z") == "x.\"y.z\"");
    CHECK(platform::qualified_name("x.y", "z") == "\"x.y\".z");
    CHECK(platform::qualified_name("x", "y.z") != platform::qualified_name("x.y", "z"));
}

TEST_CASE("platform::split_qualified_name reverses qualified_name, and reads unquoted names")
{
    using Pair = std::pair<std::string, std::string>;
    for (const auto& [schema, name] :
         {Pair{"public", "orders"}, Pair{"x", "y.z"}, Pair{"x.y", "z"}, Pair{"My \"S\"", "a.b.c"},
          Pair{"", ""}, Pair{"caf\xc3\xa9", "user"}}) {
        CAPTURE(schema);
        CAPTURE(name);
        CHECK(platform::split_qualified_name(platform::qualified_name(schema, name)) ==
              Pair{schema, name});
    }
    // As migsafe stored names before it quoted them: the first dot splits.
    CHECK(platform::split_qualified_name("public.Orders") == Pair{"public", "Orders"});
    CHECK(platform::split_qualified_name("orders") == Pair{"public", "orders"});
    CHECK_FALSE(platform::split_qualified_name("\"unterminated").has_value());
    CHECK_FALSE(platform::split_qualified_name("\"a\"b.c").has_value());
    CHECK_FALSE(platform::split_qualified_name("a.b.c").has_value());
}

TEST_CASE("platform::utf8_prefix never cuts inside a character")
{
    const std::string e = "\xc3\xa9"; // é, two bytes
    CHECK(platform::utf8_prefix("abcdef", 3) == "abc");
    CHECK(platform::utf8_prefix("ab", 3) == "ab");
    CHECK(platform::utf8_prefix(e + e + e, 3) == e);
    CHECK(platform::utf8_prefix(e + e + e, 4) == e + e);
    CHECK(platform::utf8_prefix("a\xe2\x82\xac", 3) == "a"); // € is three bytes
    CHECK(platform::utf8_prefix("a\xe2\x82\xac", 4) == "a\xe2\x82\xac");
}
