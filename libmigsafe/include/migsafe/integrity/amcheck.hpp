#pragma once

#include <migsafe/export.hpp>

#include <string>
#include <vector>

/// pg_amcheck's verdict on a database: physical checks of every heap and B-tree index
/// (the `amcheck` extension), which an integrity scan cannot see (a corrupt index returns
/// wrong rows to queries but does not change a table's checksum).
namespace migsafe::integrity {

/// Whether to install the `amcheck` extension when the database lacks it (a write:
/// `CREATE EXTENSION amcheck`, which is why it is off by default).
enum class InstallAmcheck { no, yes };

/// Options of `run_amcheck`.
struct AmcheckOptions {
    InstallAmcheck install = InstallAmcheck::no;
    /// Also check that every heap tuple is in each index (`--heapallindexed`: slower).
    bool heap_all_indexed = true;
    /// Relations checked at the same time (`--jobs`, one connection each; at least 1).
    int jobs = 1;
};

/// What pg_amcheck found.
struct AmcheckResult {
    bool corruption_found = false;     ///< pg_amcheck exited 2
    std::vector<std::string> problems; ///< one line per problem, as pg_amcheck printed it
    std::string pg_amcheck_version;    ///< e.g. `pg_amcheck (PostgreSQL) 15.18`
};

/// Runs pg_amcheck (found like the other server programs, platform::find_pg_binaries) on
/// the database of `conninfo`, passed through libpq's environment variables so that no
/// password appears in an argument list. Throws `binary-not-found`, `amcheck-unavailable`
/// (the extension is not installed and `options.install` is no), `process-failed` (any
/// other failure of pg_amcheck, its message included). Cost: reads every table and index.
MIGSAFE_API AmcheckResult run_amcheck(const std::string& conninfo,
                                      const AmcheckOptions& options = {});

} // namespace migsafe::integrity
