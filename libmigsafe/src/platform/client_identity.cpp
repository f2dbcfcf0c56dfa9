#include "platform/client_identity.hpp"

#include <climits>

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace migsafe::platform {

std::string host_name()
{
    char name[HOST_NAME_MAX + 1] = {};
    return gethostname(name, sizeof name) == 0 ? std::string(name) : std::string();
}

std::string os_user()
{
    if (const passwd* entry = getpwuid(geteuid()); entry != nullptr) {
        return entry->pw_name;
    }
    const char* user = std::getenv("USER");
    return user == nullptr ? std::string() : std::string(user);
}

} // namespace migsafe::platform
