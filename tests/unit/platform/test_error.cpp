#include <migsafe/platform/assert.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

TEST_CASE("migsafe::Error takes category, hint and state from the table")
{
    migsafe::Error e("sql-syntax", "syntax error at or near \"TABLEE\"",
                     {.file = "m/0001_a.sql", .line = 3, .column = 8});
    CHECK(e.code() == "sql-syntax");
    CHECK(e.category() == migsafe::Category::input);
    CHECK(e.hint() == "fix the statement at the given file:line:column");
    CHECK(e.state() == migsafe::State::unchanged);
    CHECK_FALSE(e.retryable());
    CHECK(e.located_message() == "m/0001_a.sql:3:8: syntax error at or near \"TABLEE\"");
    CHECK(std::string(e.what()) ==
          "m/0001_a.sql:3:8: syntax error at or near \"TABLEE\" [sql-syntax]");
}

TEST_CASE("migsafe::Error with an unknown code is an internal error")
{
    migsafe::Error e("no-such-code", "boom");
    CHECK(e.code() == "internal-unknown-error-code");
    CHECK(migsafe::exit_code_for(e.category()) == 70);
    CHECK(e.message() == "unknown error code 'no-such-code': boom");
}

TEST_CASE("migsafe::exit_code_for maps every category to the exit codes of ARCHITECTURE.md")
{
    CHECK(migsafe::exit_code_for(migsafe::Category::usage) == 2);
    CHECK(migsafe::exit_code_for(migsafe::Category::input) == 2);
    CHECK(migsafe::exit_code_for(migsafe::Category::environment) == 3);
    CHECK(migsafe::exit_code_for(migsafe::Category::failed) == 4);
    CHECK(migsafe::exit_code_for(migsafe::Category::partial) == 5);
    CHECK(migsafe::exit_code_for(migsafe::Category::internal) == 70);
}

TEST_CASE("migsafe::error_table is sorted, unique and complete")
{
    auto table = migsafe::error_table();
    REQUIRE(table.size() > 10);
    for (std::size_t i = 1; i < table.size(); ++i) {
        CHECK(table[i - 1].code < table[i].code);
    }
    for (const auto& row : table) {
        CAPTURE(row.code);
        CHECK_FALSE(row.summary.empty());
        CHECK_FALSE(row.hint.empty());
        CHECK(row.code.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ_ ") == std::string_view::npos);
        CHECK(migsafe::find_error_code(row.code).has_value());
    }
}

TEST_CASE("MIGSAFE_ASSERT throws internal-assertion naming the condition")
{
    try {
        MIGSAFE_ASSERT(1 + 1 == 3);
        FAIL("no throw");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "internal-assertion");
        CHECK(e.message().starts_with("assertion `1 + 1 == 3` failed at "));
        CHECK(migsafe::exit_code_for(e.category()) == 70);
    }
}

TEST_CASE("docs/errors.md is generated from the error table")
{
    const std::string path = std::string(MIGSAFE_SOURCE_DIR) + "/docs/errors.md";
    const std::string expected = migsafe::render_error_table_markdown();
    const char* update = std::getenv("MIGSAFE_UPDATE_GOLDEN");
    if (update != nullptr && std::string(update) == "1") {
        std::ofstream(path) << expected;
    }
    std::ifstream in(path);
    std::stringstream actual;
    actual << in.rdbuf();
    CHECK_MESSAGE(actual.str() == expected,
                  "docs/errors.md is stale: run MIGSAFE_UPDATE_GOLDEN=1 ctest -R unit");
}
