#include "support/golden.hpp"

#include <migsafe/plan/rule.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <set>
#include <string>

namespace plan = migsafe::plan;

TEST_CASE("plan::rule_catalog lists every rule of the reference once, sorted")
{
    auto rules = plan::rule_catalog();
    CHECK(rules.size() == 66); // 55 patterns + 10 design lints + MS-OPS-11 (not analysed)
    std::set<std::string_view> slugs;
    for (std::size_t i = 0; i < rules.size(); ++i) {
        CAPTURE(rules[i].id);
        if (i > 0) {
            CHECK(rules[i - 1].id < rules[i].id);
        }
        CHECK(rules[i].id.starts_with("MS-"));
        CHECK(slugs.insert(rules[i].slug).second);
        CHECK(rules[i].slug.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ _") ==
              std::string_view::npos);
        CHECK_FALSE(rules[i].summary.empty());
        CHECK_FALSE(rules[i].why.empty());
        CHECK_FALSE(rules[i].alternative.empty());
        CHECK((rules[i].activation == plan::Activation::opt_in) ==
              rules[i].id.starts_with("MS-DES"));
    }
}

TEST_CASE("plan::find_rule finds by id or slug")
{
    CHECK(plan::find_rule("MS-IDX-01")->slug == "create-index-blocking");
    CHECK(plan::find_rule("create-index-blocking")->id == "MS-IDX-01");
    CHECK_FALSE(plan::find_rule("MS-IDX-99").has_value());
    CHECK(plan::rule("MS-OPS-10").detection == plan::Detection::needs_database);
    CHECK_THROWS_AS(plan::rule("MS-NOPE"), migsafe::Error);
}

TEST_CASE("docs/rules is generated from the rule catalog")
{
    const std::filesystem::path dir = std::filesystem::path(MIGSAFE_SOURCE_DIR) / "docs/rules";
    for (const auto& rule : plan::rule_catalog()) {
        CAPTURE(rule.id);
        const std::string expected = plan::render_rule_markdown(rule);
        CHECK_MESSAGE(migsafe::test::golden(dir / (std::string(rule.id) + ".md"), expected) ==
                          expected,
                      "docs/rules is stale: run MIGSAFE_UPDATE_GOLDEN=1 ctest -L unit");
    }
    const std::string index = plan::render_rule_index_markdown();
    CHECK(migsafe::test::golden(dir / "README.md", index) == index);
}
