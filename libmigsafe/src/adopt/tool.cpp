// The tools' names and default history tables.
#include "model/did_you_mean.hpp"

#include <migsafe/adopt/tool.hpp>
#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

#include <array>

namespace migsafe::adopt {
namespace {

constexpr std::array k_tools{Tool::prisma, Tool::flyway, Tool::golang_migrate,
                             Tool::dbmate, Tool::rails,  Tool::diesel};
constexpr std::array<std::string_view, 6> k_names{"prisma", "flyway", "golang-migrate",
                                                  "dbmate", "rails",  "diesel"};

} // namespace

std::string_view to_string(Tool tool) noexcept
{
    return k_names.at(static_cast<std::size_t>(tool));
}

std::optional<Tool> parse_tool(std::string_view text) noexcept
{
    for (auto tool : k_tools) {
        if (text == to_string(tool)) {
            return tool;
        }
    }
    if (text == "golang_migrate" || text == "migrate") {
        return Tool::golang_migrate;
    }
    return std::nullopt;
}

Tool tool_from_option(std::string_view text, std::string_view option)
{
    if (auto tool = parse_tool(text)) {
        return *tool;
    }
    throw Error("adopt-tool-unknown",
                fmt::format("{} '{}' is not a runner migsafe knows", option, text),
                {.object = std::string(option)},
                fmt::format("{}use one of {}", model::detail::did_you_mean(text, k_names),
                            fmt::join(k_names, ", ")));
}

std::span<const Tool> all_tools() noexcept
{
    return k_tools;
}

std::string_view default_history_table(Tool tool) noexcept
{
    switch (tool) {
    case Tool::prisma:
        return "_prisma_migrations";
    case Tool::flyway:
        return "flyway_schema_history";
    case Tool::diesel:
        return "__diesel_schema_migrations";
    case Tool::golang_migrate:
    case Tool::dbmate:
    case Tool::rails:
        break;
    }
    return "schema_migrations";
}

} // namespace migsafe::adopt
