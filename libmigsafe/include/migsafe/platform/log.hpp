#pragma once

#include <migsafe/export.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

/// The library never prints: it logs through spdlog's `migsafe` logger (stderr, level
/// `warn` by default), or through a callback for hosts that do not use spdlog.
namespace migsafe::log {

enum class Level { trace, debug, info, warn, error, off };

/// A standard-library-only sink: receives every message at or above the level.
using Callback = std::function<void(Level level, std::string_view message)>;

/// Sets the level of the `migsafe` logger. Thread-safe.
MIGSAFE_API void set_level(Level level);

/// The current level.
MIGSAFE_API Level level();

/// Replaces the stderr sink by `callback` (an empty callback restores stderr).
MIGSAFE_API void set_callback(Callback callback);

/// Also writes every message to `path` (appending). Throws `io-write-failed`.
MIGSAFE_API void add_file(const std::string& path);

/// Parses `trace|debug|info|warn|error|off`; nullopt for anything else.
MIGSAFE_API std::optional<Level> parse_level(std::string_view text);

/// The name of a level, as `parse_level` reads it.
MIGSAFE_API std::string_view to_string(Level level);

} // namespace migsafe::log
