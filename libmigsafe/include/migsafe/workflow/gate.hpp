#pragma once

/// The cut-over gate against a database (docs/flags.md, "Cut-over gate"): the flags that
/// the migrations it has not applied yet require, judged from its flag store; and whether
/// a flag may be archived. `migsafe apply` and `check` judge the gate in the run itself
/// (`ApplyOptions::now`); `plan --db` and `flag archive` call these.

#include <migsafe/export.hpp>
#include <migsafe/flags/gate.hpp>
#include <migsafe/model/migration_set.hpp>
#include <migsafe/platform/session.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::workflow {

/// The gate's verdict on every requirement of the migrations of `set` that the database's
/// `migsafe.history` does not have as applied, in version order (`flags::check_gates`).
/// `now`: the time to judge at (nullopt: the clock). Never writes. Cost: one query for the
/// history, three per requirement. Throws `db-connect-failed` and the store's errors.
MIGSAFE_API std::vector<flags::GateVerdict>
gate_pending(const std::string& conninfo, const model::MigrationSet& set,
             std::optional<flags::TimePoint> now = std::nullopt);

/// The pending migrations of `set` (not applied in the session's `migsafe.history`) that
/// require the flag `key`, as their files; empty when `key` may be archived
/// (`flags::archive_blockers` on the history's applied versions). Never writes.
MIGSAFE_API std::vector<std::string>
archive_blockers(platform::Session& session, const model::MigrationSet& set, std::string_view key);

} // namespace migsafe::workflow
