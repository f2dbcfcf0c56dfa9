// Which migsafe.toml a run reads: --config, MIGSAFE_CONFIG, else upwards from the current
// directory to the repository's root.
#include <migsafe/config/discover.hpp>
#include <migsafe/platform/error.hpp>

#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace config = migsafe::config;
namespace fs = std::filesystem;

namespace {

struct TempTree {
    fs::path root;
    TempTree()
    {
        std::string pattern = (fs::temp_directory_path() / "migsafe-config-XXXXXX").string();
        root = mkdtemp(pattern.data());
    }
    ~TempTree() { fs::remove_all(root); }
    void touch(const fs::path& relative) const
    {
        fs::create_directories((root / relative).parent_path());
        std::ofstream(root / relative) << "";
    }
};

config::EnvLookup no_env()
{
    return [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
}

} // namespace

TEST_CASE("config: found in the current directory or above, not above the repository root")
{
    TempTree tree;
    tree.touch("migsafe.toml");   // above the repository: never read
    tree.touch("repo/.git/HEAD"); // the repository's root
    fs::create_directories(tree.root / "repo/app/db");
    CHECK_FALSE(config::find_config(tree.root / "repo/app/db"));

    tree.touch("repo/migsafe.toml");
    CHECK(config::find_config(tree.root / "repo/app/db") == tree.root / "repo/migsafe.toml");
    tree.touch("repo/app/migsafe.toml");
    CHECK(config::find_config(tree.root / "repo/app/db") == tree.root / "repo/app/migsafe.toml");

    // Found: named relative to where the search started.
    const auto choice = config::choose_config("", no_env(), tree.root / "repo/app/db");
    CHECK(choice.source == config::FileSource::found);
    CHECK(choice.path == fs::path("../migsafe.toml"));
}

TEST_CASE("config: --config, then MIGSAFE_CONFIG; a named file must exist")
{
    TempTree tree;
    tree.touch("a.toml");
    tree.touch("b.toml");
    auto env = [&](std::string_view name) -> std::optional<std::string> {
        if (name == "MIGSAFE_CONFIG") {
            return (tree.root / "b.toml").string();
        }
        return std::nullopt;
    };
    auto choice = config::choose_config((tree.root / "a.toml").string(), env, tree.root);
    CHECK(choice.source == config::FileSource::option);
    CHECK(choice.path == tree.root / "a.toml");
    choice = config::choose_config("", env, tree.root);
    CHECK(choice.source == config::FileSource::environment_variable);
    CHECK(choice.path == tree.root / "b.toml");
    CHECK(config::choose_config("", no_env(), tree.root).source == config::FileSource::none);

    try {
        config::choose_config((tree.root / "missing.toml").string(), no_env(), tree.root);
        FAIL("no error");
    } catch (const migsafe::Error& e) {
        CHECK(e.code() == "input-not-found");
        CHECK(e.message().starts_with("--config names the config file "));
    }
}
