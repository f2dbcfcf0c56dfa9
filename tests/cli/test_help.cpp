// docs/cli.md and `--help` must agree in both directions: every subcommand and option the
// binary accepts is documented, and everything documented exists.
#include "cli_runner.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using migsafe::test::run_cli;

namespace {

using Names = std::set<std::string>;

/// The names CLI11 lists under `Options:` and `Positionals:` (and `Subcommands:` when
/// `section` is "Subcommands").
Names help_names(const std::string& help, const std::string& section)
{
    Names names;
    std::istringstream lines(help);
    std::string line;
    bool inside = false;
    while (std::getline(lines, line)) {
        if (!line.empty() && line[0] != ' ') {
            inside = line.rfind(section, 0) == 0 ||
                     (section == "Options" && line.rfind("Positionals", 0) == 0);
            continue;
        }
        if (!inside || line.size() < 3 || line[2] == ' ') {
            continue;
        }
        std::string first = line.substr(2, line.find(' ', 2) - 2);
        std::istringstream parts(first);
        std::string name;
        while (std::getline(parts, name, ',')) {
            names.insert(name);
        }
    }
    return names;
}

std::string read_docs()
{
    std::ifstream in(std::string(MIGSAFE_SOURCE_DIR) + "/docs/cli.md");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// docs/cli.md split into `## heading` -> section text.
std::map<std::string, std::string> doc_sections()
{
    std::map<std::string, std::string> sections;
    std::istringstream lines(read_docs());
    std::string line;
    std::string current;
    while (std::getline(lines, line)) {
        if (line.rfind("## ", 0) == 0) {
            current = line.substr(3);
            sections[current];
        } else if (!current.empty()) {
            sections[current] += line + "\n";
        }
    }
    return sections;
}

/// The first word of every backticked name in the first column of the section's table.
Names doc_names(const std::string& section)
{
    Names names;
    std::istringstream lines(section);
    std::string line;
    static const std::regex code("`([^`]+)`");
    while (std::getline(lines, line)) {
        if (line.rfind("| `", 0) != 0) {
            continue;
        }
        std::string cell = line.substr(1, line.find('|', 1) - 1);
        for (std::sregex_iterator it(cell.begin(), cell.end(), code), end; it != end; ++it) {
            std::string text = (*it)[1];
            names.insert(text.substr(0, text.find(' ')));
        }
    }
    return names;
}

} // namespace

TEST_CASE("migsafe --help lists exactly the global options and subcommands of docs/cli.md")
{
    auto help = run_cli({"--help"});
    REQUIRE(help.exit_code == 0);
    auto sections = doc_sections();
    REQUIRE(sections.count("Global options") == 1);
    CHECK(help_names(help.out, "Options") == doc_names(sections["Global options"]));

    Names documented; // `## migsafe snapshot create` documents the subcommand `snapshot`
    for (const auto& [heading, text] : sections) {
        if (heading.rfind("migsafe ", 0) == 0) {
            auto words = heading.substr(8);
            documented.insert(words.substr(0, words.find(' ')));
        }
    }
    CHECK(help_names(help.out, "Subcommands") == documented);
}

TEST_CASE("migsafe SUBCOMMAND --help lists exactly the options of its docs/cli.md section")
{
    auto sections = doc_sections();
    for (const auto& [heading, text] : sections) {
        if (heading.rfind("migsafe ", 0) != 0) {
            continue;
        }
        std::string name = heading.substr(8);
        CAPTURE(name);
        std::vector<std::string> args; // `snapshot create --help` for a nested subcommand
        std::istringstream words(name);
        for (std::string word; words >> word;) {
            args.push_back(word);
        }
        args.emplace_back("--help");
        auto help = run_cli(args);
        REQUIRE(help.exit_code == 0);
        auto from_help = help_names(help.out, "Options");
        from_help.erase("-h");
        from_help.erase("--help");
        CHECK(from_help == doc_names(text));
        // Every subcommand's help shows at least one example.
        CHECK(help.out.find("Examples:") != std::string::npos);
    }
}

TEST_CASE("migsafe --version prints the version and exits 0")
{
    auto result = run_cli({"--version"});
    CHECK(result.exit_code == 0);
    CHECK(std::regex_search(result.out, std::regex(R"(^migsafe \d+\.\d+\.\d+)")));
}

TEST_CASE("migsafe with a bad option or subcommand exits 2 and says what is wrong")
{
    auto unknown_option = run_cli({"--no-such-option"});
    CHECK(unknown_option.exit_code == 2);
    CHECK(unknown_option.err.find("--no-such-option") != std::string::npos);

    auto unknown_subcommand = run_cli({"frobnicate"});
    CHECK(unknown_subcommand.exit_code == 2);
    CHECK(unknown_subcommand.err.find("frobnicate") != std::string::npos);

    auto no_subcommand = run_cli({});
    CHECK(no_subcommand.exit_code == 2);

    auto bad_level = run_cli({"--log-level", "loud", "sum", "--help"});
    CHECK(bad_level.exit_code == 2);
    CHECK(bad_level.err.find("--log-level") != std::string::npos);
}

TEST_CASE("migsafe rejects a bad MIGSAFE_LOG_LEVEL with exit 2 naming the variable")
{
    auto result = run_cli({"sum", "--check", std::string(MIGSAFE_FIXTURES_DIR) + "/podiatry"},
                          {{"MIGSAFE_LOG_LEVEL", "chatty"}});
    CHECK(result.exit_code == 2);
    CHECK(result.err.find("MIGSAFE_LOG_LEVEL") != std::string::npos);
}
