// docker/entrypoint.sh, the runtime image's entrypoint (issue 14), run here as a plain
// script against the built binary (MIGSAFE_BIN) and a real database: `migrate` applies the
// staging migrations of docker/staging-migrations, `snapshot` takes a snapshot with the
// default engine, `drill` drills it, and a second `drill` is skipped because a recent one
// passed. A missing variable exits 2 naming it; the password in DATABASE_URL never appears
// in what the script or migsafe prints.
#include "cli_runner.hpp"
#include "support/test_db.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

using migsafe::test::run_cli;
using migsafe::test::TestDatabase;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

const fs::path k_script = fs::path(MIGSAFE_SOURCE_DIR) / "docker" / "entrypoint.sh";

/// A variable to set (a value, possibly empty) or to remove (nullopt).
using Env = std::map<std::string, std::optional<std::string>>;

struct ScriptResult {
    int exit_code = -1;
    std::string out;
    std::string err;
    std::string all() const { return out + err; }
};

std::string slurp(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// A temporary folder removed at the end of the scope.
struct TempDir {
    fs::path path;
    explicit TempDir(const std::string& tag)
        : path(fs::temp_directory_path() /
               ("migsafe-entrypoint-" + tag + "-" + std::to_string(::getpid())))
    {
        fs::remove_all(path);
        fs::create_directories(path);
        fs::permissions(path, fs::perms::owner_all);
    }
    ~TempDir()
    {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

/// The environment of the script: this process's, without every MIGSAFE_* and DATABASE_*
/// variable (so the caller's own settings cannot leak in), with `env` applied. The
/// environment is built before fork and passed to execve: no value is ever in an argv.
std::vector<std::string> script_environment(const Env& env)
{
    std::vector<std::string> result;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        std::string text = *entry;
        std::string name = text.substr(0, text.find('='));
        if (name.rfind("MIGSAFE_", 0) == 0 || name.rfind("DATABASE_", 0) == 0 ||
            env.count(name) != 0) {
            continue;
        }
        result.push_back(text);
    }
    for (const auto& [name, value] : env) {
        if (value) {
            result.push_back(name + "=" + *value);
        }
    }
    result.emplace_back("NO_COLOR=1");
    return result;
}

/// Starts `bash docker/entrypoint.sh ARGS...` with stdout and stderr to files in `dir`.
pid_t start_script(const std::vector<std::string>& args, const Env& env, const fs::path& dir)
{
    auto environment = script_environment(env);
    std::vector<char*> envp;
    for (auto& entry : environment) {
        envp.push_back(entry.data());
    }
    envp.push_back(nullptr);
    std::vector<std::string> argv_text{"bash", k_script.string()};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& arg : argv_text) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    auto out = (dir / "script.out").string();
    auto err = (dir / "script.err").string();

    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (out_fd < 0 || err_fd < 0 || ::dup2(out_fd, 1) < 0 || ::dup2(err_fd, 2) < 0) {
            ::_exit(126);
        }
        ::execve("/bin/bash", argv.data(), envp.data());
        ::_exit(127);
    }
    return pid;
}

int wait_script(pid_t pid)
{
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

ScriptResult run_script(const std::vector<std::string>& args, const Env& env, const fs::path& dir)
{
    ScriptResult result;
    result.exit_code = wait_script(start_script(args, env, dir));
    result.out = slurp(dir / "script.out");
    result.err = slurp(dir / "script.err");
    return result;
}

/// The password of `conninfo` when it has one, else "".
std::string password_of(const std::string& conninfo)
{
    auto at = conninfo.find("password=");
    if (at == std::string::npos) {
        return {};
    }
    auto start = at + std::strlen("password=");
    if (start < conninfo.size() && conninfo[start] == '\'') {
        // conninfo_with_dbname quotes every value: 'pass\'word'.
        std::string value;
        for (auto i = start + 1; i < conninfo.size() && conninfo[i] != '\''; ++i) {
            if (conninfo[i] == '\\' && i + 1 < conninfo.size()) {
                ++i;
            }
            value += conninfo[i];
        }
        return value;
    }
    return conninfo.substr(start, conninfo.find(' ', start) - start);
}

std::size_t line_count(const fs::path& path)
{
    if (!fs::exists(path)) {
        return 0;
    }
    std::ifstream in(path);
    std::size_t lines = 0;
    for (std::string line; std::getline(in, line);) {
        lines += line.empty() ? 0 : 1;
    }
    return lines;
}

} // namespace

