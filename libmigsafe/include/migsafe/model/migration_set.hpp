#pragma once

#include <migsafe/export.hpp>
#include <migsafe/model/migration.hpp>

#include <cstdint>
#include <filesystem>
#include <vector>

namespace migsafe::model {

/// Whether loading parses every statement (needed for plan; not for sum or status).
enum class ParseStatements { yes, no };

/// Whether loading also checks the set against its migsafe.sum (`require_sum_file`).
enum class CheckSum { no, yes };

/// Options of `load_migration_set`.
struct LoadOptions {
    ParseStatements parse_statements = ParseStatements::yes;
    CheckSum check_sum = CheckSum::no;
};

/// A directory of migrations, ordered by version.
struct MigrationSet {
    std::filesystem::path directory;
    std::vector<Migration> migrations; ///< ascending, unique versions

    /// The migration with `version`, or nullptr.
    MIGSAFE_API const Migration* find(std::uint64_t version) const noexcept;
};

/// Reads the migrations in `directory`, in any one of the four layouts (see Layout), and
/// orders them by numeric version (2 before 10). Hidden entries, `migsafe.sum` and files
/// not ending in `.sql` are ignored. Directives are always read; statements only with
/// `options.parse_statements`.
/// Throws `input-not-found` (no such directory), `io-read-failed`,
/// `migration-layout-invalid` (unknown file name, a down without its up, a folder without
/// up.sql, or two layouts in one directory), `migration-version-invalid`,
/// `migration-version-duplicate` (naming both files), `directive-*`, `sql-syntax`, and with
/// `CheckSum::yes` the `sum-*` errors of `require_sum_file`. Cost: reads every file once.
MIGSAFE_API MigrationSet load_migration_set(const std::filesystem::path& directory,
                                            const LoadOptions& options = {});

} // namespace migsafe::model
