#include <migsafe/platform/conninfo.hpp>
#include <migsafe/platform/libpq_environment.hpp>

namespace migsafe::platform {

std::vector<std::pair<std::string, std::string>> libpq_environment(std::string_view conninfo)
{
    return ConnInfo::parse(conninfo).environment();
}

} // namespace migsafe::platform
