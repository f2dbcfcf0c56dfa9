#pragma once

#include <migsafe/export.hpp>
#include <migsafe/model/migration.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
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
    /// The layout the directory must have (`--layout`, migsafe.toml); nullopt: any one.
    std::optional<Layout> layout = std::nullopt;
};

/// A directory of migrations, ordered by version.
struct MigrationSet {
    std::filesystem::path directory;
    std::vector<Migration> migrations; ///< ascending, unique versions

    /// The migration with `version`, or nullptr.
    MIGSAFE_API const Migration* find(const Version& version) const noexcept;
};

/// The down migration of `migration`, read in full: its directives and statements. A set
/// loads down files as text only (`Migration::down` has no directives or statements), so
/// that a bad down file is an error only for what uses it (compensate, rehearse). nullopt
/// when the migration has none. Throws `directive-*` and `sql-syntax` naming the down file.
MIGSAFE_API std::optional<MigrationFile> read_down(const Migration& migration);

/// Reads the migrations in `directory`, in any one of the layouts (see Layout), and
/// orders them by version (2 before 10, Flyway's order for dotted versions, repeatable
/// migrations last). A Prisma directory's `migration_lock.toml` must name postgresql. Hidden
/// entries, `migsafe.sum` and files not ending in `.sql` are ignored. Up files' directives are
/// always read; their statements only with `options.parse_statements`; down files only as text
/// (read_down). Throws `input-not-found` (no such directory), `io-read-failed`,
/// `migration-layout-invalid` (unknown file name, a down without its up, a folder without up.sql or
/// migration.sql, a dbmate file without `-- migrate:up`, two layouts in one directory, a Prisma
/// lock file naming another provider), `migration-version-invalid`, `migration-version-duplicate`
/// (naming both files), `directive-*`, `sql-syntax`, and with `CheckSum::yes` the `sum-*` errors of
/// `require_sum_file`. Cost: reads every file once.
MIGSAFE_API MigrationSet load_migration_set(const std::filesystem::path& directory,
                                            const LoadOptions& options = {});

} // namespace migsafe::model
