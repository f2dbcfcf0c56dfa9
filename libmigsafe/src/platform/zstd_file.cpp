// One read per file: bytes go through XXH3 on both sides of zstd's streaming API.
#include "platform/zstd_file.hpp"

#include "platform/column_layout.hpp"
#include "platform/private_file.hpp"

#include <migsafe/platform/error.hpp>

#include <fmt/format.h>
#include <zstd.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <thread>
#include <vector>

namespace migsafe::platform {
namespace {

struct CctxFree {
    void operator()(ZSTD_CCtx* ctx) const { ZSTD_freeCCtx(ctx); }
};
struct DctxFree {
    void operator()(ZSTD_DCtx* ctx) const { ZSTD_freeDCtx(ctx); }
};

std::ifstream open_input(const std::filesystem::path& path)
{
    // Opening a FIFO would wait for a writer, and a device would be read forever: only a
    // regular file (symbolic links followed) is read.
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode)) {
        throw Error("input-not-regular-file",
                    fmt::format("cannot read {}: it is not a regular file", path.string()),
                    {.file = path.string()});
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw Error("io-read-failed",
                    fmt::format("cannot read {}: {}", path.string(), std::strerror(errno)),
                    {.file = path.string()});
    }
    return in;
}

std::size_t read_some(std::ifstream& in, std::vector<char>& buffer)
{
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    return static_cast<std::size_t>(in.gcount());
}

/// The skippable zstd frame (magic 0x184D2A5E, 17 bytes of payload) that opens a file in
/// the column layout; zstd itself skips it.
constexpr std::string_view k_columns_mark{"\x5E\x2A\x4D\x18\x11\x00\x00\x00migsafe-columns-1", 25};

/// A regular file read with read(2): unlike a stream at its end, it sees what a writer
/// appends later.
class InputFile {
public:
    explicit InputFile(const std::filesystem::path& path)
        : m_path(path)
    {
        m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (m_fd < 0) {
            throw Error("io-read-failed",
                        fmt::format("cannot read {}: {}", path.string(), std::strerror(errno)),
                        {.file = path.string()});
        }
        struct stat info {};
        if (::fstat(m_fd, &info) != 0 || !S_ISREG(info.st_mode)) {
            ::close(m_fd);
            throw Error("input-not-regular-file",
                        fmt::format("cannot read {}: it is not a regular file", path.string()),
                        {.file = path.string()});
        }
    }
    ~InputFile() { ::close(m_fd); }
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;
    InputFile(InputFile&&) = delete;
    InputFile& operator=(InputFile&&) = delete;

    std::size_t read_some(std::vector<char>& buffer)
    {
        for (;;) {
            auto got = ::read(m_fd, buffer.data(), buffer.size());
            if (got >= 0) {
                return static_cast<std::size_t>(got);
            }
            if (errno != EINTR) {
                throw Error(
                    "io-read-failed",
                    fmt::format("cannot read {}: {}", m_path.string(), std::strerror(errno)),
                    {.file = m_path.string()});
            }
        }
    }

private:
    std::filesystem::path m_path;
    int m_fd = -1;
};

std::unique_ptr<ZSTD_CCtx, CctxFree> compression_context(const CompressSettings& settings,
                                                         const std::filesystem::path& source)
{
    std::unique_ptr<ZSTD_CCtx, CctxFree> ctx(ZSTD_createCCtx());
    auto set = [&](ZSTD_cParameter parameter, int value, const char* what) {
        auto code = ZSTD_CCtx_setParameter(ctx.get(), parameter, value);
        if (ZSTD_isError(code) != 0U) {
            throw Error("io-write-failed",
                        fmt::format("cannot compress {}: zstd refuses {} {}: {}", source.string(),
                                    what, value, ZSTD_getErrorName(code)));
        }
    };
    set(ZSTD_c_compressionLevel, settings.level, "level");
    set(ZSTD_c_checksumFlag, 0, "checksum flag");
    if (settings.workers > 0) {
        set(ZSTD_c_nbWorkers, settings.workers, "workers");
    }
    if (settings.window_log > 0) {
        set(ZSTD_c_windowLog, std::min(settings.window_log, k_max_window_log), "window log");
    }
    if (settings.long_matching) {
        set(ZSTD_c_enableLongDistanceMatching, 1, "long-distance matching");
    }
    return ctx;
}

} // namespace

FileDigest compress_file(const std::filesystem::path& source, const std::filesystem::path& target,
                         int level)
{
    return compress_file(source, target, CompressSettings{.level = level});
}

