#pragma once

/// The other migration runners whose history migsafe can read, adopt and keep writing
/// (docs/adopt.md).

#include <migsafe/export.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace migsafe::adopt {

/// A migration runner other than migsafe.
enum class Tool {
    prisma,         ///< `prisma migrate deploy`: `_prisma_migrations`
    flyway,         ///< Flyway: `flyway_schema_history`
    golang_migrate, ///< golang-migrate: `schema_migrations(version bigint, dirty boolean)`
    dbmate,         ///< dbmate: `schema_migrations(version varchar)`
    rails,          ///< Rails: `schema_migrations(version varchar)` + `ar_internal_metadata`
    diesel,         ///< diesel: `__diesel_schema_migrations(version varchar(50), run_on)`
};

/// `prisma`, `flyway`, `golang-migrate`, `dbmate`, `rails`, `diesel`.
MIGSAFE_API std::string_view to_string(Tool tool) noexcept;

/// Reads a tool name as `to_string` writes it (`golang_migrate` and `migrate` are accepted
/// too); nullopt for anything else.
MIGSAFE_API std::optional<Tool> parse_tool(std::string_view text) noexcept;

/// Like `parse_tool`, but throws `adopt-tool-unknown` naming `option` (e.g. `--from`), with
/// "did you mean" and the list of tools.
MIGSAFE_API Tool tool_from_option(std::string_view text, std::string_view option);

/// Every tool, in the order above.
MIGSAFE_API std::span<const Tool> all_tools() noexcept;

/// The name of the tool's history table when it is not configured otherwise.
MIGSAFE_API std::string_view default_history_table(Tool tool) noexcept;

} // namespace migsafe::adopt
