// Every document the code cites is in the repository (ARCHITECTURE.md, "Where things
// are"): a comment, message or script that points at a file under `docs/`, `ARCHITECTURE.md` or
// another Markdown file of the repository names one a contributor who cloned it can open,
// and nothing cites a numbered list that lives elsewhere ("pitfalls #3").
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

const fs::path k_root = MIGSAFE_SOURCE_DIR;

bool is_source(const fs::path& path)
{
    static const std::set<std::string> k_extensions = {".cpp", ".hpp",   ".h",   ".in",   ".sh",
                                                       ".py",  ".cmake", ".txt", ".yaml", ".yml",
                                                       ".js",  ".html",  ".css", ".toml"};
    auto name = path.filename().string();
    return k_extensions.contains(path.extension().string()) || name == "Dockerfile" ||
           name.ends_with(".Dockerfile") || name == "run";
}

/// The source files of the folders that hold code, scripts and build files.
std::vector<fs::path> sources()
{
    std::vector<fs::path> out;
    for (const char* folder :
         {"libmigsafe", "tools", "tests", "bench", "scripts", "cmake", "docker", ".ci"}) {
        if (!fs::exists(k_root / folder)) {
            continue;
        }
        for (const auto& entry : fs::recursive_directory_iterator(k_root / folder)) {
            if (entry.is_regular_file() && is_source(entry.path())) {
                out.push_back(entry.path());
            }
        }
    }
    out.push_back(k_root / "CMakeLists.txt");
    return out;
}

std::string read(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

TEST_CASE("every Markdown document a source file cites exists in the repository")
{
    // a file under `docs/`, `bench/README.md`, or a bare name at the root (`ARCHITECTURE.md`).
    const std::regex citation(
        R"((?:^|[^A-Za-z0-9_./-])((?:(?:docs|bench|docker)/)?[A-Za-z0-9_./-]*[A-Z][A-Za-z0-9_-]*\.md|docs/[A-Za-z0-9_./-]+\.md))");
    const std::regex numbered(R"(pitfalls? #\d+)", std::regex::icase);
    const auto self = fs::path(__FILE__).filename();
    std::set<std::string> problems;
    std::size_t cited = 0;
    for (const auto& path : sources()) {
        if (path.filename() == self) {
            continue;
        }
        const auto text = read(path);
        const auto relative = fs::relative(path, k_root).generic_string();
        for (std::sregex_iterator it(text.begin(), text.end(), citation), end; it != end; ++it) {
            const std::string name = (*it)[1];
            // A fixture's own README or a path inside a test's scratch folder is not a
            // citation of the repository's documents.
            if (name.find('/') != std::string::npos && !name.starts_with("docs/") &&
                !name.starts_with("bench/") && !name.starts_with("docker/")) {
                continue;
            }
            ++cited;
            if (!fs::exists(k_root / name)) {
                problems.insert(relative + " cites " + name + ", which is not in the repository");
            }
        }
        std::smatch match;
        if (std::regex_search(text, match, numbered)) {
            problems.insert(relative + " cites \"" + match.str() +
                            "\": a numbered list outside the repository (docs/toolchain.md has "
                            "the toolchain's traps by name)");
        }
    }
    CHECK(cited > 20); // the scan sees the citations there are
    for (const auto& problem : problems) {
        MESSAGE(problem);
    }
    CHECK(problems.empty());
}
