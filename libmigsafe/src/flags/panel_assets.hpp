#pragma once
// The flags panel's page (libmigsafe/src/flags/panel/), embedded at build time by
// panel/embed_assets.cmake into a generated panel_assets_data.cpp.

#include <span>
#include <string_view>

namespace migsafe::flags::detail {

struct PanelAsset {
    std::string_view name; ///< `index.html`, `panel.js`, `panel.css`
    std::string_view text;
};

/// Every embedded asset. Cost: none (static data).
std::span<const PanelAsset> panel_assets() noexcept;

} // namespace migsafe::flags::detail
