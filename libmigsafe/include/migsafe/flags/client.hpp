#pragma once

/// The cached client a service links: it keeps a snapshot of the store in memory, so
/// `is_enabled` never waits for the database; a background thread refreshes it when the
/// store announces a change (LISTEN) and, as a fallback, every poll interval (LISTEN does
/// not pass through transaction-pooling bouncers). Each snapshot loaded is written to a
/// last-known-good file, read at start when the database is unreachable
/// (docs/flags.md, "Client").

#include <migsafe/export.hpp>
#include <migsafe/flags/snapshot.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace migsafe::flags {

struct ClientOptions {
    std::string conninfo; ///< the store's database (never logged with its password)
    std::string default_env{"production"};
    bool listen = true; ///< LISTEN for changes; false: poll only
    std::chrono::milliseconds poll_interval{std::chrono::seconds(5)};
    /// The last-known-good file (written atomically, mode 0600); empty: none.
    std::filesystem::path cache_file{};
    /// Called on the refresh thread after each new snapshot (tests, metrics).
    std::function<void(const Snapshot&)> on_refresh{};
};

/// Where the snapshot being served came from.
enum class SnapshotSource { defaults, cache_file, database };
MIGSAFE_API std::string_view to_string(SnapshotSource source) noexcept;

class MIGSAFE_API Client {
public:
    /// Loads the store (or, when it is unreachable, the last-known-good file, or nothing:
    /// every flag off) and starts the refresh thread. Never throws for an unreachable
    /// database; throws `flag-cache-invalid` for a cache file that is not one.
    explicit Client(ClientOptions options);
    ~Client(); ///< stops the refresh thread
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    /// Evaluates on the current snapshot. Cost: one atomic load beyond the snapshot's.
    bool is_enabled(std::string_view key, const Context& context = {}) const noexcept;
    Explanation explain(std::string_view key, const Context& context = {}) const;

    /// The snapshot being served (kept alive by the pointer).
    std::shared_ptr<const Snapshot> snapshot() const;
    SnapshotSource source() const noexcept;
    /// Whether the refresh thread is listening (false: polling only).
    bool listening() const noexcept;
    /// Reloads now, on the caller's thread. Throws like the store on failure.
    void refresh();

private:
    struct State;
    std::unique_ptr<State> m_state;
};

/// Writes `snapshot` as a last-known-good file at `path` (temporary file + rename,
/// mode 0600). Throws `file-write-failed`.
MIGSAFE_API void write_cache_file(const std::filesystem::path& path, const Snapshot& snapshot);
/// Reads a last-known-good file. Throws `flag-cache-invalid` naming the file.
MIGSAFE_API Snapshot read_cache_file(const std::filesystem::path& path, std::string default_env);

} // namespace migsafe::flags
