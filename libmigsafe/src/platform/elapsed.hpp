#pragma once
// Private: the wall time since a point of the steady clock, in whole milliseconds, the
// unit of every `*_ms` field of migsafe's reports.

#include <chrono>
#include <cstdint>

namespace migsafe::platform {

inline std::int64_t ms_since(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 start)
        .count();
}

} // namespace migsafe::platform
