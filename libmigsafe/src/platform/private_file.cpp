#include "platform/private_file.hpp"

#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string_view>
#include <utility>

namespace migsafe::platform {
namespace {

[[noreturn]] void fail_write(const std::filesystem::path& path, int error)
{
    throw Error("io-write-failed",
                fmt::format("cannot write {}: {}", path.string(), std::strerror(error)),
                {.file = path.string()});
}

void sync_fd(int fd, const std::filesystem::path& path)
{
    if (::fsync(fd) != 0 && errno != EINVAL) {
        fail_write(path, errno);
    }
}

std::string_view kind_of(mode_t mode)
{
    if (S_ISDIR(mode)) {
        return "a directory";
    }
    if (S_ISFIFO(mode)) {
        return "a FIFO";
    }
    if (S_ISCHR(mode)) {
        return "a character device";
    }
    if (S_ISBLK(mode)) {
        return "a block device";
    }
    if (S_ISSOCK(mode)) {
        return "a socket";
    }
    if (S_ISLNK(mode)) {
        return "a symbolic link";
    }
    return "not a regular file";
}

[[noreturn]] void refuse_output(const std::filesystem::path& path, mode_t mode)
{
    throw Error("output-not-regular-file",
                fmt::format("refusing to write {}: it is {}, not a regular file", path.string(),
                            kind_of(mode)),
                {.file = path.string()});
}

/// Refuses to write over `path` when it exists (symbolic links followed) and is not a
/// regular file: a device, FIFO or folder is never replaced or written into.
void require_regular_or_absent(const std::filesystem::path& path)
{
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode)) {
        refuse_output(path, info.st_mode);
    }
}

/// Errors of open(2) or stat(2) on an input path, by kind: a missing file and an
/// unresolvable path are bad input (exit 2), anything else the environment (exit 3).
[[noreturn]] void fail_read(const std::filesystem::path& path, int error)
{
    const auto message = fmt::format("cannot read {}: {}", path.string(), std::strerror(error));
    switch (error) {
    case ENOENT:
        throw Error("input-not-found", message, {.file = path.string()});
    case ELOOP:
    case ENAMETOOLONG:
    case ENOTDIR:
        throw Error("input-path-invalid", message, {.file = path.string()});
    default:
        throw Error("io-read-failed", message, {.file = path.string()});
    }
}

} // namespace

PrivateFile::PrivateFile(const std::filesystem::path& path)
    : m_path(path)
{
    require_regular_or_absent(path);
    // O_NONBLOCK: should a FIFO appear between the check and the open, the open fails
    // instead of waiting for a reader; fstat then refuses whatever is not a regular file.
    m_fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NONBLOCK, 0600);
    if (m_fd < 0) {
        fail_write(path, errno);
    }
    struct stat info {};
    if (::fstat(m_fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        ::close(std::exchange(m_fd, -1));
        refuse_output(path, info.st_mode);
    }
    ::fchmod(m_fd, 0600);
}

PrivateFile::~PrivateFile()
{
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

PrivateFile::PrivateFile(PrivateFile&& other) noexcept
    : m_path(std::move(other.m_path))
    , m_fd(std::exchange(other.m_fd, -1))
{
}

void PrivateFile::write(std::string_view data)
{
    while (!data.empty()) {
        ssize_t n = ::write(m_fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            fail_write(m_path, errno);
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

void PrivateFile::commit()
{
    sync_fd(m_fd, m_path);
    int fd = std::exchange(m_fd, -1);
    if (::close(fd) != 0) {
        fail_write(m_path, errno);
    }
}

void make_private_dir(const std::filesystem::path& path)
{
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec) {
        fail_write(path, ec.value());
    }
    if (::chmod(path.c_str(), 0700) != 0) {
        fail_write(path, errno);
    }
}

void sync_dir(const std::filesystem::path& path)
{
    int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        fail_write(path, errno);
    }
    int rc = ::fsync(fd);
    int error = errno;
    ::close(fd);
    if (rc != 0 && error != EINVAL) {
        fail_write(path, error);
    }
}

void write_file_durably(const std::filesystem::path& path, std::string_view content)
{
    // The rename would replace whatever `path` is, a device node or a symbolic link
    // included: only a regular file (or nothing) is replaced, and through a symbolic link
    // the file it names is, so the link stays.
    require_regular_or_absent(path);
    struct stat info {};
    auto target = path;
    if (::lstat(path.c_str(), &info) == 0 && S_ISLNK(info.st_mode)) {
        std::error_code ec;
        target = std::filesystem::weakly_canonical(path, ec);
        if (ec) {
            fail_write(path, ec.value());
        }
    }
    auto temp = target;
    temp += ".tmp";
    if (::lstat(temp.c_str(), &info) == 0 && !S_ISREG(info.st_mode)) {
        refuse_output(temp, info.st_mode);
    }
    try {
        PrivateFile file(temp);
        file.write(content);
        file.commit();
        if (::rename(temp.c_str(), target.c_str()) != 0) {
            fail_write(path, errno);
        }
    } catch (...) {
        ::unlink(temp.c_str());
        throw;
    }
    sync_dir(target.parent_path().empty() ? "." : target.parent_path());
}

void append_line(const std::filesystem::path& path, std::string_view line)
{
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) {
        fail_write(path, errno);
    }
    std::string text(line);
    text += '\n';
    // O_APPEND makes each write land at the end; one write keeps a line whole.
    ssize_t n = ::write(fd, text.data(), text.size());
    int error = errno;
    if (n == static_cast<ssize_t>(text.size())) {
        n = ::fsync(fd) == 0 ? n : -1;
        error = errno;
    }
    ::close(fd);
    if (n != static_cast<ssize_t>(text.size())) {
        fail_write(path, n < 0 ? error : ENOSPC);
    }
}

std::string read_file(const std::filesystem::path& path, std::uint64_t max_size)
{
    // Plain read(2): a plan reads thousands of small files, and a stream's buffers and
    // locale cost more than the read itself. O_NONBLOCK: opening a FIFO must not wait for
    // a writer; fstat then refuses it (and devices, folders, sockets) before any read.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        fail_read(path, errno);
    }
    struct stat info {};
    if (::fstat(fd, &info) != 0) {
        const int error = errno;
        ::close(fd);
        fail_read(path, error);
    }
    if (!S_ISREG(info.st_mode)) {
        ::close(fd);
        throw Error("input-not-regular-file",
                    fmt::format("cannot read {}: it is {}, not a regular file", path.string(),
                                kind_of(info.st_mode)),
                    {.file = path.string()});
    }
    const auto too_large = [&path, max_size, fd] {
        ::close(fd);
        throw Error("input-too-large",
                    fmt::format("cannot read {}: it is larger than the limit of {} bytes",
                                path.string(), max_size),
                    {.file = path.string()});
    };
    if (static_cast<std::uint64_t>(info.st_size) > max_size) {
        too_large();
    }
    std::string text;
    text.reserve(static_cast<std::size_t>(info.st_size));
    std::array<char, 65536> buffer{};
    for (;;) {
        const ssize_t got = ::read(fd, buffer.data(), buffer.size());
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            const int error = errno;
            ::close(fd);
            fail_read(path, error);
        }
        if (got == 0) {
            break;
        }
        text.append(buffer.data(), static_cast<std::size_t>(got));
        if (text.size() > max_size) { // the file grew while it was read
            too_large();
        }
    }
    ::close(fd);
    return text;
}

} // namespace migsafe::platform
