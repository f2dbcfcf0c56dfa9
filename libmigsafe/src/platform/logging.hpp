#pragma once
// Private: the library's own logging calls. Messages are fmt format strings.

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace migsafe::detail {

/// The `migsafe` spdlog logger (created on first use, stderr sink, level warn).
spdlog::logger& logger();

template <typename... Args>
void log_debug(fmt::format_string<Args...> format, Args&&... args)
{
    logger().debug(format, std::forward<Args>(args)...);
}
template <typename... Args>
void log_info(fmt::format_string<Args...> format, Args&&... args)
{
    logger().info(format, std::forward<Args>(args)...);
}
template <typename... Args>
void log_warn(fmt::format_string<Args...> format, Args&&... args)
{
    logger().warn(format, std::forward<Args>(args)...);
}
template <typename... Args>
void log_error(fmt::format_string<Args...> format, Args&&... args)
{
    logger().error(format, std::forward<Args>(args)...);
}

} // namespace migsafe::detail
