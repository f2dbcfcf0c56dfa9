#pragma once

#include <migsafe/export.hpp>

namespace migsafe::detail {
/// Throws `internal-assertion` naming the failed condition and where it is.
[[noreturn]] MIGSAFE_API void assertion_failed(const char* condition, const char* file, int line);
} // namespace migsafe::detail

/// For bugs only: stays on in release builds; the CLI turns it into exit 70.
#define MIGSAFE_ASSERT(condition)                                                                  \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            ::migsafe::detail::assertion_failed(#condition, __FILE__, __LINE__);                   \
        }                                                                                          \
    } while (false)
