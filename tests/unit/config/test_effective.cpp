// Precedence (option > environment variable > file > default) and where each value came
// from; environments and their connection variable.
#include <migsafe/config/effective.hpp>
#include <migsafe/config/keys.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>

#include <map>
#include <string>

namespace config = migsafe::config;

namespace {

config::EnvLookup env_of(std::map<std::string, std::string> vars)
{
    return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
        auto found = vars.find(std::string(name));
        if (found == vars.end()) {
            return std::nullopt;
        }
        return found->second;
    };
}

const config::ConfigChoice k_found{.path = "migsafe.toml", .source = config::FileSource::found};

config::ConfigFile sample()
{
    return config::parse_config(R"([migrations]
dir = "db/migrations"

[apply]
lock_timeout = "2s"
retries = 5

[snapshot]
store = "/backups"

[environments.prod]
database_url_env = "PROD_DATABASE_URL"
store = "/backups/prod"

[environments.staging]
database_url_env = "STAGING_DATABASE_URL"
)",
                                "migsafe.toml");
}

} // namespace

TEST_CASE("config: option > environment variable > file > default, each with its origin")
{
    config::ResolveOptions options{
        .env = env_of({{"MIGSAFE_APPLY_RETRIES", "7"}, {"MIGSAFE_APPLY_WAIT", "1m"}})};
    options.from_command_line = [](std::string_view key) -> std::optional<config::Setting> {
        if (key == "apply.wait") {
            return config::Setting{.key = "apply.wait",
                                   .value = "30s",
                                   .source = config::Source::option,
                                   .origin = "--wait"};
        }
        return std::nullopt;
    };
    const auto effective = config::resolve(sample(), k_found, options);
    CHECK(*effective.find("apply.wait") ==
          config::Setting{"apply.wait", "30s", config::Source::option, "--wait"});
    CHECK(*effective.find("apply.retries") == config::Setting{"apply.retries", "7",
                                                              config::Source::environment_variable,
                                                              "MIGSAFE_APPLY_RETRIES"});
    CHECK(*effective.find("apply.lock_timeout") ==
          config::Setting{"apply.lock_timeout", "2s", config::Source::file, "migsafe.toml:5"});
    CHECK(*effective.find("apply.concurrently_timeout") ==
          config::Setting{"apply.concurrently_timeout", "30m", config::Source::default_value, ""});
    // apply.store falls back to snapshot.store within the file.
    CHECK(*effective.find("apply.store") ==
          config::Setting{"apply.store", "/backups", config::Source::file, "migsafe.toml:9"});
    CHECK(effective.find("no.such.key") == nullptr);
    CHECK(effective.settings.size() == config::config_keys().size());
    CHECK(effective.environment.value.empty());
    CHECK(effective.conninfo.empty());
}

TEST_CASE("config: a bad environment variable is config-invalid naming it")
{
    config::ResolveOptions options{.env = env_of({{"MIGSAFE_APPLY_LOCK_TIMEOUT", "soon"}})};
    try {
        config::resolve(sample(), k_found, options);
        FAIL("no error");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "config-invalid");
        CHECK(e.message() ==
              "MIGSAFE_APPLY_LOCK_TIMEOUT: apply.lock_timeout = 'soon' is not a duration");
    }
}

TEST_CASE("config: a relative path in the file is relative to the file's directory")
{
    const auto file =
        config::parse_config("[migrations]\ndir = \"db/migrations\"\n", "../../migsafe.toml");
    const auto effective =
        config::resolve(file, {.path = "../../migsafe.toml", .source = config::FileSource::found},
                        {.env = env_of({})});
    CHECK(effective.find("migrations.dir")->value == "../../db/migrations");
    CHECK(effective.find("migrations.dir")->origin == "../../migsafe.toml:2");
}

TEST_CASE("config: --env picks an environment; its connection comes from its variable")
{
    const auto effective =
        config::resolve(sample(), k_found,
                        {.env = env_of({{"PROD_DATABASE_URL", "postgres://app:hunter2@db/app"},
                                        {"MIGSAFE_ENV", "staging"}}),
                         .environment_option = "prod"});
    CHECK(effective.environment ==
          config::Setting{"environment", "prod", config::Source::option, "--env"});
    CHECK(effective.conninfo == "postgres://app:hunter2@db/app");
    CHECK(effective.database.value.find("hunter2") == std::string::npos);
    CHECK(effective.database.origin == "PROD_DATABASE_URL");
    // The environment's own store wins over the [snapshot] one.
    CHECK(effective.find("snapshot.store")->value == "/backups/prod");
    CHECK(effective.find("snapshot.store")->origin == "migsafe.toml:13 (environment prod)");
    CHECK(effective.to_text().find("hunter2") == std::string::npos);
    CHECK(effective.to_json().find("hunter2") == std::string::npos);

    // MIGSAFE_ENV when --env is not given.
    const auto staging =
        config::resolve(sample(), k_found,
                        {.env = env_of({{"STAGING_DATABASE_URL", "postgres:///staging"},
                                        {"MIGSAFE_ENV", "staging"}})});
    CHECK(staging.environment == config::Setting{"environment", "staging",
                                                 config::Source::environment_variable,
                                                 "MIGSAFE_ENV"});
    CHECK(staging.conninfo == "postgres:///staging");
    CHECK(staging.find("snapshot.store")->value == "/backups");
}

TEST_CASE("config: an unknown environment or an unset variable is config-environment")
{
    try {
        config::resolve(sample(), k_found, {.env = env_of({}), .environment_option = "prd"});
        FAIL("no error");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "config-environment");
        CHECK(migsafe::exit_code_for(e.category()) == 2);
        CHECK(e.message() ==
              "--env names the environment 'prd', which migsafe.toml does not define");
        CHECK(e.hint() == "did you mean `prod`? the environments are: prod, staging");
    }
    try {
        config::resolve(sample(), k_found, {.env = env_of({}), .environment_option = "prod"});
        FAIL("no error");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "config-environment");
        CHECK(e.located_message() == "migsafe.toml:12:20: the environment 'prod' reads its "
                                     "connection from PROD_DATABASE_URL, which is not set");
    }
    try {
        config::resolve(std::nullopt, {}, {.env = env_of({{"MIGSAFE_ENV", "prod"}})});
        FAIL("no error");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "config-environment");
        CHECK(e.message() == "MIGSAFE_ENV names the environment 'prod', but no migsafe.toml "
                             "was found");
    }
}
