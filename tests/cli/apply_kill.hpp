#pragma once
// Helpers of the tests that stop `migsafe apply` by a signal at a chosen statement and
// compare what a rerun leaves with an uninterrupted run.

#include "support/test_db.hpp"

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace migsafe::test {

/// Starts `migsafe ARGS...` without waiting, stdout and stderr written to `out` and `err`.
/// Returns its pid (wait with wait_cli).
int spawn_cli_logged(const std::vector<std::string>& args, const std::filesystem::path& out,
                     const std::filesystem::path& err);

/// The whole content of a file ("" when it does not exist).
std::string file_text(const std::filesystem::path& path);

/// What a statement of the migration session must be doing when the test acts.
enum class Doing {
    running,      ///< active, whatever it waits for
    waiting_lock, ///< active and waiting for a lock (e.g. CONCURRENTLY for old snapshots)
};

/// Waits until the `migsafe apply` session runs a statement whose text contains
/// `fragment`, doing `doing`. False after `timeout`.
bool wait_for_apply_statement(const TestDatabase& db, const std::string& fragment, Doing doing,
                              std::chrono::milliseconds timeout = std::chrono::seconds(20));

/// Waits until no server process of a killed `migsafe apply` is left (PostgreSQL 14+ ends
/// them within about a second: migsafe sets client_connection_check_interval).
void wait_for_apply_backends_gone(const TestDatabase& db);

/// The schema outside `migsafe`: tables, columns, constraints, indexes (definition and
/// validity), views, sequences, types and functions, one sorted line each.
std::string catalog_fingerprint(const TestDatabase& db);

/// migsafe.history without times and ids: version, status, statements, checksum, phase and
/// transactional, one line per row.
std::string history_fingerprint(const TestDatabase& db);

/// A session that holds a snapshot open (REPEATABLE READ) until destroyed or released: a
/// CREATE INDEX CONCURRENTLY waits for it after it has made its INVALID index.
class SnapshotHolder {
public:
    explicit SnapshotHolder(const TestDatabase& db);
    ~SnapshotHolder();
    SnapshotHolder(const SnapshotHolder&) = delete;
    SnapshotHolder& operator=(const SnapshotHolder&) = delete;
    /// Ends the transaction (idempotent).
    void release();

private:
    platform::Session m_session;
    bool m_open = true;
};

} // namespace migsafe::test
