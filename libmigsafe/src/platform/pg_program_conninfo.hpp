#pragma once
// Private: handing a connection to pg_dump or pg_restore without putting its password on
// the command line (where any local user could read it in `ps`).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace migsafe::platform {

/// A connection split for a child program.
struct ProgramConnection {
    std::string conninfo{}; ///< key=value pairs without the password, for `--dbname=`
    std::vector<std::pair<std::string, std::string>> env{}; ///< PGPASSWORD when there was one
};

/// Splits `conninfo` (URL or key=value). Throws `db-conninfo-invalid` (password masked).
ProgramConnection program_connection(std::string_view conninfo);

} // namespace migsafe::platform
