#include "cli_runner.hpp"
#include "support/test_db.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

using migsafe::test::run_cli;
using migsafe::test::TestDatabase;
namespace fs = std::filesystem;

TEST_CASE("migsafe snapshot create, list, verify, drill and prune from the command line")
{
    TestDatabase db;
    db.connect().exec(
        "CREATE TABLE visits (id bigint PRIMARY KEY, note text);"
        "INSERT INTO visits SELECT g, 'visit ' || g FROM generate_series(1, 3000) g;");
    auto store = fs::temp_directory_path() / ("migsafe-cli-store-" + std::to_string(::getpid()));
    fs::remove_all(store);

    auto created =
        run_cli({"snapshot", "create", "--db", db.conninfo(), "--store", store.string(), "--json"});
    CAPTURE(created.err);
    REQUIRE(created.exit_code == 0);
    auto id = nlohmann::json::parse(created.out)["report"]["id"].get<std::string>();
    CHECK((fs::status(store / id).permissions() & fs::perms::group_all) == fs::perms::none);

    auto listed = run_cli({"snapshot", "list", "--store", store.string(), "--json"});
    REQUIRE(listed.exit_code == 0);
    CHECK(listed.out.find(id) != std::string::npos);

    auto verified = run_cli({"snapshot", "verify", "--store", store.string(), "--level", "2"});
    CAPTURE(verified.err);
    CHECK(verified.exit_code == 0);
    CHECK(verified.out.find("level 2 of 2 reached") != std::string::npos);

    auto drilled = run_cli({"drill", "--store", store.string(), "--json"});
    CAPTURE(drilled.err);
    CHECK(drilled.exit_code == 0);
    auto record = nlohmann::json::parse(drilled.out)["report"];
    CHECK(record["passed"] == true);
    CHECK(record["rto_ms"].get<long>() > 0);

    // A flipped byte in a stored file: verify names the file and fails (exit 1).
    fs::path victim;
    for (const auto& entry : fs::recursive_directory_iterator(store / id)) {
        if (entry.is_regular_file() && entry.path().extension() == ".zst") {
            victim = entry.path();
            break;
        }
    }
    REQUIRE_FALSE(victim.empty());
    {
        std::fstream file(victim, std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(static_cast<std::streamoff>(fs::file_size(victim) / 2));
        char byte = 0;
        file.read(&byte, 1);
        file.seekp(static_cast<std::streamoff>(fs::file_size(victim) / 2));
        byte = static_cast<char>(byte ^ 0x40);
        file.write(&byte, 1);
    }
    auto corrupt = run_cli({"snapshot", "verify", "--store", store.string(), id});
    CHECK(corrupt.exit_code == 1);
    CHECK(corrupt.out.find(victim.filename().string()) != std::string::npos);

    auto pruned =
        run_cli({"snapshot", "prune", "--store", store.string(), "--max-age", "1ms", "--dry-run"});
    CHECK(pruned.exit_code == 0);
    CHECK(fs::exists(store / id));
    fs::remove_all(store);
}

TEST_CASE("migsafe snapshot with a missing store or snapshot exits 2")
{
    auto store = fs::temp_directory_path() / ("migsafe-cli-empty-" + std::to_string(::getpid()));
    fs::create_directories(store);
    auto missing = run_cli({"snapshot", "verify", "--store", store.string(), "nosuchid"});
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.find("[snapshot-not-found]") != std::string::npos);
    auto bad_duration =
        run_cli({"snapshot", "prune", "--store", store.string(), "--max-age", "soon"});
    CHECK(bad_duration.exit_code == 2);
    CHECK(bad_duration.err.find("--max-age") != std::string::npos);
    fs::remove_all(store);
}
