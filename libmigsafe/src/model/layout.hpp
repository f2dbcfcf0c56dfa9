#pragma once

// Recognises migration file and folder names in the four layouts.

#include <migsafe/model/migration.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace migsafe::model::detail {

enum class Role { up, down };

/// One migration file recognised by its name.
struct NamedFile {
    std::uint64_t version = 0;
    std::string name;
    Layout layout = Layout::migsafe;
    Role role = Role::up;
    std::filesystem::path path;
};

/// The migration files that `entry` (a file or folder directly in the set's directory)
/// stands for: none when it is not a migration (hidden, migsafe.sum, not `.sql`), one for
/// a file, up (and down) for a folder. Throws `migration-layout-invalid` or
/// `migration-version-invalid`.
std::vector<NamedFile> classify_entry(const std::filesystem::path& entry, bool is_directory);

} // namespace migsafe::model::detail
