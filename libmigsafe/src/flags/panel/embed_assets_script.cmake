# cmake -DOUTPUT=FILE.cpp -DASSETS=a.html;b.js -P embed_assets_script.cmake
# Writes FILE.cpp defining migsafe::flags::detail::panel_assets(): each asset's name and
# text as a raw string literal (readable in the build folder, no escaping).
set(delimiter "migsafe_asset")
set(entries "")
foreach(asset IN LISTS ASSETS)
    get_filename_component(name ${asset} NAME)
    file(READ ${asset} text)
    string(FIND "${text}" ")${delimiter}\"" clash)
    if(NOT clash EQUAL -1)
        message(FATAL_ERROR "${asset} contains )${delimiter}\", which ends a raw string")
    endif()
    string(APPEND entries "    {\"${name}\", R\"${delimiter}(${text})${delimiter}\"},\n")
endforeach()
file(WRITE ${OUTPUT}
"// Generated from libmigsafe/src/flags/panel/ by embed_assets_script.cmake: do not edit.
#include \"flags/panel_assets.hpp\"

namespace migsafe::flags::detail {

std::span<const PanelAsset> panel_assets() noexcept
{
    static constexpr PanelAsset k_assets[] = {
${entries}    };
    return k_assets;
}

} // namespace migsafe::flags::detail
")
