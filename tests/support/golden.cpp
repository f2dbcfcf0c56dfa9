#include "support/golden.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace migsafe::test {

bool update_golden()
{
    const char* update = std::getenv("MIGSAFE_UPDATE_GOLDEN");
    return update != nullptr && std::string(update) == "1";
}

std::string read_text(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string golden(const std::filesystem::path& path, const std::string& text)
{
    if (update_golden()) {
        std::filesystem::create_directories(path.parent_path());
        std::ofstream(path, std::ios::binary) << text;
    }
    return read_text(path);
}

} // namespace migsafe::test
