#pragma once
// Handing a snapshot's files to pg_restore without writing them to disk: a named pipe per
// data file in the archive folder, fed from the stored zstd file when pg_restore opens it.

#include "platform/fifo.hpp"
#include "platform/zstd_file.hpp"

#include <migsafe/snapshot/manifest.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace migsafe::snapshot::detail {

/// Why `read` (of stored file `file`) is not the file the manifest recorded: the hash seen
/// against the one expected, and the zstd error if any; nullopt when it is.
std::optional<std::string> stored_file_mismatch(const ManifestFile& file,
                                                const platform::StoredRead& read);

class ArchiveFeed {
public:
    /// Called from a feeding thread with a file's name once all of it went to pg_restore
    /// and its size and hashes are the recorded ones. Must not throw.
    using Fed = std::function<void(const std::string& name)>;

    /// Lays out `archive` (an existing, empty, private folder) for pg_restore: the table of
    /// contents (`toc.dat`, `blobs.toc`) decompressed and checked, a named pipe for every
    /// other file. Throws `snapshot-corrupt` (a missing or corrupt table of contents),
    /// `io-write-failed`.
    ArchiveFeed(const std::filesystem::path& snapshot_dir, const Manifest& manifest,
                const std::filesystem::path& archive);
    ArchiveFeed(const ArchiveFeed&) = delete;
    ArchiveFeed& operator=(const ArchiveFeed&) = delete;
    /// Stops and joins the threads if `finish` was not called; never throws.
    ~ArchiveFeed();

    /// Starts the dispatcher: it opens each pipe as soon as pg_restore opens it for
    /// reading, and a thread per open pipe decompresses the stored file into it.
    void start(Fed fed);

    /// Call once pg_restore has exited (its open pipes are then closed): stops the
    /// dispatcher, waits for the feeding threads, and reads every file pg_restore never
    /// opened, so that every file of the snapshot was checked. Returns the names of the
    /// files pg_restore did not read to the end. Throws `snapshot-corrupt` naming the
    /// first corrupt file in manifest order.
    std::vector<std::string> finish();

    /// CPU time spent decompressing, checking and writing into the pipes, summed over the
    /// files (it runs while pg_restore loads them).
    std::chrono::milliseconds busy() const { return std::chrono::milliseconds(m_busy_ms.load()); }

private:
    struct Slot {
        const ManifestFile* file = nullptr;
        bool piped = false; ///< a named pipe (else a regular file written up front)
        bool dispatched = false;
        bool read_to_end = false;
        std::optional<std::string> corrupt{}; ///< why the file is not the recorded one
    };

    void dispatch(const std::stop_token& stop);
    void feed(Slot& slot, platform::FifoWriter writer);
    void check(Slot& slot);
    void stop_and_join() noexcept;

    std::filesystem::path m_snapshot_dir;
    std::filesystem::path m_archive;
    std::string m_snapshot_id;
    std::vector<Slot> m_slots;
    Fed m_fed;
    std::mutex m_mutex;
    std::vector<std::jthread> m_feeders;
    std::jthread m_dispatcher;
    std::atomic<std::int64_t> m_busy_ms{0};
};

} // namespace migsafe::snapshot::detail
