// <migsafe/migsafe.hpp> includes every public header (ARCHITECTURE.md, "Layers"): a header
// added to libmigsafe/include/migsafe/AREA/ must be added there too.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

TEST_CASE("migsafe.hpp includes every public header of libmigsafe")
{
    const std::filesystem::path include =
        std::filesystem::path(MIGSAFE_SOURCE_DIR) / "libmigsafe" / "include";
    std::ifstream in(include / "migsafe" / "migsafe.hpp");
    REQUIRE(in);
    std::stringstream text;
    text << in.rdbuf();
    std::set<std::string> missing;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(include / "migsafe")) {
        const auto relative = std::filesystem::relative(entry.path(), include).generic_string();
        if (entry.path().extension() != ".hpp" || relative == "migsafe/migsafe.hpp" ||
            relative == "migsafe/export.hpp") {
            continue;
        }
        if (text.str().find("#include <" + relative + ">") == std::string::npos) {
            missing.insert(relative);
        }
    }
    CHECK(missing.empty());
    for (const auto& header : missing) {
        MESSAGE("not in migsafe.hpp: " << header);
    }
}
