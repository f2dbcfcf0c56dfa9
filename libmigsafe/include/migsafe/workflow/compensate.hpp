#pragma once

/// `migsafe compensate`: the compensating migration of an applied migration, from the
/// history's record of the catalog before it ran and the catalog now (docs/compensate.md).

#include <migsafe/compensate/compensate.hpp>
#include <migsafe/export.hpp>
#include <migsafe/model/migration_set.hpp>
#include <migsafe/platform/session.hpp>

#include <cstdint>
#include <string>

namespace migsafe::workflow {

/// Computes the compensation of `version`: reads its migsafe.history row, checks that the
/// file in `set` (loaded with its statements) is the one applied, describes the tables it
/// touched as they are now and calls compensate::plan. Reads only; changes nothing.
/// Throws `compensate-unknown-version` (neither in `set` nor in the history, or in the
/// history without its file), `compensate-not-applied` (pending, failed or partial),
/// `compensate-drifted` (the file changed since it was applied), `db-connect-failed`
/// (exit 3) and the errors of compensate::plan. Cost: two catalog queries.
MIGSAFE_API compensate::Report compensate(const std::string& conninfo,
                                          const model::MigrationSet& set,
                                          const model::Version& version,
                                          const compensate::Options& options = {});

/// The same on `session`, a connection the caller keeps open (`migsafe rehearse`).
MIGSAFE_API compensate::Report compensate(platform::Session& session,
                                          const model::MigrationSet& set,
                                          const model::Version& version,
                                          const compensate::Options& options = {});

} // namespace migsafe::workflow
