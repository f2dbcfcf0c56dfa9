# The flags panel's page: index.html, panel.js and panel.css in this folder are real files
# (edit them, reload, no build step of their own), embedded into libmigsafe as string
# constants by embed_assets_script.cmake each time one of them changes.
set(MIGSAFE_PANEL_ASSETS
    ${CMAKE_CURRENT_LIST_DIR}/index.html
    ${CMAKE_CURRENT_LIST_DIR}/panel.js
    ${CMAKE_CURRENT_LIST_DIR}/panel.css)
set(MIGSAFE_PANEL_ASSETS_CPP ${CMAKE_CURRENT_BINARY_DIR}/generated/panel_assets_data.cpp)
add_custom_command(
    OUTPUT ${MIGSAFE_PANEL_ASSETS_CPP}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${MIGSAFE_PANEL_ASSETS_CPP}
        "-DASSETS=${MIGSAFE_PANEL_ASSETS}"
        -P ${CMAKE_CURRENT_LIST_DIR}/embed_assets_script.cmake
    DEPENDS ${MIGSAFE_PANEL_ASSETS} ${CMAKE_CURRENT_LIST_DIR}/embed_assets_script.cmake
    COMMENT "Embedding the flags panel's page"
    VERBATIM)
target_sources(migsafe PRIVATE ${MIGSAFE_PANEL_ASSETS_CPP})
