// pg_dump writes each file of a directory archive once, from its creation to its close: a
// file closed (IN_CLOSE_WRITE) is complete, and once pg_dump has exited every file is.
#include "snapshot/compress_pipeline.hpp"

#include "platform/logging.hpp"
#include "platform/zstd_file.hpp"
#include "snapshot/layout.hpp"

#include <fmt/format.h>

#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include <poll.h>

namespace migsafe::snapshot::detail {
namespace {

constexpr auto k_poll = std::chrono::milliseconds(20);

} // namespace

CompressPipeline::CompressPipeline(std::filesystem::path raw, std::filesystem::path data,
                                   const CreateOptions& options, Progress progress)
    : m_raw(std::move(raw))
    , m_data(std::move(data))
    , m_options(options)
    , m_progress(std::move(progress))
{
    m_inotify = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (m_inotify < 0 || ::inotify_add_watch(m_inotify, m_raw.c_str(),
                                             IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE) < 0) {
        // Without inotify (its limits reached, say) the files are found once pg_dump has
        // exited: compression then follows the dump instead of overlapping it.
        migsafe::detail::log_warn("snapshot: cannot watch {} (inotify: {}); compressing after "
                                  "pg_dump instead of while it writes",
                                  m_raw.string(), std::strerror(errno));
        if (m_inotify >= 0) {
            ::close(m_inotify);
            m_inotify = -1;
        }
    }
    m_watcher = std::jthread([this](const std::stop_token& stop) { watch(stop); });
    for (int i = 0; i < options.jobs; ++i) {
        m_workers.emplace_back([this] { work(); });
    }
}

CompressPipeline::~CompressPipeline()
{
    if (m_watcher.joinable()) {
        m_watcher.request_stop();
        m_watcher.join();
    }
    for (auto& worker : m_workers) {
        if (worker.joinable()) {
            worker.join();
        }
    }
    if (m_inotify >= 0) {
        ::close(m_inotify);
    }
}

void CompressPipeline::watch(const std::stop_token& stop)
{
    while (!stop.stop_requested()) {
        pollfd fd{.fd = m_inotify, .events = POLLIN, .revents = 0};
        ::poll(&fd, 1, static_cast<int>(k_poll.count())); // a negative fd: just the wait
        drain_events();
    }
    // The writer has exited: what it left is complete, whether an event said so or not (a
    // queue overflow loses events).
    drain_events();
    std::error_code ec;
    for (const auto& item : std::filesystem::directory_iterator(m_raw, ec)) {
        if (item.is_regular_file(ec)) {
            add(item.path().filename().string(), true);
        }
    }
    std::lock_guard lock(m_mutex);
    for (auto& [name, entry] : m_entries) {
        entry.closed = true;
    }
    m_all_closed = true;
    m_wake.notify_all();
}

void CompressPipeline::drain_events()
{
    if (m_inotify < 0) {
        return;
    }
    alignas(inotify_event) std::array<char, 16384> buffer{};
    for (;;) {
        auto got = ::read(m_inotify, buffer.data(), buffer.size());
        if (got <= 0) {
            return;
        }
        for (std::size_t at = 0; at < static_cast<std::size_t>(got);) {
            inotify_event event{};
            std::memcpy(&event, buffer.data() + at, sizeof(event));
            if (event.len > 0 && (event.mask & IN_ISDIR) == 0U) {
                std::string name(buffer.data() + at + sizeof(event));
                add(name, (event.mask & IN_CLOSE_WRITE) != 0U);
            }
            at += sizeof(event) + event.len;
        }
    }
}

void CompressPipeline::add(const std::string& name, bool closed)
{
    std::lock_guard lock(m_mutex);
    auto [it, inserted] = m_entries.try_emplace(name);
    if (closed) {
        it->second.closed = true;
    }
    if (inserted) {
        m_queue.push_back(name);
        m_wake.notify_one();
    }
}

void CompressPipeline::work()
{
    for (;;) {
        std::string name;
        Entry* entry = nullptr;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return !m_queue.empty() || m_all_closed; });
            if (m_queue.empty()) {
                return;
            }
            name = m_queue.front();
            m_queue.pop_front();
            entry = &m_entries.at(name);
        }
        try {
            auto file = compress(name, *entry);
            std::lock_guard lock(m_mutex);
            m_done_bytes += file.size;
            entry->file = std::move(file);
            if (m_progress) {
                m_progress(m_done_bytes);
            }
        } catch (...) {
            std::lock_guard lock(m_mutex);
            if (!m_error) {
                m_error = std::current_exception();
            }
        }
    }
}

ManifestFile CompressPipeline::compress(const std::string& name, Entry& entry)
{
    auto source = m_raw / name;
    int level = m_options.compression_level.value_or(0);
    while (level == 0) { // the level by size: wait until the file is complete or large
        bool closed = entry.closed;
        std::error_code ec;
        auto size = std::filesystem::file_size(source, ec);
        if (!ec && size >= k_small_file_bytes) {
            level = k_large_file_level;
        } else if (closed) {
            level = k_small_file_level;
        } else {
            std::this_thread::sleep_for(k_poll);
        }
    }
    auto digest = platform::compress_file(source, m_data / (name + ".zst"),
                                          {.level = level, .columns = m_options.column_layout},
                                          [&entry] { return entry.closed.load(); });
    return {.name = name,
            .stored_name = fmt::format("{}/{}.zst", k_data_dir, name),
            .size = digest.size,
            .stored_size = digest.stored_size,
            .compression = m_options.column_layout ? "zstd+columns" : "zstd",
            .content_hash = digest.content_hash,
            .stored_hash = digest.stored_hash};
}

std::vector<ManifestFile> CompressPipeline::finish()
{
    m_watcher.request_stop();
    m_watcher.join();
    for (auto& worker : m_workers) {
        worker.join();
    }
    if (m_error) {
        std::rethrow_exception(m_error);
    }
    std::vector<ManifestFile> files;
    for (auto& [name, entry] : m_entries) {
        auto size = std::filesystem::file_size(m_raw / name);
        if (size != entry.file.size) { // written again after it was closed: compress it whole
            migsafe::detail::log_warn("snapshot: {} grew after pg_dump closed it ({} -> {} bytes); "
                                      "compressing it again",
                                      name, entry.file.size, size);
            entry.file = compress(name, entry);
        }
        std::filesystem::remove(m_raw / name);
        files.push_back(entry.file);
    }
    return files;
}

} // namespace migsafe::snapshot::detail
