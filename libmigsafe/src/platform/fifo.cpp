// Named pipes with a non-blocking open (a writer that polls for its reader) and writes that
// report a closed reader instead of raising SIGPIPE.
#include "platform/fifo.hpp"

#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace migsafe::platform {
namespace {

Error write_error(const std::filesystem::path& path, int err, std::string_view what)
{
    return Error("io-write-failed",
                 fmt::format("cannot {} {}: {}", what, path.string(), std::strerror(err)),
                 {.file = path.string()});
}

/// Blocks SIGPIPE in this thread while alive; a SIGPIPE raised meanwhile (by a write to a
/// pipe whose reader is gone) is consumed before the old mask comes back.
class SigpipeBlocked {
public:
    SigpipeBlocked()
    {
        sigemptyset(&m_pipe);
        sigaddset(&m_pipe, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &m_pipe, &m_old);
    }
    SigpipeBlocked(const SigpipeBlocked&) = delete;
    SigpipeBlocked& operator=(const SigpipeBlocked&) = delete;
    ~SigpipeBlocked()
    {
        sigset_t pending;
        sigpending(&pending);
        if (sigismember(&pending, SIGPIPE) == 1) {
            timespec none{};
            sigtimedwait(&m_pipe, nullptr, &none);
        }
        pthread_sigmask(SIG_SETMASK, &m_old, nullptr);
    }

private:
    sigset_t m_pipe{};
    sigset_t m_old{};
};

} // namespace

void make_fifo(const std::filesystem::path& path)
{
    if (::mkfifo(path.c_str(), 0600) != 0) {
        throw write_error(path, errno, "create the named pipe");
    }
}

std::optional<FifoWriter> FifoWriter::open_if_read(const std::filesystem::path& path)
{
    int fd = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENXIO) { // no reader yet
            return std::nullopt;
        }
        throw write_error(path, errno, "open the named pipe");
    }
    // Writes wait for the reader from here on.
    int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
        int err = errno;
        ::close(fd);
        throw write_error(path, err, "open the named pipe");
    }
    return FifoWriter(fd, path);
}

FifoWriter::FifoWriter(FifoWriter&& other) noexcept
    : m_fd(other.m_fd)
    , m_path(std::move(other.m_path))
{
    other.m_fd = -1;
}

FifoWriter& FifoWriter::operator=(FifoWriter&& other) noexcept
{
    if (this != &other) {
        close();
        m_fd = other.m_fd;
        m_path = std::move(other.m_path);
        other.m_fd = -1;
    }
    return *this;
}

FifoWriter::~FifoWriter()
{
    close();
}

void FifoWriter::close() noexcept
{
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
}

bool FifoWriter::write(std::string_view bytes)
{
    SigpipeBlocked blocked;
    while (!bytes.empty()) {
        auto written = ::write(m_fd, bytes.data(), bytes.size());
        if (written < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EPIPE) {
                return false;
            }
            throw write_error(m_path, errno, "write to the named pipe");
        }
        bytes.remove_prefix(static_cast<std::size_t>(written));
    }
    return true;
}

} // namespace migsafe::platform
