#pragma once
// Private: compressing pg_dump's files while pg_dump writes them (docs/snapshot.md,
// "Compression"). inotify tells when pg_dump creates a file in the staging folder and when
// it closes it; a worker starts on a file as soon as it appears and follows it as it grows,
// so compression overlaps the dump instead of waiting for it.

#include <migsafe/snapshot/create.hpp>
#include <migsafe/snapshot/manifest.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace migsafe::snapshot::detail {

/// The zstd level of a file when the user set none: small files (the table of contents,
/// small tables) cost nothing at a high level; large table data at level 2 is both the
/// fastest and, in the column layout, the smallest of levels 1-6 on the benchmark's mixed
/// and random tables (docs/benchmarks.md, "Snapshot size").
inline constexpr int k_small_file_level = 9;
inline constexpr int k_large_file_level = 2;
inline constexpr std::uint64_t k_small_file_bytes = std::uint64_t{1} << 20U;

class CompressPipeline {
public:
    using Progress = std::function<void(std::uint64_t content_bytes_done)>;

    /// Watches `raw` (which must exist and be empty) and compresses each file that appears
    /// there into `data`, `options.jobs` at a time. `progress` is called after each file.
    CompressPipeline(std::filesystem::path raw, std::filesystem::path data,
                     const CreateOptions& options, Progress progress);
    ~CompressPipeline();
    CompressPipeline(const CompressPipeline&) = delete;
    CompressPipeline& operator=(const CompressPipeline&) = delete;
    CompressPipeline(CompressPipeline&&) = delete;
    CompressPipeline& operator=(CompressPipeline&&) = delete;

    /// Once the writer has exited (whether it succeeded or not): every file is complete.
    /// Waits for the workers; checks that each stored file holds all of its raw file
    /// (compressing again one that grew after it was closed), removes the raw files and
    /// returns the files sorted by name. Throws the first worker's error.
    std::vector<ManifestFile> finish();

private:
    struct Entry {
        std::atomic<bool> closed{false};
        ManifestFile file{};
    };

    void watch(const std::stop_token& stop);
    void drain_events();
    void add(const std::string& name, bool closed);
    void work();
    ManifestFile compress(const std::string& name, Entry& entry);

    std::filesystem::path m_raw;
    std::filesystem::path m_data;
    const CreateOptions& m_options;
    Progress m_progress;
    int m_inotify = -1;

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::map<std::string, Entry> m_entries;
    std::deque<std::string> m_queue;
    bool m_all_closed = false;
    std::uint64_t m_done_bytes = 0;
    std::exception_ptr m_error;

    std::jthread m_watcher;
    std::vector<std::thread> m_workers;
};

} // namespace migsafe::snapshot::detail
