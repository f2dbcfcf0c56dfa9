#pragma once

// Recognises migration file and folder names in the layouts of docs/migrations.md.

#include <migsafe/model/migration.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace migsafe::model::detail {

enum class Role { up, down };

/// One migration file recognised by its name.
struct NamedFile {
    Version version;
    std::string version_as_written; ///< as the name writes it: `0003`, `1_2`
    std::string entry_name;         ///< the file or folder name that carries the version
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

namespace migsafe::model::detail {

/// The `provider` of a Prisma `migration_lock.toml` (`text` is the file's content, `file`
/// its path for errors). Throws `migration-layout-invalid` naming the file when it is not
/// TOML or has no provider.
std::string prisma_provider(std::string_view text, const std::filesystem::path& file);

} // namespace migsafe::model::detail
