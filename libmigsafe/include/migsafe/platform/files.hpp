#pragma once

#include <migsafe/export.hpp>

#include <filesystem>
#include <string>
#include <string_view>

/// Whole-file reads and durable private writes, shared by the library and the CLI.
namespace migsafe::platform {

/// The whole content of `path`. Throws `io-read-failed` naming the path and the reason.
MIGSAFE_API std::string read_file(const std::filesystem::path& path);

/// Writes `content` to `path` through `path.tmp` (mode 0600): write, fsync, rename, fsync
/// the folder, so a reader never sees half a file. Throws `io-write-failed`.
MIGSAFE_API void write_file_durably(const std::filesystem::path& path, std::string_view content);

} // namespace migsafe::platform
