#pragma once

#include <migsafe/export.hpp>
#include <migsafe/model/directive.hpp>
#include <migsafe/model/statement.hpp>

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
    folders,        ///< `0001_name/up.sql` and `down.sql` (dbmate, diesel)
};

/// `migsafe`, `flyway`, `golang-migrate` or `folders`.
MIGSAFE_API std::string_view to_string(Layout layout) noexcept;

/// One SQL file of a migration (its up or its down).
struct MigrationFile {
    std::filesystem::path path; ///< as found (the set's directory joined with `relative_path`)
    std::string relative_path;  ///< relative to the set's directory, `/`-separated
    std::string text;           ///< the file's bytes
    std::vector<Statement> statements; ///< empty unless loaded with ParseStatements::yes
    Directives directives;
};

/// One versioned migration.
struct Migration {
    std::uint64_t version =
        0;            ///< numeric: `0003` is 3, diesel `2024-01-01-000000` is 20240101000000
    std::string name; ///< `create_professionals`
    Layout layout = Layout::migsafe;
    MigrationFile up;
    std::optional<MigrationFile> down; ///< the undo migration, when the layout has one
};

} // namespace migsafe::model
