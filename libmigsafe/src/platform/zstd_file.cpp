// One read per file: bytes go through XXH3 on both sides of zstd's streaming API.
#include "platform/zstd_file.hpp"

#include "platform/private_file.hpp"

#include <migsafe/platform/error.hpp>

#include <fmt/format.h>
#include <zstd.h>

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
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

} // namespace

FileDigest compress_file(const std::filesystem::path& source, const std::filesystem::path& target,
                         int level)
{
    auto in = open_input(source);
    PrivateFile out(target);
    std::unique_ptr<ZSTD_CCtx, CctxFree> ctx(ZSTD_createCCtx());
    ZSTD_CCtx_setParameter(ctx.get(), ZSTD_c_compressionLevel, level);
    ZSTD_CCtx_setParameter(ctx.get(), ZSTD_c_checksumFlag, 0);
    std::vector<char> input(ZSTD_CStreamInSize());
    std::vector<char> output(ZSTD_CStreamOutSize());
    Hasher content;
    Hasher stored;
    FileDigest digest;
    for (;;) {
        std::size_t got = read_some(in, input);
        bool last = got < input.size();
        content.update({input.data(), got});
        digest.size += got;
        ZSTD_inBuffer in_buf{input.data(), got, 0};
        bool finished = false;
        while (!finished) {
            ZSTD_outBuffer out_buf{output.data(), output.size(), 0};
            std::size_t left = ZSTD_compressStream2(ctx.get(), &out_buf, &in_buf,
                                                    last ? ZSTD_e_end : ZSTD_e_continue);
            if (ZSTD_isError(left) != 0U) {
                throw Error("io-write-failed",
                            fmt::format("cannot compress {}: {}", source.string(),
                                        ZSTD_getErrorName(left)));
            }
            std::string_view chunk(output.data(), out_buf.pos);
            stored.update(chunk);
            digest.stored_size += chunk.size();
            out.write(chunk);
            finished = last ? left == 0 : in_buf.pos == in_buf.size;
        }
        if (last) {
            break;
        }
    }
    if (in.bad()) {
        throw Error("io-read-failed", fmt::format("cannot read {}", source.string()),
                    {.file = source.string()});
    }
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
    std::vector<char> input(ZSTD_DStreamInSize());
    std::vector<char> output(ZSTD_DStreamOutSize());
    Hasher content;
    Hasher stored;
    StoredRead result;
    std::size_t pending = 1; // bytes zstd still expects; 0 once a frame is complete
    for (;;) {
        std::size_t got = read_some(in, input);
        if (got == 0) {
            break;
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
            content.update(chunk);
            result.digest.size += chunk.size();
            if (!chunk.empty()) {
                sink(chunk);
            }
        }
    }
    if (!result.error && pending != 0) {
        result.error = "the zstd stream ends early (truncated)";
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
