#pragma once
// Private: files compressed with zstd and hashed with XXH3-128 in the same read, the
// snapshot store's storage format. Every failure becomes a migsafe::Error.

#include <migsafe/platform/hash.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace migsafe::platform {

/// Sizes and hashes of one file, raw and compressed.
struct FileDigest {
    std::uint64_t size = 0;        ///< content bytes
    std::uint64_t stored_size = 0; ///< compressed bytes
    Hash128 content_hash{};
    Hash128 stored_hash{};
};

/// Compresses `source` into `target` (created 0600, fsynced) as one zstd frame at `level`,
/// hashing both sides on the way. Throws `io-read-failed`, `io-write-failed` (disk full
/// included).
FileDigest compress_file(const std::filesystem::path& source, const std::filesystem::path& target,
                         int level);

/// How `compress_file` stores a file (docs/snapshot.md, "Compression").
struct CompressSettings {
    int level = 3;      ///< zstd level, 1-19
    int workers = 0;    ///< zstd's own threads (ZSTD_c_nbWorkers); 0: the calling thread
    int window_log = 0; ///< 0: the level's; at most k_max_window_log (readers' limit)
    bool long_matching =
        false;            ///< zstd's long-distance matcher (ZSTD_c_enableLongDistanceMatching)
    bool columns = false; ///< the column layout (column_layout.hpp), marked in the file
};

/// The largest window `read_stored_file` accepts (ZSTD_d_windowLogMax): 1 GiB.
inline constexpr int k_max_window_log = 30;

/// The same with `settings`. When `source_complete` is given, `source` may still be growing
/// (another process writes it): at its end the call waits until `source_complete()` says
/// the writer is done, then reads the rest, so a file is compressed while it is written.
FileDigest compress_file(const std::filesystem::path& source, const std::filesystem::path& target,
                         const CompressSettings& settings,
                         const std::function<bool()>& source_complete = {});

/// What reading a stored file found.
struct StoredRead {
    FileDigest digest{}; ///< the sizes and hashes seen (content ones: as far as read)
    std::optional<std::string> error{}; ///< why the zstd stream is not valid, if it is not
};

/// Reads the stored file `source`, hashing it and decompressing it (into `target` when
/// given, created 0600); a file in the column layout comes back as its original bytes. A malformed
/// or truncated zstd stream is reported in `error`, not thrown. Throws `io-read-failed`,
/// `io-write-failed`.
StoredRead read_stored_file(const std::filesystem::path& source,
                            const std::optional<std::filesystem::path>& target);

/// The same read, handing each decompressed chunk to `sink` as it comes (a pipe to
/// pg_restore, a hash): the caller learns whether the bytes were the recorded ones only
/// when it returns. Throws `io-read-failed` and whatever `sink` throws.
StoredRead read_stored_file(const std::filesystem::path& source,
                            const std::function<void(std::string_view)>& sink);

/// XXH3-128 and size of a whole file. Throws `io-read-failed`.
std::pair<Hash128, std::uint64_t> hash_file(const std::filesystem::path& path);

} // namespace migsafe::platform
