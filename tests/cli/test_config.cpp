// migsafe.toml through the binary: precedence (option > environment variable > config >
// default) on real subcommands, the plan's allowances changing the verdict, errors with
// file:line:col, passwords refused, --env picking a connection, discovery from a
// subdirectory. docs/config.md.
#include "cli_runner.hpp"
#include "support/migration_dir.hpp"
#include "support/test_db.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

using migsafe::test::MigrationDir;
using migsafe::test::run_cli;
using migsafe::test::TestDatabase;
namespace fs = std::filesystem;

namespace {

/// A project folder (a repository root: it holds `.git`) with a migration directory
/// `migrations/` whose plan has one warning (MS-OPS-01) and, with `with_index`, one
/// error (MS-IDX-01 in `0003_small_index.sql`).
struct Project {
    MigrationDir root;
    explicit Project(bool with_index = false)
    {
        fs::create_directories(root.path() / ".git");
        fs::create_directories(root.path() / "migrations");
        write("migrations/0001_t.sql", "CREATE TABLE t (id bigint PRIMARY KEY);\n");
        write("migrations/0002_c.sql", "ALTER TABLE t ADD COLUMN c text;\n");
        if (with_index) {
            write("migrations/0003_small_index.sql",
                  "SET lock_timeout = '2s';\nCREATE INDEX t_c ON t (c);\n");
        }
    }
    void write(const std::string& relative, const std::string& text) const
    {
        std::ofstream(root.path() / relative, std::ios::trunc) << text;
    }
    void config(const std::string& toml) const { write("migsafe.toml", toml); }
    std::string toml() const { return (root.path() / "migsafe.toml").string(); }
    std::string migrations() const { return (root.path() / "migrations").string(); }
};

/// Runs the test's commands from `dir`, back to the old directory at the end of scope.
class ScopedCwd {
public:
    explicit ScopedCwd(const fs::path& dir)
        : m_old(fs::current_path())
    {
        fs::current_path(dir);
    }
    ~ScopedCwd() { fs::current_path(m_old); }
    ScopedCwd(const ScopedCwd&) = delete;
    ScopedCwd& operator=(const ScopedCwd&) = delete;

private:
    fs::path m_old;
};

nlohmann::json setting(const nlohmann::json& doc, const std::string& key)
{
    for (const auto& s : doc["report"]["settings"]) {
        if (s["key"] == key) {
            return s;
        }
    }
    FAIL("no setting " << key);
    return {};
}

} // namespace

TEST_CASE("config: plan --fail-on comes from the option, else MIGSAFE_PLAN_FAIL_ON, else the "
          "file, else the default")
{
    Project project;
    // Default: fail on error; the warning passes.
    CHECK(run_cli({"plan", project.migrations()}).exit_code == 0);
    project.config("[plan]\nfail_on = \"warning\"\n");
    // Config: fail on warning.
    auto config = run_cli({"--config", project.toml(), "plan", project.migrations()});
    CHECK(config.exit_code == 1);
    CHECK(config.out.find("fail on warning") != std::string::npos);
    // Environment variable over the config.
    CHECK(run_cli({"--config", project.toml(), "plan", project.migrations()},
                  {{"MIGSAFE_PLAN_FAIL_ON", "error"}})
              .exit_code == 0);
    // Option over both.
    CHECK(
        run_cli({"--config", project.toml(), "plan", "--fail-on", "warning", project.migrations()},
                {{"MIGSAFE_PLAN_FAIL_ON", "error"}})
            .exit_code == 1);
    CHECK(run_cli({"--config", project.toml(), "plan", "--fail-on", "error", project.migrations()})
              .exit_code == 0);
    // A bad variable is exit 2 naming it.
    auto bad = run_cli({"--config", project.toml(), "plan", project.migrations()},
                       {{"MIGSAFE_PLAN_FAIL_ON", "sometimes"}});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("MIGSAFE_PLAN_FAIL_ON: plan.fail_on = 'sometimes' is not one of error, "
                       "warning [config-invalid]") != std::string::npos);
}

