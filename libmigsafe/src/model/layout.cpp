#include "model/layout.hpp"

#include <migsafe/platform/error.hpp>

#include <algorithm>
#include <cctype>
#include <optional>

namespace migsafe::model::detail {
namespace {

[[noreturn]] void invalid_version(const std::filesystem::path& path, std::string_view version,
                                  bool dotted)
{
    throw Error("migration-version-invalid",
                "version `" + std::string(version) + "` of " + path.string() +
                    (dotted ? " is not a dotted version" : " is not a decimal number"),
                {.file = path.string()},
                dotted ? "Flyway versions are numbers separated by `.` or `_`, e.g. V1.2.10 or "
                         "V1_2, each part at most 18 digits"
                       : "versions are decimal numbers of at most 18 digits, e.g. 0001 or 3");
}

[[noreturn]] void invalid_layout(const std::filesystem::path& path, const std::string& why)
{
    throw Error("migration-layout-invalid", path.string() + " " + why, {.file = path.string()});
}

Version one_number(const std::filesystem::path& path, std::string_view digits)
{
    const bool plain = std::all_of(digits.begin(), digits.end(),
                                   [](unsigned char c) { return std::isdigit(c) != 0; });
    auto version = plain ? Version::parse(digits) : std::nullopt;
    if (!version) {
        invalid_version(path, digits, false);
    }
    return *version;
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

// Flyway: `V1.2__name.sql` (versioned), `U1.2__name.sql` (its undo), `R__name.sql`
// (repeatable). The version may use `_` for `.`; `__` ends it.
std::optional<NamedFile> classify_flyway(const std::filesystem::path& path, std::string_view stem)
{
    const auto separator = stem.find("__");
    if (stem.empty() || separator == std::string_view::npos ||
        (stem.front() != 'V' && stem.front() != 'U' && stem.front() != 'R')) {
        return std::nullopt;
    }
    NamedFile named;
    named.path = path;
    named.layout = Layout::flyway;
    named.entry_name = path.filename().string();
    named.name = std::string(stem.substr(separator + 2));
    named.role = stem.front() == 'U' ? Role::down : Role::up;
    if (stem.front() == 'R') {
        if (separator != 1) {
            return std::nullopt; // `Rsomething__x.sql` is no Flyway name
        }
        named.version = Version::repeatable(named.name);
        named.version_as_written = "";
        return named;
    }
    named.version_as_written = std::string(stem.substr(1, separator - 1));
    auto version = Version::parse(named.version_as_written);
    if (!version) {
        invalid_version(path, named.version_as_written, true);
    }
    named.version = *version;
    return named;
}

NamedFile classify_file(const std::filesystem::path& path)
{
    const std::string file = path.filename().string();
    std::string stem = file.substr(0, file.size() - 4); // without ".sql"
    NamedFile named;
    named.path = path;
    named.entry_name = file;
    if (stem.ends_with(".up") || stem.ends_with(".down")) {
        named.layout = Layout::golang_migrate;
        named.role = stem.ends_with(".up") ? Role::up : Role::down;
        stem.erase(stem.rfind('.'));
    } else if (auto flyway = classify_flyway(path, stem)) {
        return *flyway;
    }
    const bool starts_with_digit =
        !stem.empty() && std::isdigit(static_cast<unsigned char>(stem.front())) != 0;
    auto parts = split_version(stem);
    if (!starts_with_digit) {
        invalid_layout(path, "does not follow a known migration layout");
    }
    if (!parts) {
        invalid_version(path, stem, false);
    }
    named.version_as_written = parts->first;
    named.version = one_number(path, parts->first);
    named.name = parts->second;
    if (named.name.empty()) {
        invalid_layout(path, "has no name after the version");
    }
    return named;
}

// diesel and friends: `0001_name/up.sql` (+ down.sql); Prisma: `20240101120000_name/
// migration.sql`.
std::vector<NamedFile> classify_folder(const std::filesystem::path& path)
{
    const auto parts = split_version(path.filename().string());
    if (!parts) {
        invalid_layout(path, "is a folder but not named like 0001_name");
    }
    // diesel: 2024-01-01-000000_name -> 20240101000000.
    std::string digits = parts->first;
    std::erase(digits, '-');
    NamedFile up{.version = one_number(path, digits),
                 .version_as_written = parts->first,
                 .entry_name = path.filename().string(),
                 .name = parts->second,
                 .layout = Layout::folders,
                 .role = Role::up,
                 .path = path / "up.sql"};
    std::error_code ec;
    if (!std::filesystem::is_regular_file(up.path, ec)) {
        if (std::filesystem::is_regular_file(path / "migration.sql", ec)) {
            up.layout = Layout::prisma;
            up.path = path / "migration.sql";
            return {up};
        }
        invalid_layout(path, "is a migration folder without up.sql (or Prisma's migration.sql)");
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
