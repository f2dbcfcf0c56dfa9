// Prisma's `migration_lock.toml`: which database the migrations were written for.
#include "model/layout.hpp"

#include <migsafe/platform/error.hpp>

#include <toml++/toml.h>

namespace migsafe::model::detail {

std::string prisma_provider(std::string_view text, const std::filesystem::path& file)
{
    toml::table table;
    try {
        table = toml::parse(text, file.string());
    } catch (const toml::parse_error& error) {
        throw Error("migration-layout-invalid",
                    "Prisma's lock file is not TOML: " + std::string(error.description()),
                    {.file = file.string(), .line = static_cast<int>(error.source().begin.line)},
                    "restore migration_lock.toml from version control");
    }
    const auto provider = table["provider"].value<std::string>();
    if (!provider) {
        throw Error("migration-layout-invalid", "Prisma's lock file has no `provider`",
                    {.file = file.string()}, "restore migration_lock.toml from version control");
    }
    return *provider;
}

} // namespace migsafe::model::detail
