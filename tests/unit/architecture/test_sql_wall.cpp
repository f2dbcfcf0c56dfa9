// The SQL wall of ARCHITECTURE.md ("Where SQL lives"): every query text migsafe writes is
// in libmigsafe/src/platform/catalog/, behind typed functions. Checked on the source text: a
// string literal (plain or raw) that starts with SELECT, INSERT, UPDATE, DELETE or WITH and
// goes on is a query, and is allowed only there or in a written exception below.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

const fs::path k_root = MIGSAFE_SOURCE_DIR;

/// A literal outside the catalog that is not a query of migsafe's.
struct Exception {
    std::string path;   ///< relative to the repository
    std::string prefix; ///< the literal starts with this ("" for every literal of the file)
    std::string why;
};

const std::vector<Exception>& exceptions()
{
    static const std::vector<Exception> k_exceptions = {
        {"libmigsafe/src/workflow/history.cpp", "",
         "migsafe.history's own statements live beside its schema (ARCHITECTURE.md)"},
        {"libmigsafe/src/workflow/demo.cpp", "INSERT INTO professionals (",
         "the demo's fixture: data of the demo's database, not a query of migsafe's"},
        {"libmigsafe/src/workflow/demo.cpp", "SELECT 'Dr ' || initcap(",
         "the same fixture's second line"},
        {"libmigsafe/src/plan/plan_add_column.cpp", "SELECT DISTINCT and UNION over",
         "prose of a finding, naming statements"},
        {"libmigsafe/src/plan/rule_catalog.cpp", "UPDATE or DELETE of a whole",
         "prose of a rule's summary"},
        {"libmigsafe/src/plan/analyze.cpp", "DELETE or key UPDATE on the referenced",
         "prose of a finding"},
    };
    return k_exceptions;
}

/// Query literals of `text`: `"SELECT ..."` and `R"x( SELECT ...`, comments left out.
std::vector<std::string> query_literals(const std::string& text)
{
    static const std::regex plain(R"re("((?:SELECT|INSERT|UPDATE|DELETE|WITH)\s[^"\n]*))re");
    static const std::regex raw(
        R"re(R"[^(\s"]*\(\s*((?:SELECT|INSERT|UPDATE|DELETE|WITH)\s[^\n]*))re");
    std::string code;
    // Line comments out (a comment may quote a query while explaining it).
    for (std::size_t at = 0; at < text.size();) {
        const auto end = std::min(text.find('\n', at), text.size());
        std::string line = text.substr(at, end - at);
        const auto comment = line.find("//");
        if (comment != std::string::npos && line.find('"') > comment) {
            line.erase(comment);
        }
        code += line + "\n";
        at = end + 1;
    }
    std::vector<std::string> out;
    for (const auto* pattern : {&plain, &raw}) {
        for (std::sregex_iterator it(code.begin(), code.end(), *pattern), last; it != last; ++it) {
            out.push_back((*it)[1]);
        }
    }
    return out;
}

bool excepted(const std::string& path, const std::string& literal)
{
    for (const auto& exception : exceptions()) {
        if (exception.path == path && literal.rfind(exception.prefix, 0) == 0) {
            return true;
        }
    }
    return false;
}

std::string read(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace

TEST_CASE("the SQL wall's scanner finds query literals and leaves prose and comments alone")
{
    CHECK(query_literals("q(\"SELECT 1\");").size() == 1);
    CHECK(
        query_literals("auto s = R\"sql(\n  WITH x AS (SELECT 1) SELECT * FROM x)sql\";").size() ==
        1);
    CHECK(query_literals("if (word == \"SELECT\") {}").empty());
    CHECK(query_literals("// runs \"SELECT 1\" first").empty());
    CHECK(query_literals("fix(\"SET lock_timeout = '2s';\");").empty());
}

TEST_CASE("no query text outside libmigsafe/src/platform/catalog/ but the written exceptions")
{
    const auto catalog = fs::path("libmigsafe") / "src" / "platform" / "catalog";
    std::set<std::string> problems;
    std::size_t in_catalog = 0;
    for (const auto& base : {k_root / "libmigsafe" / "src", k_root / "tools"}) {
        for (const auto& entry : fs::recursive_directory_iterator(base)) {
            const auto extension = entry.path().extension();
            if (!entry.is_regular_file() || (extension != ".cpp" && extension != ".hpp")) {
                continue;
            }
            const auto relative = fs::relative(entry.path(), k_root);
            const auto literals = query_literals(read(entry.path()));
            if (relative.parent_path() == catalog) {
                in_catalog += literals.size();
                continue;
            }
            for (const auto& literal : literals) {
                if (!excepted(relative.generic_string(), literal)) {
                    problems.insert(relative.generic_string() + ": \"" + literal.substr(0, 60) +
                                    "\": move the query into platform/catalog/");
                }
            }
        }
    }
    CHECK(in_catalog > 100); // the scanner sees the queries where they belong
    for (const auto& problem : problems) {
        MESSAGE(problem);
    }
    CHECK(problems.empty());
}
