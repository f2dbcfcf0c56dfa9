#include "cli_runner.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>

using migsafe::test::run_cli;
namespace fs = std::filesystem;

namespace {

const fs::path k_fixtures = MIGSAFE_FIXTURES_DIR;

/// A private copy of a fixture set, removed at the end of the test case.
struct ScratchSet {
    fs::path dir;
    explicit ScratchSet(const fs::path& from)
    {
        dir = fs::temp_directory_path() /
              ("migsafe-cli-sum-" + std::to_string(::getpid()) + "-" + from.filename().string());
        fs::remove_all(dir);
        fs::copy(from, dir, fs::copy_options::recursive);
    }
    ~ScratchSet() { fs::remove_all(dir); }
    ScratchSet(const ScratchSet&) = delete;
    ScratchSet& operator=(const ScratchSet&) = delete;
};

} // namespace

TEST_CASE("migsafe sum writes migsafe.sum and --check accepts it until a file changes")
{
    ScratchSet set(k_fixtures / "layouts" / "migsafe");
    fs::remove(set.dir / "migsafe.sum");

    auto wrote = run_cli({"sum", set.dir.string()});
    CHECK(wrote.exit_code == 0);
    CHECK(wrote.out.find("wrote ") != std::string::npos);
    REQUIRE(fs::exists(set.dir / "migsafe.sum"));

    auto same = run_cli({"sum", "--check", set.dir.string()});
    CHECK(same.exit_code == 0);
    CHECK(same.out.find("matches") != std::string::npos);

    // An edit after review: --check is a failed verdict (exit 1) naming the file.
    auto first = *fs::directory_iterator(set.dir);
    for (const auto& entry : fs::directory_iterator(set.dir)) {
        if (entry.path().extension() == ".sql") {
            first = entry;
            break;
        }
    }
    std::ofstream(first.path(), std::ios::app) << "\n-- edited after review\n";
    auto edited = run_cli({"sum", "--check", "--json", set.dir.string()});
    CHECK(edited.exit_code == 1);
    auto doc = nlohmann::json::parse(edited.out);
    CHECK(doc["command"] == "sum");
    CHECK(doc["status"] == "fail");
    REQUIRE(doc["report"]["differences"].size() == 1);
    CHECK(doc["report"]["differences"][0]["kind"] == "edited");
    CHECK(doc["report"]["differences"][0]["path"] == first.path().filename().string());
}

TEST_CASE("migsafe sum --check without a sum file exits 2 with sum-missing and a hint")
{
    auto result = run_cli({"sum", "--check", (k_fixtures / "bad" / "missing-sum").string()});
    CHECK(result.exit_code == 2);
    CHECK(result.err.find("[sum-missing]") != std::string::npos);
    CHECK(result.err.find("migsafe sum") != std::string::npos);
}

TEST_CASE("migsafe sum refuses a set with a syntax error and names file:line:column")
{
    ScratchSet set(k_fixtures / "bad" / "syntax-error");
    auto result = run_cli({"sum", set.dir.string()});
    CHECK(result.exit_code == 2);
    CHECK(result.err.find("0002_add_phone.sql:5:") != std::string::npos);
    CHECK(result.err.find("[sql-syntax]") != std::string::npos);
    CHECK_FALSE(fs::exists(set.dir / "migsafe.sum"));
}

TEST_CASE("migsafe sum --json on bad input prints one document with the error")
{
    auto result = run_cli({"sum", "--json", (k_fixtures / "bad" / "unknown-directive").string()});
    CHECK(result.exit_code == 2);
    auto doc = nlohmann::json::parse(result.out); // exactly one document on stdout
    CHECK(doc["status"] == "error");
    CHECK(doc["exit_code"] == 2);
    CHECK(doc["error"]["code"] == "directive-unknown");
    CHECK(doc["error"]["line"] == 1);
    CHECK(doc["error"]["hint"].get<std::string>().find("phase") != std::string::npos);
}

TEST_CASE("migsafe sum on a missing directory exits 2 naming it")
{
    auto result = run_cli({"sum", "/nonexistent/migrations"});
    CHECK(result.exit_code == 2);
    CHECK(result.err.find("/nonexistent/migrations") != std::string::npos);
}

TEST_CASE("migsafe sum --check on the committed podiatry set passes")
{
    auto result = run_cli({"sum", "--check", (k_fixtures / "podiatry").string()});
    CHECK(result.exit_code == 0);
}

TEST_CASE("migsafe sum refuses a migsafe.sum that is a FIFO, reading or writing, with exit 2")
{
    ScratchSet set(k_fixtures / "podiatry");
    const auto sum = set.dir / "migsafe.sum";
    fs::remove(sum);
    REQUIRE(::mkfifo(sum.c_str(), 0600) == 0);
    CHECK(migsafe::test::exit_within({"sum", "--check", set.dir.string()}, 20) == 2);
    CHECK(migsafe::test::exit_within({"sum", set.dir.string()}, 20) == 2);
    auto check = run_cli({"sum", "--check", set.dir.string()});
    CHECK(check.err.find("it is a FIFO, not a regular file [input-not-regular-file]") !=
          std::string::npos);
    auto write = run_cli({"sum", set.dir.string()});
    CHECK(write.err.find("refusing to write " + sum.string() +
                         ": it is a FIFO, not a regular file [output-not-regular-file]") !=
          std::string::npos);
    CHECK(fs::is_fifo(sum));
    CHECK_FALSE(fs::exists(set.dir / "migsafe.sum.tmp"));
}

TEST_CASE("migsafe sum on a file that is not UTF-8 exits 2 naming file:line:column")
{
    ScratchSet set(k_fixtures / "podiatry");
    const auto file = set.dir / "0001_create_professionals.sql";
    std::ofstream(file, std::ios::app) << "\n-- \xc3\x28\n";
    auto result = run_cli({"sum", "--json", set.dir.string()});
    CHECK(result.exit_code == 2);
    auto doc = nlohmann::json::parse(result.out);
    CHECK(doc["error"]["code"] == "input-invalid-utf8");
    CHECK(doc["error"]["file"] == file.string());
    CHECK(doc["error"]["column"] == 4);
}
