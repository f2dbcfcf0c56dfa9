#include "snapshot/work_dir.hpp"

#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

namespace migsafe::snapshot::detail {

WorkDir::WorkDir(const std::filesystem::path& parent, const char* purpose)
{
    auto base = parent.empty() ? std::filesystem::temp_directory_path() : parent;
    std::string pattern = (base / fmt::format("migsafe-{}-XXXXXX", purpose)).string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw Error(
            "io-write-failed",
            fmt::format("cannot create a folder in {}: {}", base.string(), std::strerror(errno)),
            {.file = base.string()});
    }
    m_path = pattern;
    m_cleanup = interrupt::Cleanup("remove the scratch folder " + m_path.string(), [path = m_path] {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    });
}

WorkDir::~WorkDir()
{
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

} // namespace migsafe::snapshot::detail
