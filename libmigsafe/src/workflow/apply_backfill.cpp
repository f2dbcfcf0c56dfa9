// Backfill migrations: TEMPORARY until the batched engine lands (runs in one transaction).
#include "workflow/apply_internal.hpp"

namespace migsafe::workflow::detail {

void run_backfill(const Run& run, const Pending& pending, HistoryEntry& entry, MigrationRun& out)
{
    out.attempts = run_transactional(run, pending, entry);
}

} // namespace migsafe::workflow::detail
