#pragma once

/// The `[plan]` lists of migsafe.toml as plan options.

#include <migsafe/config/config_file.hpp>
#include <migsafe/export.hpp>
#include <migsafe/plan/analyze.hpp>

namespace migsafe::config {

/// Adds `file`'s disabled rules, severity overrides and allowances to `options` (after
/// what it already holds). Cost: linear in the lists.
MIGSAFE_API void add_plan_settings(const ConfigFile& file, plan::PlanOptions& options);

} // namespace migsafe::config
