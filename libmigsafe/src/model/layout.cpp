#include "model/layout.hpp"

#include <migsafe/platform/error.hpp>

#include <algorithm>
#include <cctype>
#include <optional>

namespace migsafe::model::detail {
namespace {

constexpr std::size_t k_max_version_digits = 18; // fits std::uint64_t

bool all_digits(std::string_view text)
{
    return !text.empty() && std::all_of(text.begin(), text.end(),
                                        [](unsigned char c) { return std::isdigit(c) != 0; });
}

[[noreturn]] void invalid_version(const std::filesystem::path& path, std::string_view version)
{
    throw Error("migration-version-invalid",
                "version `" + std::string(version) + "` of " + path.string() +
                    " is not a decimal number",
                {.file = path.string()},
                "versions are decimal numbers of at most 18 digits, e.g. 0001 or 3 (Flyway "
                "dotted versions like V1.2 are not supported)");
}

[[noreturn]] void invalid_layout(const std::filesystem::path& path, const std::string& why)
{
    throw Error("migration-layout-invalid", path.string() + " " + why, {.file = path.string()});
}

std::uint64_t version_of(const std::filesystem::path& path, std::string_view digits)
{
    if (!all_digits(digits) || digits.size() > k_max_version_digits) {
        invalid_version(path, digits);
    }
    return std::stoull(std::string(digits));
}

// `<version>_<name>`: the version and the name, or nullopt without an underscore.
std::optional<std::pair<std::string, std::string>> split_version(std::string_view stem)
{
    const auto underscore = stem.find('_');
    if (underscore == std::string_view::npos || underscore == 0) {
        return std::nullopt;
    }
    return std::pair{std::string(stem.substr(0, underscore)),
                     std::string(stem.substr(underscore + 1))};
}

NamedFile classify_file(const std::filesystem::path& path)
{
    const std::string file = path.filename().string();
    std::string stem = file.substr(0, file.size() - 4); // without ".sql"
    NamedFile named;
    named.path = path;
    if (stem.ends_with(".up") || stem.ends_with(".down")) {
        named.layout = Layout::golang_migrate;
        named.role = stem.ends_with(".up") ? Role::up : Role::down;
        stem.erase(stem.rfind('.'));
    } else if ((stem.starts_with('V') || stem.starts_with('U')) &&
               stem.find("__") != std::string::npos) {
        named.layout = Layout::flyway;
        named.role = stem.starts_with('V') ? Role::up : Role::down;
        const auto separator = stem.find("__");
        named.version = version_of(path, std::string_view(stem).substr(1, separator - 1));
        named.name = stem.substr(separator + 2);
        return named;
    }
    const bool starts_with_digit =
        !stem.empty() && std::isdigit(static_cast<unsigned char>(stem.front())) != 0;
    auto parts = split_version(stem);
    if (!starts_with_digit) {
        invalid_layout(path, "does not follow a known migration layout");
    }
    if (!parts) {
        invalid_version(path, stem);
    }
    named.version = version_of(path, parts->first);
    named.name = parts->second;
    if (named.name.empty()) {
        invalid_layout(path, "has no name after the version");
    }
    return named;
}

std::vector<NamedFile> classify_folder(const std::filesystem::path& path)
{
    const auto parts = split_version(path.filename().string());
    if (!parts) {
        invalid_layout(path, "is a folder but not named like 0001_name");
    }
    // diesel: 2024-01-01-000000_name -> 20240101000000.
    std::string digits = parts->first;
    std::erase(digits, '-');
    NamedFile up{.version = version_of(path, digits),
                 .name = parts->second,
                 .layout = Layout::folders,
                 .role = Role::up,
                 .path = path / "up.sql"};
    std::error_code ec;
    if (!std::filesystem::is_regular_file(up.path, ec)) {
        invalid_layout(path, "is a migration folder without up.sql");
    }
    std::vector<NamedFile> files{up};
    if (std::filesystem::is_regular_file(path / "down.sql", ec)) {
        up.role = Role::down;
        up.path = path / "down.sql";
        files.push_back(up);
    }
    return files;
}

} // namespace

std::vector<NamedFile> classify_entry(const std::filesystem::path& entry, bool is_directory)
{
    const std::string name = entry.filename().string();
    if (name.starts_with('.')) {
        return {};
    }
    if (is_directory) {
        return classify_folder(entry);
    }
    if (!name.ends_with(".sql")) {
        return {};
    }
    return {classify_file(entry)};
}

} // namespace migsafe::model::detail
