# Installs libmigsafe for other deploy tools: headers, the exported migsafe::migsafe target
# with migsafe-config.cmake (which finds its own link-time dependencies), a version file,
# and migsafe.pc for pkg-config users.
include(CMakePackageConfigHelpers)

set(MIGSAFE_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/migsafe)

install(TARGETS migsafe
    EXPORT migsafe-targets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
    INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/libmigsafe/include/migsafe
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_BINARY_DIR}/libmigsafe/include/migsafe
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT migsafe-targets
    NAMESPACE migsafe::
    DESTINATION ${MIGSAFE_CMAKE_DIR})
install(FILES ${PROJECT_SOURCE_DIR}/cmake/Findpg_query.cmake DESTINATION ${MIGSAFE_CMAKE_DIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/migsafe-config.cmake.in
    ${PROJECT_BINARY_DIR}/migsafe-config.cmake
    INSTALL_DESTINATION ${MIGSAFE_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/migsafe-config-version.cmake
    COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/migsafe-config.cmake
    ${PROJECT_BINARY_DIR}/migsafe-config-version.cmake
    DESTINATION ${MIGSAFE_CMAKE_DIR})

# Build-tree export, so a sibling project can use this build without installing.
export(EXPORT migsafe-targets NAMESPACE migsafe::
    FILE ${PROJECT_BINARY_DIR}/migsafe-targets.cmake)

# Relocatable: the prefix is found relative to the .pc file itself.
file(RELATIVE_PATH MIGSAFE_PC_RELATIVE_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
configure_file(${PROJECT_SOURCE_DIR}/cmake/migsafe.pc.in ${PROJECT_BINARY_DIR}/migsafe.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/migsafe.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
