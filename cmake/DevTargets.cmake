# Developer targets: format, check-format, tidy. `check` (tests/CMakeLists.txt) runs ctest.
file(GLOB_RECURSE MIGSAFE_FORMAT_FILES CONFIGURE_DEPENDS
    ${PROJECT_SOURCE_DIR}/libmigsafe/*.cpp ${PROJECT_SOURCE_DIR}/libmigsafe/*.hpp
    ${PROJECT_SOURCE_DIR}/tools/*.cpp ${PROJECT_SOURCE_DIR}/tools/*.hpp
    ${PROJECT_SOURCE_DIR}/tests/*.cpp ${PROJECT_SOURCE_DIR}/tests/*.hpp
    ${PROJECT_SOURCE_DIR}/bench/*.cpp ${PROJECT_SOURCE_DIR}/bench/*.hpp)

find_program(MIGSAFE_CLANG_FORMAT NAMES clang-format-14 clang-format)
if(MIGSAFE_CLANG_FORMAT)
    add_custom_target(format
        COMMAND ${MIGSAFE_CLANG_FORMAT} -i ${MIGSAFE_FORMAT_FILES}
        WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
        COMMENT "clang-format -i")
    add_custom_target(check-format
        COMMAND ${MIGSAFE_CLANG_FORMAT} --dry-run -Werror ${MIGSAFE_FORMAT_FILES}
        WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
        COMMENT "clang-format --dry-run -Werror")
endif()

find_program(MIGSAFE_CLANG_TIDY NAMES clang-tidy-14 clang-tidy)
if(MIGSAFE_CLANG_TIDY)
    file(GLOB_RECURSE MIGSAFE_TIDY_FILES CONFIGURE_DEPENDS
        ${PROJECT_SOURCE_DIR}/libmigsafe/src/*.cpp ${PROJECT_SOURCE_DIR}/tools/*.cpp)
    add_custom_target(tidy
        COMMAND ${MIGSAFE_CLANG_TIDY} -p ${PROJECT_BINARY_DIR} ${MIGSAFE_TIDY_FILES}
        WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
        COMMENT "clang-tidy")
endif()
