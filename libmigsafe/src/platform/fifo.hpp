#pragma once
// Named pipes: how the drill hands decompressed archive files to pg_restore without
// writing them to disk first. POSIX only (mkfifo, open with O_NONBLOCK).

#include <filesystem>
#include <optional>
#include <string_view>

namespace migsafe::platform {

/// Creates the named pipe `path`, readable and writable by its owner only. Throws
/// `io-write-failed` naming the path.
void make_fifo(const std::filesystem::path& path);

/// The write end of a named pipe, closed on destruction.
class FifoWriter {
public:
    /// Opens `path` for writing if a reader has it open now; nullopt if none has (the
    /// call never waits). Throws `io-write-failed` for any other failure.
    static std::optional<FifoWriter> open_if_read(const std::filesystem::path& path);

    FifoWriter(FifoWriter&& other) noexcept;
    FifoWriter& operator=(FifoWriter&& other) noexcept;
    FifoWriter(const FifoWriter&) = delete;
    FifoWriter& operator=(const FifoWriter&) = delete;
    ~FifoWriter();

    /// Writes all of `bytes`, waiting for the reader. Returns false when the reader has
    /// closed its end (the bytes not written are dropped); SIGPIPE is never raised.
    /// Throws `io-write-failed` for any other failure.
    bool write(std::string_view bytes);

    /// Closes the write end: the reader sees the end of the file.
    void close() noexcept;

private:
    FifoWriter(int fd, std::filesystem::path path)
        : m_fd(fd)
        , m_path(std::move(path))
    {
    }
    int m_fd = -1;
    std::filesystem::path m_path;
};

} // namespace migsafe::platform
