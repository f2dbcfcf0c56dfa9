#pragma once
// Private: handing a connection to pg_dump, pg_restore or pg_amcheck without putting its
// password on the command line (where any local user could read it in `ps`).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace migsafe::platform {

/// A connection split for a child program.
struct ProgramConnection {
    std::string conninfo{}; ///< key=value pairs without the password, for `--dbname=`
    /// PGPASSWORD when there was a password: in `conninfo` (or a URL or key=value string
    /// given as its dbname, which libpq expands), else in this process's PGPASSWORD.
    std::vector<std::pair<std::string, std::string>> env{};
};

/// Splits `conninfo` (URL or key=value). Throws `db-conninfo-invalid` (password masked).
ProgramConnection program_connection(std::string_view conninfo);

/// One connection setting: libpq's keyword, its environment variable (empty when it has
/// none) and the value.
struct ConnectionSetting {
    std::string keyword{};
    std::string envvar{};
    std::string value{};
};

/// The settings `conninfo` gives, with a `dbname` that is itself a URL or key=value string
/// expanded the way libpq does (its settings override the others). Throws
/// `db-conninfo-invalid` (password masked).
std::vector<ConnectionSetting> connection_settings(std::string_view conninfo);

} // namespace migsafe::platform
