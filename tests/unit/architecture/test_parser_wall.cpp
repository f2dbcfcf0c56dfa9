// The parser wall of ARCHITECTURE.md: libpg_query is wrapped once, in model/. The planner
// reads typed statements (model/statement.hpp), never a lexer of its own; the one tokenizer
// still needed (model/scan.hpp, for splicing text and for statements the grammar rejects)
// is libpg_query's scanner, and only model/ includes libpg_query's headers.
//
// No exception today. platform/hash.cpp includes <xxhash.h>, a separate library (found by
// cmake/Warnings.cmake), not libpg_query's API: it is not matched here.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>

namespace fs = std::filesystem;

namespace {

const fs::path k_root = MIGSAFE_SOURCE_DIR;

bool is_code(const fs::path& path)
{
    const auto extension = path.extension().string();
    return extension == ".cpp" || extension == ".hpp" || extension == ".h";
}

/// `path:line: text` for each line of the code files under `base` that `pattern` matches.
std::set<std::string> lines_matching(const fs::path& base, const std::regex& pattern,
                                     const fs::path& skip = {})
{
    std::set<std::string> found;
    for (const auto& entry : fs::recursive_directory_iterator(base)) {
        if (!entry.is_regular_file() || !is_code(entry.path()) ||
            (!skip.empty() && entry.path().string().starts_with(skip.string()))) {
            continue;
        }
        std::ifstream in(entry.path());
        int number = 0;
        for (std::string line; std::getline(in, line);) {
            ++number;
            if (std::regex_search(line, pattern)) {
                found.insert(fs::relative(entry.path(), k_root).generic_string() + ":" +
                             std::to_string(number) + ": " + line);
            }
        }
    }
    return found;
}

} // namespace

TEST_CASE("the planner has no SQL lexer of its own: nothing in plan/ includes sql_text")
{
    const auto plan = k_root / "libmigsafe" / "src" / "plan";
    const auto found = lines_matching(plan, std::regex(R"re(#include\s*["<][^">]*sql_text)re"));
    for (const auto& line : found) {
        MESSAGE(line);
    }
    CHECK(found.empty());
    CHECK_FALSE(fs::exists(plan / "sql_text.hpp"));
    CHECK_FALSE(fs::exists(plan / "sql_text.cpp"));
}

TEST_CASE("only model/ includes libpg_query's headers")
{
    // <pg_query.h>, <pg_query/pg_query.pb-c.h>, "pg_query.h", ...
    const std::regex include(R"re(#include\s*["<]pg_query[./])re");
    const auto model = k_root / "libmigsafe" / "src" / "model";
    std::set<std::string> found;
    for (const auto& base :
         {k_root / "libmigsafe", k_root / "tools", k_root / "tests", k_root / "bench"}) {
        if (fs::exists(base)) {
            found.merge(lines_matching(base, include, model));
        }
    }
    for (const auto& line : found) {
        MESSAGE(line);
    }
    CHECK(found.empty());
    // The check sees model/'s includes, so a moved wrapper fails it rather than passing.
    CHECK_FALSE(lines_matching(model, include).empty());
}
