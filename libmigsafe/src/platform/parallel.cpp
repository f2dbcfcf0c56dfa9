// platform::usable_cores: the affinity mask, not the machine's CPU count.
#include "platform/parallel.hpp"

#include <algorithm>
#include <thread>

#include <sched.h>

namespace migsafe::platform {

int usable_cores() noexcept
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof(set), &set) == 0) {
        return std::max(1, CPU_COUNT(&set));
    }
    return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

} // namespace migsafe::platform
