// The trace's scratch copy of a live schema (see schema_copy.hpp).
#include "trace/schema_copy.hpp"

#include "platform/catalog/session_settings.hpp"
#include "platform/logging.hpp"

#include <migsafe/platform/conninfo.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/pg_binaries.hpp>
#include <migsafe/platform/process.hpp>

#include <fmt/format.h>

#include <sstream>

namespace migsafe::trace::detail {

void copy_schema(const std::string& source, platform::Session& scratch)
{
    auto binaries = platform::find_pg_binaries({.required = {"pg_dump"}});
    const auto conninfo = platform::ConnInfo::parse(source);
    auto connection = conninfo.for_program();
    auto dumped =
        platform::run_process({.program = binaries.program("pg_dump").string(),
                               .args = {"--schema-only", "--no-owner", "--no-privileges",
                                        "--format=plain", "--dbname=" + connection.conninfo},
                               .env = connection.env,
                               .timeout = std::chrono::minutes(10)});
    migsafe::detail::log_info("trace: schema of {} dumped ({} bytes)", conninfo.masked(),
                              dumped.out.size());
    // Recent pg_dump releases wrap a plain dump in psql meta-commands (`\restrict KEY` ...
    // `\unrestrict KEY`); a schema-only dump has no other line starting with a backslash.
    std::string sql;
    std::istringstream lines(dumped.out);
    for (std::string line; std::getline(lines, line);) {
        if (line.empty() || line.front() != '\\') {
            sql += line;
            sql += '\n';
        }
    }
    try {
        scratch.exec(sql);
    } catch (const Error& error) {
        throw Error("trace-schema-copy-failed",
                    fmt::format("the schema of {} does not replay on the scratch cluster: {}",
                                conninfo.masked(), error.message()),
                    {.object = "--db", .sqlstate = error.context().sqlstate});
    }
    // The dump empties search_path for its session; the migrations expect the default.
    platform::catalog::reset_session_settings(scratch);
}

} // namespace migsafe::trace::detail
