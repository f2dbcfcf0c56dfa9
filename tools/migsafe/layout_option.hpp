#pragma once
// `--layout`: the layout a subcommand's migration directory must have.

#include <migsafe/model/migration_set.hpp>

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace migsafe::cli {

/// Adds `--layout LAYOUT` to `sub`, stored in `target`.
void add_layout_option(CLI::App& sub, std::string& target);

/// The load options for `--layout` (`auto` or empty: any layout). Throws
/// `usage-invalid-option` naming the option for an unknown layout.
model::LoadOptions load_options_for(const std::string& layout);

} // namespace migsafe::cli
