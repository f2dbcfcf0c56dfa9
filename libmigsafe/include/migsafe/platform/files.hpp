#pragma once

#include <migsafe/export.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

/// Whole-file reads and durable private writes, shared by the library and the CLI.
namespace migsafe::platform {

/// The default cap of `read_file`: far above any migration, sum file or report.
inline constexpr std::uint64_t k_max_input_file_size = std::uint64_t{256} << 20;

/// The whole content of `path` (symbolic links followed), at most `max_size` bytes.
/// Refuses what is not a regular file without blocking (a FIFO, a device, a folder):
/// `input-not-regular-file`. Throws `input-not-found` (no such file), `input-path-invalid`
/// (a symbolic-link loop, a name too long, a part that is not a folder),
/// `input-too-large` and `io-read-failed` (any other reason), each naming the path.
MIGSAFE_API std::string read_file(const std::filesystem::path& path,
                                  std::uint64_t max_size = k_max_input_file_size);

/// Writes `content` to `path` through `path.tmp` (mode 0600): write, fsync, rename, fsync
/// the folder, so a reader never sees half a file. Only a regular file is replaced (through
/// a symbolic link, the file it names): anything else at `path` is refused with
/// `output-not-regular-file`. The temporary file is removed on every error. Throws
/// `io-write-failed`.
MIGSAFE_API void write_file_durably(const std::filesystem::path& path, std::string_view content);

} // namespace migsafe::platform