TEST_CASE("docker/entrypoint.sh migrate, snapshot, drill and a drill skipped while recent")
{
    TestDatabase db;
    // A password the server never asks for (trust on the test cluster's socket) but libpq
    // carries: it must not appear anywhere. A server of MIGSAFE_TEST_DB keeps its own.
    std::string password = password_of(db.conninfo());
    std::string database_url = db.conninfo();
    if (password.empty()) {
        password = "EntrypointPw-" + std::to_string(::getpid()) + "-do-not-print";
        database_url += " password=" + password;
    }
    TempDir work("run");
    auto store = work.path / "store";
    auto migrations = fs::path(MIGSAFE_SOURCE_DIR) / "docker" / "staging-migrations";
    Env env{{"MIGSAFE_BIN", std::string(MIGSAFE_CLI_PATH)},
            {"DATABASE_URL", database_url},
            {"MIGSAFE_DIR", migrations.string()},
            {"MIGSAFE_STORE", store.string()}};
    std::vector<ScriptResult> runs;

    // migrate with a store but no snapshot in it: check fails (exit 1), nothing applied.
    auto refused = run_script({"migrate"}, env, work.path);
    runs.push_back(refused);
    CAPTURE(refused.all());
    CHECK(refused.exit_code == 1);
    CHECK(refused.out.find("verdict: fail") != std::string::npos);
    CHECK(refused.err.find("migsafe check exited 1: nothing applied") != std::string::npos);
    CHECK(refused.err.find("migsafe apply") == std::string::npos);
    auto session = db.connect();
    CHECK(session.query_value("SELECT to_regclass('visits') IS NULL").value_or("") == "t");

    // migrate taking a snapshot first: check passes, the three migrations are applied.
    env["MIGSAFE_SNAPSHOT_BEFORE_MIGRATE"] = "1";
    auto migrated = run_script({"migrate"}, env, work.path);
    runs.push_back(migrated);
    CAPTURE(migrated.all());
    REQUIRE(migrated.exit_code == 0);
    CHECK(migrated.err.find("migsafe snapshot create --store " + store.string() +
                            " --if-older-than 24h") != std::string::npos);
    CHECK(migrated.out.find("verdict: pass") != std::string::npos);
    CHECK(migrated.err.find("migsafe check --dir " + migrations.string() +
                            " --phase expand --store " + store.string()) != std::string::npos);
    CHECK(migrated.err.find("migsafe apply --dir " + migrations.string() +
                            " --phase expand --store " + store.string()) != std::string::npos);
    CHECK(session.query_value("SELECT to_regclass('visits_at_idx') IS NOT NULL").value_or("") ==
          "t");
    auto again = run_script({"migrate"}, env, work.path);
    runs.push_back(again);
    CHECK(again.exit_code == 0);
    CHECK(again.out.find("nothing to apply") != std::string::npos);
    session.exec("INSERT INTO visits (patient, note) SELECT 'patient ' || g, 'note ' || g "
                 "FROM generate_series(1, 500) g");

    // snapshot with the default engine (pg_dump), the connection from DATABASE_URL_FILE
    // (a Docker or Kubernetes secret file).
    auto url_file = work.path / "database_url";
    {
        std::ofstream(url_file) << database_url << "\n";
        fs::permissions(url_file, fs::perms::owner_read | fs::perms::owner_write);
    }
    Env secret_env = env;
    secret_env.erase("MIGSAFE_SNAPSHOT_BEFORE_MIGRATE");
    secret_env["DATABASE_URL"] = std::nullopt;
    secret_env["DATABASE_URL_FILE"] = url_file.string();
    auto snapshot = run_script({"snapshot", "--json"}, secret_env, work.path);
    runs.push_back(snapshot);
    CAPTURE(snapshot.all());
    REQUIRE(snapshot.exit_code == 0);
    auto id = nlohmann::json::parse(snapshot.out)["report"]["id"].get<std::string>();
    CHECK(fs::exists(store / id));
    CHECK(snapshot.err.find("migsafe snapshot create --store " + store.string()) !=
          std::string::npos);

    // drill, its JSON record also written to MIGSAFE_DRILL_JSON. `--if-older-than` is the
    // default gate (90d); a migsafe without that option drills every time (set and empty).
    auto drill_help = run_cli({"drill", "--help"});
    bool gate = drill_help.out.find("--if-older-than") != std::string::npos;
    if (!gate) {
        MESSAGE("migsafe drill has no --if-older-than yet: the drill runs ungated and the "
                "skipped second drill is not checked");
    }
    Env drill_env{{"MIGSAFE_BIN", std::string(MIGSAFE_CLI_PATH)},
                  {"MIGSAFE_STORE", store.string()},
                  {"MIGSAFE_DRILL_JSON", (work.path / "drill.json").string()}};
    if (!gate) {
        drill_env["MIGSAFE_DRILL_EVERY"] = "";
    }
    auto drilled = run_script({"drill"}, drill_env, work.path);
    runs.push_back(drilled);
    CAPTURE(drilled.all());
    REQUIRE(drilled.exit_code == 0);
    auto record = nlohmann::json::parse(slurp(work.path / "drill.json"))["report"];
    CHECK(record["passed"] == true);
    CHECK(record["snapshot_id"] == id);
    CHECK(drilled.out.find(id) != std::string::npos);
    CHECK(line_count(store / "drills.jsonl") == 1);
    CHECK(drilled.err.find(gate ? "--if-older-than 90d" : "migsafe drill --store") !=
          std::string::npos);

    if (gate) {
        // A passing drill minutes old: the default 90d gate skips the second drill (exit
        // 0, no new record).
        Env skip_env = drill_env;
        skip_env.erase("MIGSAFE_DRILL_JSON");
        auto skipped = run_script({"drill"}, skip_env, work.path);
        runs.push_back(skipped);
        CAPTURE(skipped.all());
        CHECK(skipped.exit_code == 0);
        CHECK(line_count(store / "drills.jsonl") == 1);
        // Set and empty: drill every time.
        skip_env["MIGSAFE_DRILL_EVERY"] = "";
        auto forced = run_script({"drill"}, skip_env, work.path);
        runs.push_back(forced);
        CAPTURE(forced.all());
        CHECK(forced.exit_code == 0);
        CHECK(line_count(store / "drills.jsonl") == 2);
    }

    // Anything else goes to migsafe as it is; a --db value is hidden in the log line.
    auto status = run_script({"status", "--db", database_url, "--dir", migrations.string()},
                             {{"MIGSAFE_BIN", std::string(MIGSAFE_CLI_PATH)}}, work.path);
    runs.push_back(status);
    CAPTURE(status.all());
    CHECK(status.exit_code == 0);
    CHECK(status.err.find("migsafe status --db <hidden> --dir") != std::string::npos);

    for (const auto& run : runs) {
        CHECK_MESSAGE(run.all().find(password) == std::string::npos, run.all());
        CHECK(run.all().find("password=") == std::string::npos);
    }
}

