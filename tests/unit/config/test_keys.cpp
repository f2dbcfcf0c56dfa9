// The key catalog: each key's values checked, and docs/config.md listing every key with
// its variable.
#include <migsafe/config/keys.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace config = migsafe::config;

TEST_CASE("config: every key is in docs/config.md with its variable, named by one rule")
{
    std::ifstream in(std::string(MIGSAFE_SOURCE_DIR) + "/docs/config.md");
    std::ostringstream text;
    text << in.rdbuf();
    const auto doc = text.str();
    std::set<std::string_view> envs;
    for (const auto& spec : config::config_keys()) {
        CAPTURE(spec.key);
        CHECK(doc.find("| `" + std::string(spec.key) + "` |") != std::string::npos);
        CHECK(doc.find("`" + std::string(spec.env) + "`") != std::string::npos);
        // MIGSAFE_<SECTION>_<KEY>
        std::string expected = "MIGSAFE_";
        for (char c : spec.key) {
            expected += c == '.' ? '_' : static_cast<char>(std::toupper(c));
        }
        CHECK(spec.env == expected);
        CHECK(envs.insert(spec.env).second);
        CHECK(config::find_key(spec.key) == &spec);
        if (!spec.default_text.empty()) { // the defaults are valid values
            CHECK(config::check_value(spec, spec.default_text, "") == spec.default_text);
        }
    }
    CHECK(config::find_key("apply.nothing") == nullptr);
}

TEST_CASE("config: check_value normalises numbers and refuses bad values naming where")
{
    const auto& retries = *config::find_key("apply.retries");
    CHECK(config::check_value(retries, "007", "") == "7");
    try {
        config::check_value(retries, "101", "MIGSAFE_APPLY_RETRIES");
        FAIL("no error");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "config-invalid");
        CHECK(e.message() == "MIGSAFE_APPLY_RETRIES: apply.retries = 101 is out of range [0, 100]");
    }
    const auto& timeout = *config::find_key("apply.statement_timeout");
    CHECK(config::check_value(timeout, "0", "") == "0"); // 0: no statement_timeout
    CHECK_THROWS_AS(config::check_value(*config::find_key("apply.wait"), "0s", ""), migsafe::Error);
    CHECK_THROWS_AS(config::check_value(*config::find_key("snapshot.store"), "", ""),
                    migsafe::Error);
}
