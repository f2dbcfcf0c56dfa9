// The cached client (docs/flags.md, "Client"): evaluations read an immutable snapshot; a
// refresh thread replaces it when the store announces a change on `migsafe_flags`, or
// when polling finds the store's change counter moved, and writes the last-known-good file.
#include "platform/catalog/flag_queries.hpp"
#include "platform/enum_names.hpp"
#include "platform/logging.hpp"

#include <migsafe/flags/client.hpp>
#include <migsafe/flags/store.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/session.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace migsafe::flags {
namespace {

/// How often the refresh thread looks at its stop flag while waiting.
constexpr std::chrono::milliseconds k_stop_check{50};

} // namespace

constexpr platform::EnumNames<SnapshotSource, 3> k_snapshot_source_names{
    {{{SnapshotSource::defaults, "defaults"},
      {SnapshotSource::cache_file, "cache-file"},
      {SnapshotSource::database, "database"}}}};
static_assert(k_snapshot_source_names.unique());

std::string_view to_string(SnapshotSource source) noexcept
{
    return k_snapshot_source_names.name(source);
}

struct Client::State {
    ClientOptions options;
    std::atomic<std::shared_ptr<const Snapshot>> current;
    std::atomic<SnapshotSource> source{SnapshotSource::defaults};
    std::atomic<bool> listening{false};
    std::atomic<bool> stopping{false};
    std::mutex refresh_mutex;                 ///< one load at a time (the thread, or `refresh()`)
    std::optional<platform::Session> session; ///< the refresh thread's connection
    std::thread thread;

    explicit State(ClientOptions given)
        : options(std::move(given))
    {
        current.store(std::make_shared<const Snapshot>(std::vector<Flag>{}, options.default_env));
    }

    /// Loads the store through `conn` when its counter moved (or `force`).
    void load(platform::Session& conn, bool force)
    {
        std::lock_guard lock(refresh_mutex);
        const std::int64_t generation = store_generation(conn);
        const auto served = current.load();
        if (!force && source == SnapshotSource::database && generation == served->generation()) {
            return;
        }
        auto fresh = std::make_shared<const Snapshot>(list_flags(conn, true), options.default_env,
                                                      generation);
        current.store(fresh);
        source = SnapshotSource::database;
        if (!options.cache_file.empty()) {
            try {
                write_cache_file(options.cache_file, *fresh);
            } catch (const Error& error) {
                detail::log_warn("flags: could not write the cache file: {}", error.message());
            }
        }
        if (options.on_refresh) {
            options.on_refresh(*fresh);
        }
    }

    /// Connects the refresh thread's session and, when asked, listens.
    void connect()
    {
        session.emplace(platform::Session::connect(
            options.conninfo,
            platform::SessionOptions{.application_name = "migsafe flags client"}));
        listening = false;
        if (options.listen) {
            try {
                platform::catalog::listen_for_flag_changes(*session);
                listening = true;
            } catch (const Error& error) {
                detail::log_warn("flags: LISTEN failed, polling every {} ms instead: {}",
                                 options.poll_interval.count(), error.message());
            }
        }
    }

    /// Waits up to the poll interval, returning early on a notification or a stop.
    void wait()
    {
        const auto deadline = std::chrono::steady_clock::now() + options.poll_interval;
        while (!stopping && std::chrono::steady_clock::now() < deadline) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            const auto slice = std::max(std::chrono::milliseconds(1), std::min(left, k_stop_check));
            if (listening && session) {
                if (!session->wait_for_notifications(slice).empty()) {
                    return;
                }
            } else {
                std::this_thread::sleep_for(slice);
            }
        }
    }

    void run()
    {
        while (!stopping) {
            try {
                if (!session) {
                    connect();
                    load(*session, false);
                }
                wait();
                if (!stopping) {
                    load(*session, false);
                }
            } catch (const Error& error) {
                detail::log_warn("flags: refresh failed, serving the last snapshot: {}",
                                 error.message());
                session.reset();
                listening = false;
                const auto until = std::chrono::steady_clock::now() + options.poll_interval;
                while (!stopping && std::chrono::steady_clock::now() < until) {
                    std::this_thread::sleep_for(k_stop_check);
                }
            }
        }
    }
};

Client::Client(ClientOptions options)
    : m_state(std::make_unique<State>(std::move(options)))
{
    State& state = *m_state;
    try {
        state.connect();
        state.load(*state.session, true);
    } catch (const Error& error) {
        state.session.reset();
        detail::log_warn("flags: the store is unreachable: {}", error.message());
        if (!state.options.cache_file.empty() &&
            std::filesystem::exists(state.options.cache_file)) {
            state.current.store(std::make_shared<const Snapshot>(
                read_cache_file(state.options.cache_file, state.options.default_env)));
            state.source = SnapshotSource::cache_file;
        }
    }
    state.thread = std::thread([&state] { state.run(); });
}

Client::~Client()
{
    m_state->stopping = true;
    if (m_state->thread.joinable()) {
        m_state->thread.join();
    }
}

bool Client::is_enabled(std::string_view key, const Context& context) const noexcept
{
    return m_state->current.load(std::memory_order_acquire)->is_enabled(key, context);
}

Explanation Client::explain(std::string_view key, const Context& context) const
{
    return m_state->current.load()->explain(key, context);
}

std::shared_ptr<const Snapshot> Client::snapshot() const
{
    return m_state->current.load();
}

SnapshotSource Client::source() const noexcept
{
    return m_state->source;
}

bool Client::listening() const noexcept
{
    return m_state->listening;
}

void Client::refresh()
{
    auto conn = platform::Session::connect(
        m_state->options.conninfo,
        platform::SessionOptions{.application_name = "migsafe flags client"});
    m_state->load(conn, true);
}

} // namespace migsafe::flags