TEST_CASE("docker/entrypoint.sh exits 2 naming a missing or bad variable, before migsafe runs")
{
    TempDir work("usage");
    std::string bin = MIGSAFE_CLI_PATH;
    struct Case {
        std::vector<std::string> args;
        Env env;
        std::string message;
    };
    std::vector<Case> cases{
        {{"migrate"},
         {{"MIGSAFE_BIN", bin}, {"MIGSAFE_DIR", "/migrations"}},
         "DATABASE_URL is not set"},
        {{"migrate"},
         {{"MIGSAFE_BIN", bin}, {"DATABASE_URL", "postgresql:///nothing"}},
         "MIGSAFE_DIR is not set"},
        {{"migrate"},
         {{"MIGSAFE_BIN", bin}, {"DATABASE_URL_FILE", (work.path / "absent").string()}},
         "DATABASE_URL_FILE names " + (work.path / "absent").string() + ", which cannot be read"},
        {{"snapshot"},
         {{"MIGSAFE_BIN", bin}, {"DATABASE_URL", "postgresql:///nothing"}},
         "MIGSAFE_STORE is not set"},
        {{"migrate"},
         {{"MIGSAFE_BIN", bin},
          {"DATABASE_URL", "postgresql:///nothing"},
          {"MIGSAFE_DIR", "/migrations"},
          {"MIGSAFE_SNAPSHOT_BEFORE_MIGRATE", "1"}},
         "MIGSAFE_STORE is not set"},
        {{"snapshot"},
         {{"MIGSAFE_BIN", bin}, {"MIGSAFE_STORE", "/store"}},
         "DATABASE_URL is not set"},
        {{"snapshot"},
         {{"MIGSAFE_BIN", bin},
          {"DATABASE_URL", "postgresql:///nothing"},
          {"MIGSAFE_STORE", "/store"},
          {"MIGSAFE_ENGINE", "pgbackrest"}},
         "MIGSAFE_PGBACKREST_STANZA is not set"},
        {{"snapshot"},
         {{"MIGSAFE_BIN", bin},
          {"DATABASE_URL", "postgresql:///nothing"},
          {"MIGSAFE_STORE", "/store"},
          {"MIGSAFE_ENGINE", "tar"}},
         "MIGSAFE_ENGINE is 'tar': use pg_dump, basebackup or pgbackrest"},
        {{"drill"}, {{"MIGSAFE_BIN", bin}}, "MIGSAFE_STORE is not set"},
        {{"drill"},
         {{"MIGSAFE_BIN", bin},
          {"MIGSAFE_STORE", "/store"},
          {"MIGSAFE_DRILL_JSON", (work.path / "absent" / "drill.json").string()}},
         "MIGSAFE_DRILL_JSON names " + (work.path / "absent" / "drill.json").string() +
             ", which cannot be written"},
        {{"migrate"},
         {{"MIGSAFE_BIN", bin},
          {"DATABASE_URL", "postgresql:///nothing"},
          {"MIGSAFE_DIR", "/migrations"},
          {"MIGSAFE_STORE", "/store"},
          {"MIGSAFE_APPLY_SNAPSHOT", "maybe"}},
         "MIGSAFE_APPLY_SNAPSHOT is 'maybe': use 1 or 0"},
        {{}, {{"MIGSAFE_BIN", bin}}, "usage: entrypoint.sh migrate"},
    };
    for (const auto& c : cases) {
        auto result = run_script(c.args, c.env, work.path);
        CAPTURE(c.message);
        CAPTURE(result.all());
        CHECK(result.exit_code == 2);
        CHECK(result.err.find(c.message) != std::string::npos);
        // Refused before migsafe ran.
        CHECK(result.err.find("migsafe-entrypoint: migsafe ") == std::string::npos);
        CHECK(result.out.empty());
    }

    // No migsafe program: exit 3 (environment), naming MIGSAFE_BIN.
    auto missing =
        run_script({"drill"}, {{"MIGSAFE_BIN", (work.path / "no-migsafe").string()}}, work.path);
    CHECK(missing.exit_code == 3);
    CHECK(missing.err.find("set MIGSAFE_BIN or PATH") != std::string::npos);
}

TEST_CASE("docker/entrypoint.sh passes SIGTERM on to migsafe and exits with its status")
{
    TempDir work("signal");
    // The program is `sleep` (MIGSAFE_BIN): the script runs `sleep 60` as it would run
    // migsafe, in the background with the signal traps of a container's PID 1.
    auto pid = start_script({"60"}, {{"MIGSAFE_BIN", "sleep"}}, work.path);
    auto started = std::chrono::steady_clock::now();
    while (slurp(work.path / "script.err").find("migsafe 60") == std::string::npos &&
           std::chrono::steady_clock::now() - started < 10s) {
        std::this_thread::sleep_for(20ms);
    }
    std::this_thread::sleep_for(100ms);
    REQUIRE(::kill(pid, SIGTERM) == 0);
    int status = wait_script(pid);
    CHECK(status == 128 + SIGTERM);
    CHECK(std::chrono::steady_clock::now() - started < 20s);
}
