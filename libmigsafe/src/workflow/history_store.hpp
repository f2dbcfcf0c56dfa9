#pragma once
// Private: the writes of `migsafe.history` (the reads are public, workflow/history.hpp).
// All of the history's SQL lives in history.cpp.

#include <migsafe/platform/session.hpp>
#include <migsafe/workflow/history.hpp>

#include <cstdint>
#include <string>

namespace migsafe::workflow::detail {

/// Creates the schema `migsafe` and its history table when missing, and brings a table an
/// earlier migsafe created up to date (text versions, `adopted`, `provenance`). Run it under the
/// runner's advisory lock (two runners creating it at once would collide).
void ensure_history(platform::Session& session);

/// Inserts `entry`, or replaces the row of its version (a failed or partial migration run
/// again). `finished_at` is the server's clock_timestamp() when `finished` is true.
void record(platform::Session& session, const HistoryEntry& entry, bool finished);

/// Moves a no-transaction migration on: `statements_applied` and the status of `version`.
void record_progress(platform::Session& session, const model::Version& version,
                     int statements_applied);

/// Stores a backfill checkpoint (JSON) for `version`.
void record_checkpoint(platform::Session& session, const model::Version& version,
                       const std::string& checkpoint_json);

/// Sets the status and error of `version`, leaving every other column (e.g. the backfill
/// checkpoint its last batch committed) as it is.
void record_status(platform::Session& session, const model::Version& version, HistoryStatus status,
                   const std::string& error);

/// Deletes the row of `version`: the migration was rolled back (what `migsafe rehearse`
/// does after a down file or a compensation, as a runner's own rollback does).
void forget(platform::Session& session, const model::Version& version);

} // namespace migsafe::workflow::detail
