#pragma once
// The pg_dump drill's overlap of restore and verify: each table is read as soon as
// pg_restore has loaded it, while other tables load and indexes build.

#include <migsafe/integrity/report.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace migsafe::workflow::detail {

class LoadedTableScans {
public:
    /// Reads tables of the database `conninfo`; `expected` (the snapshot's report) says
    /// which tables to read early: plain tables whose names a scan pattern names exactly
    /// (partitions and their parents are left to the final scan, which totals them).
    LoadedTableScans(std::string conninfo, const integrity::IntegrityReport& expected,
                     std::chrono::milliseconds lock_wait);
    LoadedTableScans(const LoadedTableScans&) = delete;
    LoadedTableScans& operator=(const LoadedTableScans&) = delete;
    ~LoadedTableScans();

    /// pg_restore has read all of this table's data (`RestoreOptions::table_loaded`).
    /// Thread-safe; never throws.
    void loaded(const std::string& schema, const std::string& name);

    /// Waits for the queued reads and returns the tables read. A read that failed is not
    /// an error here: its tables are simply not returned (the final scan reads them).
    std::vector<integrity::TableReport> finish();

    /// Time spent reading (not waiting for the loaders' commits), summed.
    std::chrono::milliseconds busy() const { return m_busy; }

private:
    void run(const std::stop_token& stop);
    void read(const std::vector<std::pair<std::string, std::string>>& tables);

    std::string m_conninfo;
    std::set<std::pair<std::string, std::string>> m_eligible;
    std::chrono::milliseconds m_lock_wait;
    std::map<std::string, std::vector<std::string>> m_range_bounds; ///< the report's, reused
    std::mutex m_mutex;
    std::condition_variable_any m_wake;
    std::deque<std::pair<std::string, std::string>> m_queue;
    bool m_finishing = false;
    std::vector<integrity::TableReport> m_read;
    std::chrono::milliseconds m_busy{0};
    std::jthread m_worker;
};

} // namespace migsafe::workflow::detail
