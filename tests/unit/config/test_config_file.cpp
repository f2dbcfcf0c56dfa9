// migsafe.toml read and checked: every key, unknown keys and bad values with file:line:col
// and a "did you mean", and no password anywhere in the file.
#include <migsafe/config/config_file.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>

#include <string>

namespace config = migsafe::config;

namespace {

/// The error `parse_config(text)` throws.
migsafe::Error error_of(const std::string& text)
{
    try {
        config::parse_config(text, "migsafe.toml");
    } catch (const migsafe::Error& e) {
        return e;
    }
    FAIL("no error for:\n" << text);
    return migsafe::Error("internal-assertion", "unreachable");
}

} // namespace

TEST_CASE("config: a full file is read with each value and its line")
{
    const auto file = config::parse_config(R"([migrations]
dir = "prisma/migrations"
layout = "prisma"
runner = "prisma"

[plan]
fail_on = "warning"
pg_version = 14
disabled_rules = ["MS-DES-01", "create-index-blocking"]
severity = { "MS-OPS-01" = "error" }

[[plan.allow]]
rule = "MS-IDX-01"
path = "*_small_*.sql"
reason = "the table has 40 rows"

[apply]
lock_timeout = "2s"
statement_timeout = "0"
concurrently_timeout = "10m"
retries = 5
wait = "1m"
store = "/backups"
max_snapshot_age = "12h"
batch_time = "500ms"

[snapshot]
store = "/backups"

[check]
max_drill_age = "3d"

[environments.prod]
database_url_env = "PROD_DATABASE_URL"
store = "/backups/prod"
)",
                                           "migsafe.toml");
    CHECK(file.values.at("migrations.dir").text == "prisma/migrations");
    CHECK(file.values.at("migrations.dir").where == config::Location{"migsafe.toml", 2, 7});
    CHECK(file.values.at("plan.pg_version").text == "14");
    CHECK(file.values.at("apply.retries").text == "5");
    CHECK(file.values.at("check.max_drill_age").text == "3d");
    REQUIRE(file.disabled_rules.size() == 2);
    CHECK(file.disabled_rules[1].rule == "MS-IDX-01"); // the slug is read as its id
    REQUIRE(file.severity.size() == 1);
    CHECK(file.severity[0].rule == "MS-OPS-01");
    CHECK(file.severity[0].severity == migsafe::plan::Severity::error);
    REQUIRE(file.allowances.size() == 1);
    CHECK(file.allowances[0].path == "*_small_*.sql");
    CHECK(file.allowances[0].reason == "the table has 40 rows");
    CHECK(file.allowances[0].where.line == 12);
    REQUIRE(file.environments.count("prod") == 1);
    CHECK(file.environments.at("prod").database_url_env.text == "PROD_DATABASE_URL");
    CHECK(file.environments.at("prod").values.at("store").text == "/backups/prod");
}

TEST_CASE("config: an empty file is valid and sets nothing")
{
    const auto file = config::parse_config("# nothing yet\n", "migsafe.toml");
    CHECK(file.values.empty());
    CHECK(file.environments.empty());
}

TEST_CASE("config: an unknown key is exit 2 with file:line:col and a did you mean")
{
    auto e = error_of("[apply]\nretries = 3\nlock_timout = \"5s\"\n");
    CHECK(e.code() == "config-unknown-key");
    CHECK(migsafe::exit_code_for(e.category()) == 2);
    CHECK(e.located_message() == "migsafe.toml:3:1: unknown key `apply.lock_timout`");
    CHECK(e.hint() == "did you mean `lock_timeout`? the keys are listed in docs/config.md");

    e = error_of("[aply]\nretries = 3\n");
    CHECK(e.located_message() == "migsafe.toml:1:2: unknown key `aply`");
    CHECK(e.hint().starts_with("did you mean `apply`?"));

    // A key above every table: the table it belongs in is named.
    e = error_of("lock_timeout = \"5s\"\n");
    CHECK(e.code() == "config-unknown-key");
    CHECK(e.hint().starts_with("did you mean `lock_timeout` under [apply]?"));

    e = error_of("[[plan.allow]]\nrule = \"MS-IDX-01\"\nreasn = \"x\"\n");
    CHECK(e.located_message() == "migsafe.toml:3:1: unknown key `plan.allow.reasn`");
    CHECK(e.hint().starts_with("did you mean `reason`?"));

    e = error_of("[environments.prod]\ndatabase_url = \"PROD_URL\"\n");
    CHECK(e.located_message() == "migsafe.toml:2:1: unknown key `environments.prod.database_url`");
    CHECK(e.hint().starts_with("did you mean `database_url_env`?"));
}

