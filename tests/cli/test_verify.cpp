#include "cli_runner.hpp"
#include "support/test_db.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>

using migsafe::test::run_cli;
using migsafe::test::TestDatabase;
namespace fs = std::filesystem;

namespace {

void load_clinics(const TestDatabase& db)
{
    auto session = db.connect();
    session.exec("CREATE TABLE clinics (id bigint PRIMARY KEY, name text NOT NULL, "
                 "rating numeric);"
                 "INSERT INTO clinics SELECT g, 'clinic ' || g, g % 5 "
                 "FROM generate_series(1, 2000) g;");
}

fs::path scratch_file(const std::string& tag)
{
    return fs::temp_directory_path() /
           ("migsafe-cli-verify-" + std::to_string(::getpid()) + "-" + tag + ".json");
}

} // namespace

TEST_CASE("migsafe verify --out then --baseline passes, and fails after one value changes")
{
    TestDatabase db;
    load_clinics(db);
    auto saved = scratch_file("baseline");

    auto first = run_cli({"verify", "--db", db.conninfo(), "--out", saved.string()});
    CAPTURE(first.err);
    REQUIRE(first.exit_code == 0);
    CHECK(first.out.find("public.clinics") != std::string::npos);
    CHECK((fs::status(saved).permissions() & fs::perms::group_read) == fs::perms::none);

    auto same = run_cli({"verify", "--db", db.conninfo(), "--baseline", saved.string()});
    CHECK(same.exit_code == 0);
    CHECK(same.out.find("matches the baseline") != std::string::npos);

    db.connect().exec("UPDATE clinics SET rating = 1.00 WHERE id = 1234");
    auto changed =
        run_cli({"verify", "--db", db.conninfo(), "--baseline", saved.string(), "--json"});
    CHECK(changed.exit_code == 1);
    auto doc = nlohmann::json::parse(changed.out);
    CHECK(doc["status"] == "fail");
    REQUIRE(doc["report"]["differences"].size() == 1);
    CHECK(doc["report"]["differences"][0]["object"] == "public.clinics");
    fs::remove(saved);
}

TEST_CASE("migsafe verify --against localises the differing row to a key range")
{
    TestDatabase a;
    TestDatabase b;
    load_clinics(a);
    load_clinics(b);
    b.connect().exec("UPDATE clinics SET name = 'renamed' WHERE id = 777");
    auto result = run_cli(
        {"verify", "--db", a.conninfo(), "--against", b.conninfo(), "--show-rows", "--json"});
    CHECK(result.exit_code == 1);
    auto doc = nlohmann::json::parse(result.out);
    CHECK(result.out.find("777") != std::string::npos);
    CHECK(doc["status"] == "fail");

    // The text lists the range and, with --show-rows, the key it found.
    auto text = run_cli({"verify", "--db", a.conninfo(), "--against", b.conninfo(), "--show-rows"});
    CHECK(text.exit_code == 1);
    CAPTURE(text.out);
    CHECK(text.out.find("  public.clinics: 1 differing key range(s)\n") != std::string::npos);
    CHECK(text.out.find(" rows in the first database, ") != std::string::npos);
    CHECK(text.out.find("    id = 777: changed\n") != std::string::npos);
    auto quiet = run_cli({"verify", "--db", a.conninfo(), "--against", b.conninfo()});
    CHECK(quiet.out.find("id = 777") == std::string::npos);
}

TEST_CASE("migsafe verify with a corrupt baseline exits 2 naming the file")
{
    TestDatabase db;
    auto bad = scratch_file("corrupt");
    std::ofstream(bad) << "{\"schema_version\": 1, \"tables\": 42}";
    auto result = run_cli({"verify", "--db", db.conninfo(), "--baseline", bad.string()});
    CHECK(result.exit_code == 2);
    CHECK(result.err.find("[input-invalid-report]") != std::string::npos);
    fs::remove(bad);
}

TEST_CASE("migsafe verify on an unreachable server exits 3 and never prints the password")
{
    auto result = run_cli(
        {"verify", "--db", "host=/nonexistent port=1 user=u password=hunter2 dbname=x", "--json"});
    CHECK(result.exit_code == 3);
    CHECK(result.out.find("hunter2") == std::string::npos);
    CHECK(result.err.find("hunter2") == std::string::npos);
    CHECK(nlohmann::json::parse(result.out)["error"]["code"] == "db-connect-failed");
}

TEST_CASE("migsafe verify refuses --baseline together with --against")
{
    auto result = run_cli({"verify", "--baseline", "a.json", "--against", "dbname=x"});
    CHECK(result.exit_code == 2);
}

TEST_CASE("migsafe verify --amcheck exits 3 without the extension and 0 with it")
{
    TestDatabase db;
    load_clinics(db);
    auto missing = run_cli({"verify", "--db", db.conninfo(), "--amcheck"});
    CHECK(missing.exit_code == 3);
    CHECK(missing.err.find("[amcheck-unavailable]") != std::string::npos);

    db.connect().exec("CREATE EXTENSION amcheck");
    auto checked = run_cli({"verify", "--db", db.conninfo(), "--amcheck", "--json"});
    CHECK(checked.exit_code == 0);
    auto doc = nlohmann::json::parse(checked.out);
    CHECK(doc["report"]["amcheck"]["corruption_found"] == false);
}

