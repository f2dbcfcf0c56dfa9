#include "layout_option.hpp"

#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

namespace migsafe::cli {

void add_layout_option(CLI::App& sub, std::string& target)
{
    sub.add_option("--layout", target,
                   "The layout the migration directory must have: migsafe, flyway, "
                   "golang-migrate, folders, prisma, dbmate or auto (default: auto, whichever "
                   "one it has)");
}

model::LoadOptions load_options_for(const std::string& layout)
{
    model::LoadOptions options;
    if (layout.empty() || layout == "auto") {
        return options;
    }
    options.layout = model::parse_layout(layout);
    if (!options.layout) {
        throw Error("usage-invalid-option", fmt::format("--layout: '{}' is not a layout", layout),
                    {.object = "--layout"},
                    "use migsafe, flyway, golang-migrate, folders, prisma, dbmate or auto");
    }
    return options;
}

} // namespace migsafe::cli