TEST_CASE("config: a bad value is config-invalid at the value's line and column")
{
    auto e = error_of("[apply]\nretries = \"3\"\n");
    CHECK(e.code() == "config-invalid");
    CHECK(e.located_message() ==
          "migsafe.toml:2:11: apply.retries must be an integer, not a string");

    e = error_of("[apply]\nlock_timeout = \"5 seconds\"\n");
    CHECK(e.located_message() ==
          "migsafe.toml:2:16: apply.lock_timeout = '5 seconds' is not a duration");

    e = error_of("[apply]\nlock_timeout = \"0\"\n");
    CHECK(e.located_message() ==
          "migsafe.toml:2:16: apply.lock_timeout = '0' would mean no bound at all");

    e = error_of("[plan]\npg_version = 9\n");
    CHECK(e.located_message() == "migsafe.toml:2:14: plan.pg_version = 9 is out of range [10, 18]");

    e = error_of("[plan]\nfail_on = \"warnings\"\n");
    CHECK(e.located_message() ==
          "migsafe.toml:2:11: plan.fail_on = 'warnings' is not one of error, warning");
    CHECK(e.hint().starts_with("did you mean `warning`?"));

    e = error_of("[migrations]\nrunner = \"prsma\"\n");
    CHECK(e.hint().starts_with("did you mean `prisma`?"));

    e = error_of("[plan]\ndisabled_rules = [\"MS-IDX-1\"]\n");
    CHECK(e.located_message() == "migsafe.toml:2:19: plan.disabled_rules: unknown rule 'MS-IDX-1'");
    CHECK(e.hint() == "did you mean `MS-IDX-01`? the rules are listed in docs/rules/");

    e = error_of("[plan]\nseverity = { \"MS-IDX-01\" = \"fatal\" }\n");
    CHECK(e.located_message() ==
          "migsafe.toml:2:28: plan.severity.MS-IDX-01: 'fatal' is not a severity");

    e = error_of("[plan]\nseverity = { \"MS-IDX-99\" = \"warning\" }\n");
    CHECK(e.located_message() == "migsafe.toml:2:14: plan.severity: unknown rule 'MS-IDX-99'");

    e = error_of("[[plan.allow]]\nrule = \"MS-IDX-01\"\npath = \"*.sql\"\n");
    CHECK(e.located_message() ==
          "migsafe.toml:1:1: a [[plan.allow]] needs a rule and a reason (rule MS-IDX-01)");

    e = error_of("[environments.prod]\nstore = \"/b\"\n");
    CHECK(e.located_message() == "migsafe.toml:1:15: environments.prod has no database_url_env");

    e = error_of("apply = 3\n");
    CHECK(e.located_message() ==
          "migsafe.toml:1:9: apply ([apply]) must be a table, not an integer");

    e = error_of("[apply\n");
    CHECK(e.code() == "config-invalid");
    CHECK(e.located_message().starts_with("migsafe.toml:1:"));
    CHECK(e.message().starts_with("not valid TOML: "));
}

TEST_CASE("config: a password in the file is refused wherever it is, and never repeated")
{
    // In a URL.
    auto e =
        error_of("[environments.prod]\ndatabase_url_env = \"postgres://app:hunter2@db/app\"\n");
    CHECK(e.code() == "config-secret");
    CHECK(migsafe::exit_code_for(e.category()) == 2);
    CHECK(e.located_message() == "migsafe.toml:2:20: `database_url_env` holds a connection "
                                 "string with a password: migsafe.toml must not");
    CHECK(e.hint().find("environment variable") != std::string::npos);
    CHECK(e.message().find("hunter2") == std::string::npos);

    // In a conninfo, under any key.
    e = error_of("[snapshot]\nstore = \"host=db user=app password=hunter2\"\n");
    CHECK(e.code() == "config-secret");
    CHECK(e.located_message().starts_with("migsafe.toml:2:9: `store` holds a connection"));

    // In a URL's query.
    e = error_of("[apply]\nstore = \"postgresql://db/app?user=app&password=hunter2\"\n");
    CHECK(e.code() == "config-secret");

    // A password key, even one migsafe does not know, is named as a secret, not a typo.
    e = error_of("[environments.prod]\ndatabase_url_env = \"PROD_URL\"\npassword = \"hunter2\"\n");
    CHECK(e.code() == "config-secret");
    CHECK(e.located_message() == "migsafe.toml:3:1: `password` holds a password: migsafe.toml "
                                 "must not");
    e = error_of("[database]\nPGPASSWORD = \"hunter2\"\n");
    CHECK(e.code() == "config-secret");

    // A URL without a password is only an unknown key or a bad value.
    e = error_of("[environments.prod]\ndatabase_url_env = \"postgres://app@db/app\"\n");
    CHECK(e.code() == "config-invalid");
}
