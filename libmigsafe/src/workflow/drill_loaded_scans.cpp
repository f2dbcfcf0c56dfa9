// One worker reads loaded tables in batches: for each batch it first waits for the
// tables' COPY to commit (a SHARE lock: pg_restore's COPY holds ROW EXCLUSIVE until it
// commits), then scans them in one snapshot, as `verify` would.
#include "workflow/drill_loaded_scans.hpp"

#include "platform/catalog/snapshot_queries.hpp"
#include "platform/elapsed.hpp"
#include "platform/logging.hpp"

#include <migsafe/integrity/verify.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/session.hpp>

namespace migsafe::workflow::detail {
namespace {

/// Whether the scan pattern `schema.name` names exactly this table: no glob character,
/// and no dot that could split it another way.
bool exact_pattern(const std::string& schema, const std::string& name)
{
    auto plain = [](const std::string& part) {
        return part.find_first_of("*?.") == std::string::npos;
    };
    return plain(schema) && plain(name);
}

} // namespace

LoadedTableScans::LoadedTableScans(std::string conninfo, const integrity::IntegrityReport& expected,
                                   std::chrono::milliseconds lock_wait)
    : m_conninfo(std::move(conninfo))
    , m_lock_wait(lock_wait)
{
    for (const auto& table : expected.tables) {
        if (table.kind == integrity::TableKind::table && exact_pattern(table.schema, table.name)) {
            m_eligible.emplace(table.schema, table.name);
        }
    }
    m_worker = std::jthread([this](const std::stop_token& stop) { run(stop); });
}

LoadedTableScans::~LoadedTableScans()
{
    m_worker.request_stop();
    m_wake.notify_all();
}

void LoadedTableScans::loaded(const std::string& schema, const std::string& name)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_eligible.count({schema, name}) == 0) {
            return;
        }
        m_queue.emplace_back(schema, name);
    }
    m_wake.notify_all();
}

void LoadedTableScans::run(const std::stop_token& stop)
{
    for (;;) {
        std::vector<std::pair<std::string, std::string>> batch;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, stop, [this] { return !m_queue.empty() || m_finishing; });
            if (stop.stop_requested() || m_queue.empty()) {
                return;
            }
            batch.assign(m_queue.begin(), m_queue.end());
            m_queue.clear();
        }
        read(batch);
    }
}

void LoadedTableScans::read(const std::vector<std::pair<std::string, std::string>>& tables)
{
    try {
        auto session =
            platform::Session::connect(m_conninfo, {.application_name = "migsafe drill"});
        integrity::ScanOptions options{.jobs = 1,
                                       .lock_timeout = m_lock_wait,
                                       .range_rows = 0,
                                       .range_bounds = m_range_bounds};
        for (const auto& [schema, name] : tables) {
            try {
                platform::catalog::wait_for_writers(session, schema, name, m_lock_wait);
                options.tables.push_back(schema);
                options.tables.back().append(".").append(name);
            } catch (const Error& e) {
                migsafe::detail::log_debug("drill: {}.{} is left to the final scan: {}", schema,
                                           name, e.message());
            }
        }
        if (options.tables.empty()) {
            return;
        }
        auto started = std::chrono::steady_clock::now(); // the reading, not the lock waits
        auto report = integrity::scan(session, options);
        m_busy += std::chrono::milliseconds(platform::ms_since(started));
        std::lock_guard lock(m_mutex);
        for (auto& table : report.tables) {
            m_read.push_back(std::move(table));
        }
    } catch (const Error& e) {
        migsafe::detail::log_debug("drill: early read of {} tables failed ({}); the final scan "
                                   "reads them",
                                   tables.size(), e.message());
    }
}

std::vector<integrity::TableReport> LoadedTableScans::finish()
{
    {
        std::lock_guard lock(m_mutex);
        m_finishing = true;
    }
    m_wake.notify_all();
    if (m_worker.joinable()) {
        m_worker.join();
    }
    std::lock_guard lock(m_mutex);
    return std::move(m_read);
}

} // namespace migsafe::workflow::detail