TEST_CASE("config: migsafe config shows each value and where it came from")
{
    Project project;
    project.config("[apply]\nlock_timeout = \"2s\"\nretries = 5\n\n[snapshot]\nstore = \"/b\"\n");
    auto result =
        run_cli({"--config", project.toml(), "config", "--json"}, {{"MIGSAFE_APPLY_RETRIES", "7"}});
    REQUIRE(result.exit_code == 0);
    const auto doc = nlohmann::json::parse(result.out);
    CHECK(doc["command"] == "config");
    CHECK(doc["report"]["config"]["value"] == project.toml());
    CHECK(doc["report"]["config"]["source"] == "option");
    CHECK(setting(doc, "apply.lock_timeout") == nlohmann::json{{"key", "apply.lock_timeout"},
                                                               {"value", "2s"},
                                                               {"source", "file"},
                                                               {"origin", project.toml() + ":2"}});
    CHECK(setting(doc, "apply.retries")["source"] == "env");
    CHECK(setting(doc, "apply.retries")["origin"] == "MIGSAFE_APPLY_RETRIES");
    CHECK(setting(doc, "apply.retries")["value"] == "7");
    CHECK(setting(doc, "apply.wait")["source"] == "default");
    CHECK(setting(doc, "apply.wait")["value"] == "5m");
    CHECK(setting(doc, "check.store")["value"] == "/b"); // falls back to [snapshot] store

    auto text = run_cli({"--config", project.toml(), "config"});
    CHECK(text.exit_code == 0);
    CHECK(text.out.find("apply.lock_timeout          2s                           " +
                        project.toml() + ":2") != std::string::npos);
}

TEST_CASE("config: [[plan.allow]] by path glob, disabled rules and severities change the verdict")
{
    Project project(true);
    CHECK(run_cli({"plan", project.migrations()}).exit_code == 1); // MS-IDX-01
    project.config(R"([[plan.allow]]
rule = "MS-IDX-01"
path = "*_small_*.sql"
reason = "t has 40 rows"
)");
    auto allowed = run_cli({"--config", project.toml(), "plan", project.migrations(), "--json"});
    CHECK(allowed.exit_code == 0);
    const auto doc = nlohmann::json::parse(allowed.out);
    bool found = false;
    for (const auto& s : doc["report"]["statements"]) {
        for (const auto& f : s["findings"]) {
            if (f["rule"] == "MS-IDX-01") {
                found = true;
                CHECK(f["allowed"] == true);
                CHECK(f["allowed_reason"] == "t has 40 rows");
            }
        }
    }
    CHECK(found);

    project.config(R"([[plan.allow]]
rule = "MS-IDX-01"
path = "*_big_*.sql"
reason = "not this file"
)");
    CHECK(run_cli({"--config", project.toml(), "plan", project.migrations()}).exit_code == 1);
    project.config("[plan]\ndisabled_rules = [\"MS-IDX-01\"]\n");
    CHECK(run_cli({"--config", project.toml(), "plan", project.migrations()}).exit_code == 0);
    project.config("[plan]\nseverity = { \"MS-IDX-01\" = \"warning\" }\n");
    CHECK(run_cli({"--config", project.toml(), "plan", project.migrations()}).exit_code == 0);
}

TEST_CASE("config: an unknown key or a bad value is exit 2 with file:line:col and did you mean")
{
    Project project;
    project.config("[plan]\nfail_on = \"warning\"\n\n[apply]\nlock_timout = \"5s\"\n");
    auto result = run_cli({"--config", project.toml(), "plan", project.migrations()});
    CHECK(result.exit_code == 2);
    CHECK(result.err.find(project.toml() +
                          ":5:1: unknown key `apply.lock_timout` [config-unknown-key]") !=
          std::string::npos);
    CHECK(result.err.find("did you mean `lock_timeout`?") != std::string::npos);

    project.config("[apply]\nretries = \"many\"\n");
    auto json = run_cli({"--config", project.toml(), "config", "--json"});
    CHECK(json.exit_code == 2);
    const auto doc = nlohmann::json::parse(json.out);
    CHECK(doc["error"]["code"] == "config-invalid");
    CHECK(doc["error"]["file"] == project.toml());
    CHECK(doc["error"]["line"] == 2);
    CHECK(doc["error"]["column"] == 11);

    auto missing = run_cli({"--config", "/nonexistent/migsafe.toml", "config"});
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.find("--config names the config file /nonexistent/migsafe.toml") !=
          std::string::npos);
}

