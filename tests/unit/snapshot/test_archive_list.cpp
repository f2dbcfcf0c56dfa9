// snapshot::detail::table_data_files: which table each data file of a directory archive loads.
#include "snapshot/archive_list.hpp"

#include <doctest/doctest.h>

using migsafe::snapshot::detail::ArchiveTable;
using migsafe::snapshot::detail::table_data_files;

TEST_CASE("table_data_files maps each TABLE DATA entry's file to its table and skips the rest")
{
    const char* listing = ";\n"
                          "; Archive created at 2026-12-07 01:20:08 UTC\n"
                          ";     dbname: src\n"
                          "215; 1259 16390 TABLE public items postgres\n"
                          "3345; 0 16390 TABLE DATA public items postgres\n"
                          "3346; 0 16400 TABLE DATA sales order_lines -\n"
                          "3347; 0 16410 TABLE DATA public my table postgres\n"
                          "3350; 0 0 SEQUENCE SET public notes_id_seq postgres\n"
                          "3200; 2606 16420 CONSTRAINT public items items_pkey postgres\n";
    auto files = table_data_files(listing);
    REQUIRE(files.size() == 2);
    CHECK(files.at("3345.dat") == ArchiveTable{.schema = "public", .name = "items"});
    CHECK(files.at("3346.dat") == ArchiveTable{.schema = "sales", .name = "order_lines"});
    // A name holding a space cannot be told from the owner: left out, not guessed.
    CHECK(files.count("3347.dat") == 0);
    CHECK(table_data_files("").empty());
}
