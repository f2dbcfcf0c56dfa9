// The layer rule of ARCHITECTURE.md ("Layers", "How the engines use each other"), checked
// on the includes: an area includes only itself and the areas this table allows, and the
// CLI includes only public headers (no private ones, no libpq or libpg_query). A new
// dependency is a decision: add it here and to ARCHITECTURE.md together.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>

namespace fs = std::filesystem;

namespace {

const fs::path k_root = MIGSAFE_SOURCE_DIR;

/// What each area of libmigsafe may include besides itself.
const std::map<std::string, std::set<std::string>>& allowed()
{
    static const std::map<std::string, std::set<std::string>> k_allowed = {
        {"platform", {}},
        {"model", {"platform"}},
        {"integrity", {"platform"}},
        {"plan", {"model", "platform"}},
        {"trace", {"plan", "model", "platform"}},
        {"compensate", {"plan", "model", "platform"}},
        {"snapshot", {"integrity", "model", "platform"}},
        {"backfill", {"model", "platform"}},
        {"adopt", {"model", "platform"}},
        {"flags", {"model", "platform"}},
        {"config", {"plan", "model", "platform"}},
        {"workflow",
         {"adopt", "backfill", "compensate", "flags", "integrity", "model", "plan", "platform",
          "snapshot", "trace"}},
    };
    return k_allowed;
}

/// `libmigsafe/src/plan/plan_alter.cpp:12`, for a message.
std::string fmt_line(const fs::path& path, int number)
{
    return fs::relative(path, k_root).generic_string() + ":" + std::to_string(number);
}

bool is_code(const fs::path& path)
{
    auto extension = path.extension().string();
    return extension == ".cpp" || extension == ".hpp";
}

} // namespace

TEST_CASE("no include of libmigsafe points upward or sideways outside the allowed engine links")
{
    // `#include "plan/rule.hpp"` (private) or `#include <migsafe/plan/report.hpp>` (public).
    const std::regex include(R"re(#include\s*(?:"|<migsafe/)([a-z_]+)/)re");
    std::set<std::string> problems;
    std::size_t seen = 0;
    for (const auto& [area, deps] : allowed()) {
        for (const auto& base : {k_root / "libmigsafe" / "src" / area,
                                 k_root / "libmigsafe" / "include" / "migsafe" / area}) {
            if (!fs::exists(base)) {
                continue;
            }
            for (const auto& entry : fs::recursive_directory_iterator(base)) {
                if (!entry.is_regular_file() || !is_code(entry.path())) {
                    continue;
                }
                std::ifstream in(entry.path());
                int number = 0;
                for (std::string line; std::getline(in, line);) {
                    ++number;
                    std::smatch match;
                    if (!std::regex_search(line, match, include)) {
                        continue;
                    }
                    ++seen;
                    const std::string target = match[1];
                    if (target != area && !deps.contains(target)) {
                        problems.insert(fmt_line(entry.path(), number) + ": " + area +
                                        " includes " + target);
                    }
                }
            }
        }
    }
    CHECK(seen > 500);
    for (const auto& problem : problems) {
        MESSAGE(problem);
    }
    CHECK(problems.empty());
}

TEST_CASE("the CLI includes only libmigsafe's public headers: no private one, no libpq, no "
          "libpg_query")
{
    const std::regex forbidden(
        R"re(#include\s*("(platform|model|plan|workflow|snapshot|integrity|flags|adopt|config|trace|compensate|backfill)/|<libpq-fe\.h>|<pg_query\.h>))re");
    std::set<std::string> problems;
    for (const auto& entry : fs::recursive_directory_iterator(k_root / "tools" / "migsafe")) {
        if (!entry.is_regular_file() || !is_code(entry.path())) {
            continue;
        }
        std::ifstream in(entry.path());
        int number = 0;
        for (std::string line; std::getline(in, line);) {
            ++number;
            if (std::regex_search(line, forbidden)) {
                problems.insert(fmt_line(entry.path(), number) + ": " + line);
            }
        }
    }
    for (const auto& problem : problems) {
        MESSAGE(problem);
    }
    CHECK(problems.empty());
}