TEST_CASE("config: a password in the file is exit 2 naming file:line, and never printed")
{
    Project project;
    project.config("[environments.prod]\ndatabase_url_env = \"PROD_URL\"\n\n[snapshot]\nstore "
                   "= \"postgres://app:hunter2@db/app\"\n");
    auto result = run_cli({"--config", project.toml(), "plan", project.migrations()});
    CHECK(result.exit_code == 2);
    CHECK(result.err.find(project.toml() + ":5:9: `store` holds a connection string with a "
                                           "password") != std::string::npos);
    CHECK(result.err.find("[config-secret]") != std::string::npos);
    CHECK(result.err.find("environment variable") != std::string::npos);
    CHECK(result.err.find("hunter2") == std::string::npos);
    CHECK(result.out.find("hunter2") == std::string::npos);
}

TEST_CASE("config: --env reads the connection from the environment's variable")
{
    TestDatabase db;
    Project project;
    project.config(R"([environments.staging]
database_url_env = "STAGING_DATABASE_URL"

[environments.prod]
database_url_env = "PROD_DATABASE_URL"
)");
    // DATABASE_URL points nowhere: the environment's variable is what is used.
    const std::map<std::string, std::string> env{
        {"STAGING_DATABASE_URL", db.conninfo()},
        {"DATABASE_URL", "host=/nonexistent port=1 dbname=nowhere"}};
    auto status = run_cli({"--config", project.toml(), "--env", "staging", "status", "--dir",
                           project.migrations(), "--json"},
                          env);
    CHECK(status.exit_code == 0);
    CHECK(status.err == "");
    // MIGSAFE_ENV does the same.
    auto by_variable =
        run_cli({"--config", project.toml(), "status", "--dir", project.migrations()},
                {{"STAGING_DATABASE_URL", db.conninfo()},
                 {"MIGSAFE_ENV", "staging"},
                 {"DATABASE_URL", "host=/nonexistent port=1 dbname=nowhere"}});
    CHECK(by_variable.exit_code == 0);
    // --db still wins over the environment.
    auto option =
        run_cli({"--config", project.toml(), "--env", "staging", "status", "--db",
                 "host=/nonexistent port=1 dbname=nowhere", "--dir", project.migrations()},
                env);
    CHECK(option.exit_code == 3);

    auto unset = run_cli(
        {"--config", project.toml(), "--env", "prod", "status", "--dir", project.migrations()},
        env);
    CHECK(unset.exit_code == 2);
    CHECK(unset.err.find(project.toml() + ":5:20: the environment 'prod' reads its connection "
                                          "from PROD_DATABASE_URL, which is not set "
                                          "[config-environment]") != std::string::npos);
    auto unknown = run_cli({"--config", project.toml(), "--env", "stagin", "status"}, env);
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.err.find("did you mean `staging`?") != std::string::npos);

    // The connection shows with its password masked.
    auto shown = run_cli({"--config", project.toml(), "--env", "prod", "config"},
                         {{"PROD_DATABASE_URL", "postgres://app:hunter2@db/app"}});
    CHECK(shown.exit_code == 0);
    CHECK(shown.out.find("postgres://app:***@db/app") != std::string::npos);
    CHECK(shown.out.find("hunter2") == std::string::npos);
}

TEST_CASE("config: found from a subdirectory; its paths are relative to the file")
{
    Project project;
    project.config("[migrations]\ndir = \"migrations\"\n\n[plan]\nfail_on = \"warning\"\n");
    fs::create_directories(project.root.path() / "src/deep");
    ScopedCwd cwd(project.root.path() / "src/deep");
    // `plan` without a path plans the config's directory, found two levels up.
    auto plan = run_cli({"plan"}, {{"MIGSAFE_CONFIG", ""}});
    CHECK(plan.exit_code == 1); // fail_on = "warning" from the file
    CHECK(plan.out.find("0002_c.sql") != std::string::npos);
    auto shown = run_cli({"config", "--json"}, {{"MIGSAFE_CONFIG", ""}});
    REQUIRE(shown.exit_code == 0);
    const auto doc = nlohmann::json::parse(shown.out);
    CHECK(doc["report"]["config"]["value"] == "../../migsafe.toml");
    CHECK(setting(doc, "migrations.dir")["value"] == "../../migrations");
    CHECK(setting(doc, "migrations.dir")["origin"] == "../../migsafe.toml:2");
}

