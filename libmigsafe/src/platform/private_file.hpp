#pragma once
// Private: files only their owner can read (0600), written durably (fsync, then rename),
// and folders only their owner can enter (0700). Every failure becomes a migsafe::Error
// (`io-write-failed`, naming the path and the system's reason, e.g. no space left).

#include <migsafe/platform/files.hpp>

#include <filesystem>
#include <string>
#include <string_view>

namespace migsafe::platform {

/// A new file (truncated if it exists), mode 0600, written in pieces and fsynced by
/// `commit()`. Closed without commit, it is left as is (the caller removes it).
class PrivateFile {
public:
    explicit PrivateFile(const std::filesystem::path& path);
    ~PrivateFile();
    PrivateFile(const PrivateFile&) = delete;
    PrivateFile& operator=(const PrivateFile&) = delete;
    PrivateFile(PrivateFile&& other) noexcept;
    PrivateFile& operator=(PrivateFile&&) = delete;

    /// Writes all of `data`. Throws `io-write-failed`.
    void write(std::string_view data);
    /// fsync and close. Throws `io-write-failed`.
    void commit();

private:
    std::filesystem::path m_path;
    int m_fd = -1;
};

/// Creates `path` (and missing parents) with mode 0700, or tightens an existing folder
/// to 0700. Throws `io-write-failed`.
void make_private_dir(const std::filesystem::path& path);

/// Appends `line` and a newline to `path` (created 0600) in one write, then fsyncs.
/// Throws `io-write-failed`.
void append_line(const std::filesystem::path& path, std::string_view line);

/// fsyncs a folder so that renames in it survive a crash. Throws `io-write-failed`.
void sync_dir(const std::filesystem::path& path);

} // namespace migsafe::platform
