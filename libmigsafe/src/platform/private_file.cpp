#include "platform/private_file.hpp"

#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
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

} // namespace

PrivateFile::PrivateFile(const std::filesystem::path& path)
    : m_path(path)
    , m_fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600))
{
    if (m_fd < 0) {
        fail_write(path, errno);
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
    auto temp = path;
    temp += ".tmp";
    PrivateFile file(temp);
    file.write(content);
    file.commit();
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        fail_write(path, errno);
    }
    sync_dir(path.parent_path().empty() ? "." : path.parent_path());
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

std::string read_file(const std::filesystem::path& path)
{
    // Plain read(2): a plan reads thousands of small files, and a stream's buffers and
    // locale cost more than the read itself.
    const auto fail = [&path](int error) {
        throw Error("io-read-failed",
                    fmt::format("cannot read {}: {}", path.string(), std::strerror(error)),
                    {.file = path.string()});
    };
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fail(errno);
    }
    struct stat info {};
    std::string text;
    if (::fstat(fd, &info) == 0 && info.st_size > 0) {
        text.reserve(static_cast<std::size_t>(info.st_size));
    }
    std::array<char, 65536> buffer{};
    for (;;) {
        const ssize_t got = ::read(fd, buffer.data(), buffer.size());
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            const int error = errno;
            ::close(fd);
            fail(error);
        }
        if (got == 0) {
            break;
        }
        text.append(buffer.data(), static_cast<std::size_t>(got));
    }
    ::close(fd);
    return text;
}

} // namespace migsafe::platform
