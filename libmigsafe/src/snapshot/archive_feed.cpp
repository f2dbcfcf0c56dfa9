// The dispatcher polls each unopened pipe with a non-blocking open (a FIFO's writer can
// only open once a reader has), so files are fed in whatever order pg_restore's jobs want
// them, and as many at once as it opens.
#include "snapshot/archive_feed.hpp"

#include "platform/logging.hpp"
#include "platform/zstd_file.hpp"

#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

#include <time.h>

namespace migsafe::snapshot::detail {
namespace {

namespace fs = std::filesystem;

/// Files pg_restore reads outside the data it loads: kept as regular files.
bool table_of_contents(const std::string& name)
{
    return name == "toc.dat" || name == "blobs.toc";
}

/// CPU time of the calling thread: a feeding thread mostly waits for pg_restore to read,
/// so its wall time says little about what decompressing and checking cost.
std::chrono::nanoseconds thread_cpu_time()
{
    timespec now{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec);
}

/// Thrown by the sink when pg_restore closed its end of a pipe.
struct ReaderGone {};

} // namespace

std::optional<std::string> stored_file_mismatch(const ManifestFile& file,
                                                const platform::StoredRead& read)
{
    const auto& got = read.digest;
    if (!read.error && got.stored_hash == file.stored_hash &&
        got.content_hash == file.content_hash && got.size == file.size) {
        return std::nullopt;
    }
    return fmt::format("hash {}, expected {}{}", got.stored_hash.to_hex(),
                       file.stored_hash.to_hex(),
                       read.error ? " (" + *read.error + ")" : std::string());
}

ArchiveFeed::ArchiveFeed(const fs::path& snapshot_dir, const Manifest& manifest,
                         const fs::path& archive)
    : m_snapshot_dir(snapshot_dir)
    , m_archive(archive)
    , m_snapshot_id(manifest.id)
{
    m_slots.reserve(manifest.files.size());
    for (const auto& file : manifest.files) {
        auto source = m_snapshot_dir / file.stored_name;
        if (!fs::is_regular_file(source)) {
            throw Error("snapshot-corrupt",
                        fmt::format("snapshot {}: {} is missing", m_snapshot_id, file.stored_name),
                        {.file = source.string(), .object = m_snapshot_id});
        }
        Slot slot{.file = &file, .piped = !table_of_contents(file.name)};
        if (slot.piped) {
            platform::make_fifo(m_archive / file.name);
        } else {
            auto read = platform::read_stored_file(source, m_archive / file.name);
            if (auto why = stored_file_mismatch(file, read)) {
                throw Error(
                    "snapshot-corrupt",
                    fmt::format("snapshot {}: {} {}", m_snapshot_id, file.stored_name, *why),
                    {.file = source.string(), .object = m_snapshot_id});
            }
            slot.dispatched = true;
            slot.read_to_end = true;
        }
        m_slots.push_back(slot);
    }
}

ArchiveFeed::~ArchiveFeed()
{
    stop_and_join();
}

void ArchiveFeed::start(Fed fed)
{
    m_fed = std::move(fed);
    m_dispatcher = std::jthread([this](const std::stop_token& stop) { dispatch(stop); });
}

void ArchiveFeed::dispatch(const std::stop_token& stop)
{
    std::size_t waiting = 0;
    for (const auto& slot : m_slots) {
        waiting += slot.dispatched ? 0 : 1;
    }
    while (waiting > 0 && !stop.stop_requested()) {
        bool opened = false;
        for (auto& slot : m_slots) {
            if (slot.dispatched) {
                continue;
            }
            std::optional<platform::FifoWriter> writer;
            try {
                writer = platform::FifoWriter::open_if_read(m_archive / slot.file->name);
            } catch (const Error& e) {
                slot.dispatched = true; // never fed; finish() reads and checks it
                --waiting;
                migsafe::detail::log_warn("restore {}: {}", m_snapshot_id, e.message());
                continue;
            }
            if (!writer) {
                continue;
            }
            slot.dispatched = true;
            --waiting;
            opened = true;
            std::lock_guard lock(m_mutex);
            m_feeders.emplace_back(
                [this, &slot, w = std::move(*writer)]() mutable { feed(slot, std::move(w)); });
        }
        if (!opened) {
            // pg_restore opens a file right after starting its COPY: a short poll keeps
            // that wait small; many waiting pipes poll less often.
            std::this_thread::sleep_for(std::chrono::microseconds(500 + 20 * waiting));
        }
    }
}

void ArchiveFeed::feed(Slot& slot, platform::FifoWriter writer)
{
    auto started = thread_cpu_time();
    const auto& file = *slot.file;
    platform::StoredRead read;
    bool gone = false;
    try {
        read = platform::read_stored_file(m_snapshot_dir / file.stored_name,
                                          [&writer](std::string_view chunk) {
                                              if (!writer.write(chunk)) {
                                                  throw ReaderGone{};
                                              }
                                          });
    } catch (const ReaderGone&) {
        gone = true;
    } catch (const Error& e) {
        slot.corrupt = e.message();
    }
    writer.close(); // pg_restore sees the end of the file
    m_busy_ms +=
        std::chrono::duration_cast<std::chrono::milliseconds>(thread_cpu_time() - started).count();
    if (gone || slot.corrupt) {
        return; // finish() reads the file again to tell a corrupt file from a stopped reader
    }
    slot.corrupt = stored_file_mismatch(file, read);
    slot.read_to_end = true;
    if (!slot.corrupt && m_fed) {
        m_fed(file.name);
    }
}

void ArchiveFeed::check(Slot& slot)
{
    auto read = platform::read_stored_file(m_snapshot_dir / slot.file->stored_name,
                                           [](std::string_view) {});
    slot.corrupt = stored_file_mismatch(*slot.file, read);
}

void ArchiveFeed::stop_and_join() noexcept
{
    if (m_dispatcher.joinable()) {
        m_dispatcher.request_stop();
        m_dispatcher.join();
    }
    std::vector<std::jthread> feeders;
    {
        std::lock_guard lock(m_mutex);
        feeders.swap(m_feeders);
    }
    feeders.clear(); // joins
}

std::vector<std::string> ArchiveFeed::finish()
{
    stop_and_join();
    std::vector<std::string> unread;
    for (auto& slot : m_slots) {
        if (!slot.read_to_end) {
            unread.push_back(slot.file->name);
            if (!slot.corrupt) {
                check(slot);
            }
        }
    }
    for (const auto& slot : m_slots) {
        if (slot.corrupt) {
            auto source = m_snapshot_dir / slot.file->stored_name;
            throw Error("snapshot-corrupt",
                        fmt::format("snapshot {}: {} {}", m_snapshot_id, slot.file->stored_name,
                                    *slot.corrupt),
                        {.file = source.string(), .object = m_snapshot_id});
        }
    }
    return unread;
}

} // namespace migsafe::snapshot::detail