TEST_CASE("config: a required --store can come from the file; without it, exit 2 naming both")
{
    Project project;
    MigrationDir store;
    auto none = run_cli({"--config", project.toml() + ".none", "snapshot", "list"});
    CHECK(none.exit_code == 2);
    auto missing = run_cli({"snapshot", "list"}, {{"MIGSAFE_CONFIG", ""}});
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.find("--store is required [usage-invalid-option]") != std::string::npos);
    CHECK(missing.err.find("set snapshot.store in migsafe.toml") != std::string::npos);
    project.config("[snapshot]\nstore = \"" + store.str() + "\"\n");
    auto listed = run_cli({"--config", project.toml(), "snapshot", "list", "--json"});
    CHECK(listed.exit_code == 0);
}

TEST_CASE("config: apply sets the lock_timeout and statement_timeout of option > env > file")
{
    TestDatabase db;
    Project project;
    project.config("[apply]\nlock_timeout = \"1234ms\"\nstatement_timeout = \"4321ms\"\n");
    REQUIRE(run_cli({"sum", project.migrations()}).exit_code == 0);
    // -vv logs the SQL sent: the SET of each migration's transaction.
    auto applied = run_cli({"--config", project.toml(), "-vv", "apply", "--db", db.conninfo(),
                            "--dir", project.migrations(), "--no-snapshot", "--to", "1"},
                           {{"MIGSAFE_APPLY_STATEMENT_TIMEOUT", "5555ms"}});
    CAPTURE(applied.err);
    CHECK(applied.exit_code == 0);
    CHECK(applied.err.find("lock_timeout = 1234") != std::string::npos);
    CHECK(applied.err.find("statement_timeout = 5555") != std::string::npos);
    CHECK(applied.err.find("4321") == std::string::npos);
    auto option =
        run_cli({"--config", project.toml(), "-vv", "apply", "--db", db.conninfo(), "--dir",
                 project.migrations(), "--no-snapshot", "--lock-timeout", "777ms"});
    CHECK(option.exit_code == 0);
    CHECK(option.err.find("lock_timeout = 777") != std::string::npos);
    CHECK(option.err.find("statement_timeout = 4321") != std::string::npos);
}

TEST_CASE("config: migrations.layout reaches --layout, migrations.runner reaches adopt --from")
{
    Project project;
    project.config("[migrations]\nlayout = \"flyway\"\n");
    auto layout = run_cli({"--config", project.toml(), "sum", project.migrations()});
    CHECK(layout.exit_code == 2);
    CHECK(layout.err.find("[migration-layout-invalid]") != std::string::npos);
    // The option wins over the file.
    CHECK(run_cli({"--config", project.toml(), "sum", "--layout", "migsafe", project.migrations()})
              .exit_code == 0);

    const std::string nowhere = "host=/nonexistent port=1 dbname=nowhere";
    auto no_runner = run_cli({"adopt", "--db", nowhere, "--dir", project.migrations(), "--dry-run"},
                             {{"MIGSAFE_CONFIG", ""}, {"MIGSAFE_MIGRATIONS_RUNNER", ""}});
    CHECK(no_runner.exit_code == 2);
    CHECK(no_runner.err.find("--from is required [usage-invalid-option]") != std::string::npos);
    CHECK(no_runner.err.find("set migrations.runner in migsafe.toml") != std::string::npos);
    project.config("[migrations]\nrunner = \"prisma\"\n");
    // With the runner from the file, adopt goes on to connect (exit 3: nowhere).
    CHECK(run_cli({"--config", project.toml(), "adopt", "--db", nowhere, "--dir",
                   project.migrations(), "--dry-run"})
              .exit_code == 3);
    CHECK(run_cli({"adopt", "--db", nowhere, "--dir", project.migrations(), "--dry-run"},
                  {{"MIGSAFE_MIGRATIONS_RUNNER", "flyway"}})
              .exit_code == 3);
}
