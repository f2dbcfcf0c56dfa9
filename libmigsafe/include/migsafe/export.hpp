#pragma once

/// Symbols are hidden by default; MIGSAFE_API marks what the library exports.
#if defined(MIGSAFE_STATIC)
#define MIGSAFE_API
#elif defined(MIGSAFE_BUILDING_LIBRARY)
#define MIGSAFE_API __attribute__((visibility("default")))
#else
#define MIGSAFE_API
#endif
