#pragma once
// migsafe plan as one call: read a migration directory or SQL files, with `--db` read the
// live catalog, let the server judge newer syntax, warn about another runner's history,
// plan release by release, apply the cut-over gate, and with `trace` run the migrations
// on a scratch copy. The CLI parses options, calls plan() and renders the result.

#include <migsafe/export.hpp>
#include <migsafe/flags/gate.hpp>
#include <migsafe/model/migration_set.hpp>
#include <migsafe/plan/analyze.hpp>
#include <migsafe/plan/render.hpp>
#include <migsafe/trace/trace.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace migsafe::workflow {

struct PlanRequest {
    /// One migration directory, or SQL files planned as one release in the order given;
    /// empty: `./migrations`. A directory is checked against its migsafe.sum when it has one.
    std::vector<std::filesystem::path> paths{};
    model::LoadOptions load{}; ///< the layout a directory must have
    /// The rule settings (fail-on, design lints, the project's overrides). `pg_version`
    /// and `catalog` are set by plan(): from `pg_version`, else the live server's, else 15.
    plan::PlanOptions options{};
    std::optional<int> pg_version{};
    /// `--db`: the live database whose catalog sharpens the verdicts (read only). Without
    /// it planning needs no server (CI stays offline).
    std::optional<std::string> conninfo{};
    /// The migrations from this version on are one release (`--release-from`); checked:
    /// `usage-invalid-option` when it is not a version.
    std::optional<std::string> release_from{};
    bool trace = false; ///< also run the migrations on a scratch copy and compare
};

struct PlanResult {
    plan::PlanReport report{};
    std::optional<trace::TraceReport> traced{};
    /// The cut-over gate of a directory's pending migrations (only with `conninfo`); a
    /// refused requirement has already failed `report.verdict`.
    std::vector<flags::GateVerdict> gate{};
    /// Migrations another runner applied that migsafe.history does not cover: planning
    /// them reviews the wrong release.
    std::vector<std::string> warnings{};

    /// The plan's JSON document, with `trace` and `cut_over_gate` when they ran.
    MIGSAFE_API std::string to_json() const;
    /// The plan in `format` (text, SARIF, GitHub annotations); the text gains the trace
    /// and the gate's lines.
    MIGSAFE_API std::string render(plan::Format format, plan::Colour colour) const;
};

/// Plans what `request` names. Throws `migsafe::Error` for unreadable input, a set whose
/// migsafe.sum disagrees, a bad `release_from`, or a server that cannot be reached.
MIGSAFE_API PlanResult plan(PlanRequest request);

} // namespace migsafe::workflow