TEST_CASE("migsafe verify --baseline: an invalid report names the file; a FIFO is refused")
{
    auto bad = scratch_file("invalid-baseline");
    std::ofstream(bad) << "{\"schema_version\": 1, \"tables\": 42}";
    // The baseline is read before any connection: no server is needed.
    auto invalid = run_cli({"verify", "--db", "dbname=none", "--baseline", bad.string()});
    CHECK(invalid.exit_code == 2);
    CHECK(invalid.err.find("migsafe: error: " + bad.string() +
                           ": invalid integrity report: missing field server_version "
                           "[input-invalid-report]") != std::string::npos);
    fs::remove(bad);

    auto fifo = scratch_file("fifo-baseline");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const int pid =
        migsafe::test::spawn_cli({"verify", "--db", "dbname=none", "--baseline", fifo.string()});
    int status = -1;
    for (int waited = 0; waited < 200 && ::waitpid(pid, &status, WNOHANG) != pid; ++waited) {
        ::usleep(100 * 1000);
    }
    if (!WIFEXITED(status)) {
        ::kill(pid, SIGKILL);
        migsafe::test::wait_cli(pid);
    }
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 2);
    fs::remove(fifo);

    auto jobs = run_cli({"verify", "--jobs", "0", "--db", "dbname=none"});
    CHECK(jobs.exit_code == 2);
    CHECK(jobs.err.find("--jobs: Value 0 not in range 1 to 64 [usage-invalid-option]") !=
          std::string::npos);
}

TEST_CASE("migsafe verify --out refuses a folder or a FIFO with exit 2 and leaves no PATH.tmp")
{
    TestDatabase db;
    load_clinics(db);
    auto folder = scratch_file("out-folder");
    fs::create_directory(folder);
    auto into_folder = run_cli({"verify", "--db", db.conninfo(), "--out", folder.string()});
    CHECK(into_folder.exit_code == 2);
    CHECK(into_folder.err.find("refusing to write " + folder.string() +
                               ": it is a directory, not a regular file "
                               "[output-not-regular-file]") != std::string::npos);
    CHECK(fs::is_directory(folder));
    CHECK_FALSE(fs::exists(folder.string() + ".tmp"));
    fs::remove(folder);

    auto fifo = scratch_file("out-fifo");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    auto into_fifo = run_cli({"verify", "--db", db.conninfo(), "--out", fifo.string()});
    CHECK(into_fifo.exit_code == 2);
    CHECK(fs::is_fifo(fifo));
    CHECK_FALSE(fs::exists(fifo.string() + ".tmp"));
    fs::remove(fifo);
}

TEST_CASE("migsafe verify --baseline localises a changed row to the baseline's key range")
{
    TestDatabase db;
    load_clinics(db);
    auto saved = scratch_file("ranges");
    // 2000 rows, about 100 per range: the saved report carries ~20 range hashes.
    auto first =
        run_cli({"verify", "--db", db.conninfo(), "--out", saved.string(), "--range-rows", "100"});
    REQUIRE(first.exit_code == 0);
    auto report = nlohmann::json::parse(std::ifstream(saved));
    const auto& ranges = report["tables"][0]["ranges"];
    REQUIRE(ranges["bounds"].size() == 19);
    CHECK(ranges["row_counts"].size() == 20);

    db.connect().exec("UPDATE clinics SET name = 'renamed' WHERE id = 1234");
    auto text =
        run_cli({"verify", "--db", db.conninfo(), "--baseline", saved.string(), "--show-rows"});
    CAPTURE(text.out);
    CAPTURE(text.err);
    CHECK(text.exit_code == 1);
    CHECK(text.out.find("public.clinics: 1 differing key range(s) (from the baseline's range "
                        "hashes)") != std::string::npos);
    CHECK(text.out.find("id >= 1201 and < 1301: 100 rows in the baseline, 100 now") !=
          std::string::npos);
    CHECK(text.out.find("keys now in this range: 1201, 1202,") != std::string::npos);
    CHECK(text.out.find(", 1234, ") != std::string::npos);

    auto json = run_cli({"verify", "--db", db.conninfo(), "--baseline", saved.string(), "--json"});
    CHECK(json.exit_code == 1);
    auto doc = nlohmann::json::parse(json.out);
    REQUIRE(doc["report"]["localisations"].size() == 1);
    const auto& where = doc["report"]["localisations"][0];
    CHECK(where["localised"] == true);
    CHECK(where["against_baseline"] == true);
    CHECK(where["ranges"][0]["lower"] == nlohmann::json::array({"1201"}));
    CHECK(where["ranges"][0]["upper"] == nlohmann::json::array({"1301"}));
    CHECK(where["ranges"][0]["live_keys"].empty()); // only with --show-rows
    fs::remove(saved);
}

TEST_CASE("migsafe verify --baseline with a report without range hashes gives the table verdict")
{
    TestDatabase db;
    load_clinics(db);
    auto saved = scratch_file("old");
    REQUIRE(run_cli({"verify", "--db", db.conninfo(), "--out", saved.string()}).exit_code == 0);
    // A report as migsafe wrote it before range hashes: no `ranges` field.
    auto report = nlohmann::json::parse(std::ifstream(saved));
    for (auto& table : report["tables"]) {
        table.erase("ranges");
    }
    std::ofstream(saved) << report.dump(2);

    auto same = run_cli({"verify", "--db", db.conninfo(), "--baseline", saved.string()});
    CHECK(same.exit_code == 0);
    CHECK(same.out.find("matches the baseline") != std::string::npos);

    db.connect().exec("DELETE FROM clinics WHERE id = 5");
    auto changed =
        run_cli({"verify", "--db", db.conninfo(), "--baseline", saved.string(), "--show-rows"});
    CAPTURE(changed.out);
    CHECK(changed.exit_code == 1);
    CHECK(changed.out.find("public.clinics: row count 1999, expected 2000") != std::string::npos);
    CHECK(changed.out.find("public.clinics: not localised (the baseline has no range hashes for "
                           "this table") != std::string::npos);
    fs::remove(saved);
}
