# Every third-party dependency is found here and becomes an imported target. Nothing is
# downloaded: all of them come from Debian 12's packages (scripts/install-deps.sh).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

# libpq is used directly (docs/toolchain.md #7, #8).
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
# xxHash: header-only, see migsafe_use_xxhash in Warnings.cmake.
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)
find_package(pg_query REQUIRED)
find_package(zstd CONFIG REQUIRED)
find_package(fmt CONFIG REQUIRED)
find_package(spdlog CONFIG REQUIRED)
find_package(nlohmann_json CONFIG REQUIRED)
# toml++ reads migsafe.toml; used header-only in one .cpp (docs/toolchain.md #14).
find_package(tomlplusplus 3 CONFIG REQUIRED)
# Boost.Process is header-only but its path API needs Boost.Filesystem (docs/toolchain.md #2).
find_package(Boost 1.74 CONFIG REQUIRED COMPONENTS filesystem)
# cpp-httplib serves the flags panel (migsafe flag serve). Debian's package splits it: the
# header declares, libcpp-httplib.so defines, and the .pc's -D flags (OpenSSL, zlib,
# Brotli) must match the library's build or the classes' layouts differ.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)

if(MIGSAFE_BUILD_TOOLS)
    find_package(CLI11 CONFIG REQUIRED)
endif()
if(MIGSAFE_BUILD_TESTS)
    find_package(doctest CONFIG REQUIRED)
endif()
