# Finds libpg_query (Debian: libpg-query-dev), which ships neither a CMake config nor a
# pkg-config file. Defines the imported target pg_query::pg_query.
#
# The scanner's tokens (pg_query_scan) come as a protobuf message; libpg_query holds the
# decoder (pg_query__scan_result__unpack) and the protobuf-c runtime, but its header
# pg_query/pg_query.pb-c.h includes <protobuf-c/protobuf-c.h>, which only
# libprotobuf-c-dev installs. Nothing links against libprotobuf-c itself.
find_path(pg_query_INCLUDE_DIR NAMES pg_query.h)
find_path(pg_query_PROTOBUF_C_INCLUDE_DIR NAMES protobuf-c/protobuf-c.h)
find_library(pg_query_LIBRARY NAMES pg_query)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(pg_query REQUIRED_VARS pg_query_LIBRARY pg_query_INCLUDE_DIR
    pg_query_PROTOBUF_C_INCLUDE_DIR)

if(pg_query_FOUND AND NOT TARGET pg_query::pg_query)
    add_library(pg_query::pg_query UNKNOWN IMPORTED)
    set_target_properties(pg_query::pg_query PROPERTIES
        IMPORTED_LOCATION "${pg_query_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${pg_query_INCLUDE_DIR};${pg_query_PROTOBUF_C_INCLUDE_DIR}")
endif()
mark_as_advanced(pg_query_INCLUDE_DIR pg_query_PROTOBUF_C_INCLUDE_DIR pg_query_LIBRARY)
