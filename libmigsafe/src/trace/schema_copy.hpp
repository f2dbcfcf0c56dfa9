#pragma once
// Private: the trace's scratch copy of a live database's schema (`migsafe plan --trace
// --db`): pg_dump --schema-only of the source, replayed into the scratch database.

#include <migsafe/platform/session.hpp>

#include <string>

namespace migsafe::trace::detail {

/// Dumps the schema of `source` (no rows, no owners, no privileges) and runs it on
/// `scratch`. The source is only read. Throws `binary-not-found` (pg_dump),
/// `process-failed` (pg_dump failed: its message), `trace-schema-copy-failed` (the dump
/// does not replay on the scratch server, e.g. a missing extension).
void copy_schema(const std::string& source, platform::Session& scratch);

} // namespace migsafe::trace::detail
