#pragma once

#include <migsafe/export.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::platform {

/// Where to look for the PostgreSQL programs. The defaults suit everyone; tests override.
struct PgBinarySearch {
    /// Programs that must all be in the same directory for it to be chosen.
    std::vector<std::string> required{"initdb",  "pg_ctl",     "postgres",
                                      "pg_dump", "pg_restore", "psql"};
    /// The folder holding one `<major>/bin` per installed version (Debian's layout).
    std::filesystem::path versioned_root{"/usr/lib/postgresql"};
};

/// A directory of PostgreSQL programs of one major version.
struct PgBinaries {
    std::filesystem::path bindir{}; ///< holds initdb, pg_ctl, postgres, pg_dump, ...
    int major_version = 0;          ///< e.g. 15
    std::string found_by{}; ///< `MIGSAFE_PG_BINDIR`, `pg_config`, the versioned root or `PATH`

    /// The full path of program `name` in `bindir` (not checked).
    std::filesystem::path program(std::string_view name) const { return bindir / name; }
};

/// Finds the PostgreSQL programs, in this order: the directory in `MIGSAFE_PG_BINDIR`
/// (when set, it must hold them: no fallback), `pg_config --bindir`, the newest
/// `<versioned_root>/<major>/bin`, then the directory of `initdb` in `PATH`. Reads the major
/// version from `pg_ctl --version`. Throws `binary-not-found` (exit 3) with the hint
/// "apt-get install postgresql-15 or set MIGSAFE_PG_BINDIR". Cost: up to two short
/// processes (pg_config, pg_ctl --version).
MIGSAFE_API PgBinaries find_pg_binaries(const PgBinarySearch& search = {});

} // namespace migsafe::platform
