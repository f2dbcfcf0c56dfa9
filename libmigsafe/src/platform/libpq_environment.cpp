#include "platform/pg_program_conninfo.hpp"

#include <migsafe/platform/libpq_environment.hpp>

#include <cstdlib>

namespace migsafe::platform {

std::vector<std::pair<std::string, std::string>> libpq_environment(std::string_view conninfo)
{
    std::vector<std::pair<std::string, std::string>> env;
    bool password = false;
    for (const auto& setting : connection_settings(conninfo)) {
        if (!setting.envvar.empty() && !setting.value.empty()) {
            env.emplace_back(setting.envvar, setting.value);
            password = password || setting.envvar == "PGPASSWORD";
        }
    }
    // Children do not inherit PGPASSWORD (process.hpp): the one that connects gets it here.
    if (const char* value = std::getenv("PGPASSWORD"); !password && value != nullptr) {
        env.emplace_back("PGPASSWORD", value);
    }
    return env;
}

} // namespace migsafe::platform
