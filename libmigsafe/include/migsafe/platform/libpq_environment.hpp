#pragma once

#include <migsafe/export.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace migsafe::platform {

/// The libpq environment variables (`PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`,
/// `PGDATABASE`, `PGSSLMODE`, ...) that say the same as `conninfo` (key=value or URL), for
/// PostgreSQL programs that take no connection string (pg_amcheck, and pg_dump without
/// `-d`). Passing the password this way keeps it out of every argument list. Throws
/// `db-conninfo-invalid` (password masked). Cost: parsing only, no connection.
MIGSAFE_API std::vector<std::pair<std::string, std::string>>
libpq_environment(std::string_view conninfo);

} // namespace migsafe::platform
