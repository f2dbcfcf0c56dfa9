#pragma once
// Which table each data file of a pg_dump directory archive loads, from `pg_restore -l`.

#include <map>
#include <string>
#include <string_view>

namespace migsafe::snapshot::detail {

/// The table a `TABLE DATA` entry of the archive loads.
struct ArchiveTable {
    std::string schema{};
    std::string name{};
    friend bool operator==(const ArchiveTable&, const ArchiveTable&) = default;
};

/// Reads the table of contents `pg_restore -l` prints and returns, per data file name
/// (`3345.dat`: the directory format names a TABLE DATA entry's file after its dump id),
/// the table it loads. pg_restore prints names unquoted, separated by spaces: an entry
/// whose schema, table or owner holds a space cannot be read unambiguously and is left
/// out (the caller then treats that file like any other). Pure.
std::map<std::string, ArchiveTable> table_data_files(std::string_view listing);

} // namespace migsafe::snapshot::detail
