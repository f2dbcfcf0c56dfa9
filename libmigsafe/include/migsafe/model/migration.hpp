#pragma once

#include <migsafe/export.hpp>
#include <migsafe/model/directive.hpp>
#include <migsafe/model/statement.hpp>
#include <migsafe/model/version.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::model {

/// How a migration is laid out on disk (docs/migrations.md).
enum class Layout {
    migsafe,        ///< `0001_name.sql`
    flyway,         ///< `V1__name.sql`, with `U1__name.sql` as its down
    golang_migrate, ///< `0001_name.up.sql` and `0001_name.down.sql`
    folders,        ///< `0001_name/up.sql` and `down.sql` (diesel)
    prisma,         ///< `20240101120000_name/migration.sql` beside `migration_lock.toml`
    dbmate, ///< `20240101120000_name.sql` with `-- migrate:up` and `-- migrate:down` sections
};

/// `migsafe`, `flyway`, `golang-migrate`, `folders`, `prisma` or `dbmate`.
MIGSAFE_API std::string_view to_string(Layout layout) noexcept;

/// Reads a layout name as `to_string` writes it; `auto` and anything else are nullopt.
MIGSAFE_API std::optional<Layout> parse_layout(std::string_view text) noexcept;

/// One SQL file of a migration (its up or its down).
struct MigrationFile {
    std::filesystem::path path; ///< the file on disk
    /// Relative to the set's directory, `/`-separated; a dbmate down section adds `#down`
    /// (its up and down share one file).
    std::string relative_path;
    /// The file's bytes. In a dbmate file, the lines of the other section are blanked (their
    /// newlines kept) so that line numbers still match the file.
    std::string text;
    std::vector<Statement> statements; ///< empty unless loaded with ParseStatements::yes
    Directives directives;
};

/// One versioned migration.
struct Migration {
    /// `0003` is 3, diesel `2024-01-01-000000` is 20240101000000, Flyway `V1.2__x` is 1.2,
    /// Flyway `R__x` is a repeatable migration.
    Version version;
    std::string name; ///< `create_professionals`
    Layout layout = Layout::migsafe;
    /// The version exactly as the file or folder name writes it (`0003`, `1_2`,
    /// `2024-01-01-000000`): what the layout's own tool records in its history.
    std::string version_as_written;
    /// The name of the file or folder that carries the version (`0003_x.sql`,
    /// `20240101120000_init` for Prisma, whose history records the folder name).
    std::string entry_name;
    MigrationFile up;
    std::optional<MigrationFile> down; ///< the undo migration, when the layout has one
};

} // namespace migsafe::model
