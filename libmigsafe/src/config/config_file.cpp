// Reading migsafe.toml: the text to a tree, no secret in it, then every key checked.
#include "config/tree.hpp"

#include <migsafe/config/config_file.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/files.hpp>

#include <fmt/format.h>

namespace migsafe::config {

std::string Location::text() const
{
    return line > 0 ? fmt::format("{}:{}", file, line) : file;
}

ConfigFile parse_config(std::string_view text, const std::filesystem::path& path)
{
    const auto root = detail::parse_tree(text, path.string());
    detail::refuse_secrets(root);
    return detail::read_settings(root, path);
}

ConfigFile read_config(const std::filesystem::path& path)
{
    return parse_config(platform::read_file(path, std::uint64_t{1} << 20), path);
}

} // namespace migsafe::config