FileDigest compress_file(const std::filesystem::path& source, const std::filesystem::path& target,
                         const CompressSettings& settings,
                         const std::function<bool()>& source_complete)
{
    InputFile in(source);
    PrivateFile out(target);
    auto ctx = compression_context(settings, source);
    std::vector<char> input(ZSTD_CStreamInSize());
    std::vector<char> output(ZSTD_CStreamOutSize());
    Hasher content;
    Hasher stored;
    FileDigest digest;
    auto store = [&](std::string_view chunk) {
        stored.update(chunk);
        digest.stored_size += chunk.size();
        out.write(chunk);
    };
    auto compress = [&](std::string_view data, ZSTD_EndDirective mode) {
        ZSTD_inBuffer in_buf{data.data(), data.size(), 0};
        for (;;) {
            ZSTD_outBuffer out_buf{output.data(), output.size(), 0};
            std::size_t left = ZSTD_compressStream2(ctx.get(), &out_buf, &in_buf, mode);
            if (ZSTD_isError(left) != 0U) {
                throw Error("io-write-failed",
                            fmt::format("cannot compress {}: {}", source.string(),
                                        ZSTD_getErrorName(left)));
            }
            store({output.data(), out_buf.pos});
            if (mode == ZSTD_e_end ? left == 0 : in_buf.pos == in_buf.size) {
                return;
            }
        }
    };
    const ByteSink feed = [&](std::string_view data) { compress(data, ZSTD_e_continue); };
    std::optional<ColumnEncoder> columns;
    if (settings.columns) {
        store(k_columns_mark);
        columns.emplace();
    }
    bool writer_done = !source_complete;
    for (;;) {
        std::size_t got = in.read_some(input);
        if (got > 0) {
            std::string_view chunk(input.data(), got);
            content.update(chunk);
            digest.size += got;
            if (columns) {
                columns->add(chunk, feed);
            } else {
                feed(chunk);
            }
            continue;
        }
        if (writer_done) {
            break;
        }
        // At the end of a file still being written: wait for more, or for its writer to be
        // done, after which one more pass reads what it wrote last.
        writer_done = source_complete();
        if (!writer_done) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    if (columns) {
        columns->finish(feed);
    }
    compress({}, ZSTD_e_end);
    out.commit();
    digest.content_hash = content.digest();
    digest.stored_hash = stored.digest();
    return digest;
}

StoredRead read_stored_file(const std::filesystem::path& source,
                            const std::optional<std::filesystem::path>& target)
{
    std::optional<PrivateFile> out;
    if (target) {
        out.emplace(*target);
    }
    auto result = read_stored_file(source, [&out](std::string_view chunk) {
        if (out) {
            out->write(chunk);
        }
    });
    if (out && !result.error) {
        out->commit();
    }
    return result;
}

StoredRead read_stored_file(const std::filesystem::path& source,
                            const std::function<void(std::string_view)>& sink)
{
    auto in = open_input(source);
    std::unique_ptr<ZSTD_DCtx, DctxFree> ctx(ZSTD_createDCtx());
    ZSTD_DCtx_setParameter(ctx.get(), ZSTD_d_windowLogMax, k_max_window_log);
    std::vector<char> input(ZSTD_DStreamInSize());
    std::vector<char> output(ZSTD_DStreamOutSize());
    Hasher content;
    Hasher stored;
    StoredRead result;
    const ByteSink emit = [&](std::string_view chunk) {
        content.update(chunk);
        result.digest.size += chunk.size();
        if (!chunk.empty()) {
            sink(chunk);
        }
    };
    std::optional<ColumnDecoder> columns;
    std::size_t pending = 1; // bytes zstd still expects; 0 once a frame is complete
    for (bool first = true;; first = false) {
        std::size_t got = read_some(in, input);
        if (got == 0) {
            break;
        }
        if (first && std::string_view(input.data(), got).starts_with(k_columns_mark)) {
            columns.emplace();
        }
        stored.update({input.data(), got});
        result.digest.stored_size += got;
        ZSTD_inBuffer in_buf{input.data(), got, 0};
        while (in_buf.pos < in_buf.size && !result.error) {
            ZSTD_outBuffer out_buf{output.data(), output.size(), 0};
            pending = ZSTD_decompressStream(ctx.get(), &out_buf, &in_buf);
            if (ZSTD_isError(pending) != 0U) {
                result.error = ZSTD_getErrorName(pending);
                break;
            }
            std::string_view chunk(output.data(), out_buf.pos);
            if (!columns) {
                emit(chunk);
            } else if (columns->add(chunk, emit); columns->error()) {
                result.error = columns->error();
            }
        }
    }
    if (!result.error && pending != 0) {
        result.error = "the zstd stream ends early (truncated)";
    }
    if (!result.error && columns) {
        columns->finish();
        result.error = columns->error();
    }
    result.digest.content_hash = content.digest();
    result.digest.stored_hash = stored.digest();
    return result;
}

std::pair<Hash128, std::uint64_t> hash_file(const std::filesystem::path& path)
{
    auto in = open_input(path);
    std::vector<char> buffer(1 << 16);
    Hasher hasher;
    std::uint64_t size = 0;
    for (std::size_t got = read_some(in, buffer); got > 0; got = read_some(in, buffer)) {
        hasher.update({buffer.data(), got});
        size += got;
    }
    return {hasher.digest(), size};
}

} // namespace migsafe::platform
