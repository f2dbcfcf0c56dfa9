#pragma once

/// The static plan: what every statement of a migration set will do to a live database
/// (locks, rewrites, scans, phase) and which rules it breaks, without a database.

#include <migsafe/export.hpp>
#include <migsafe/model/catalog_facts.hpp>
#include <migsafe/model/directive.hpp>
#include <migsafe/model/migration_set.hpp>
#include <migsafe/model/statement.hpp>
#include <migsafe/plan/report.hpp>
#include <migsafe/plan/rule.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace migsafe::plan {

/// Whether the schema-design lints (MS-DES) run.
enum class DesignLints { off, on };

/// Settings of a plan. Fill with designated initializers:
/// `analyze_sql(sql, "0001.sql", {.pg_version = 11, .fail_on = Severity::warning})`.
struct PlanOptions {
    int pg_version = 15;                         ///< PostgreSQL major version planned for
    Severity fail_on = Severity::error;          ///< lowest unallowed severity that fails
    DesignLints design_lints = DesignLints::off; ///< run the opt-in MS-DES lints
    /// A lock_timeout at or below this many milliseconds is "short" for CONCURRENTLY
    /// statements (MS-IDX-06), which wait for every older transaction.
    int short_lock_timeout_ms = 10000;
    /// The lock_timeout (ms) the runner sets before each file (`migsafe apply
    /// --lock-timeout`); nullopt when it sets none, so only `SET lock_timeout` counts.
    std::optional<int> runner_lock_timeout_ms{};
    /// The statement_timeout (ms) the runner sets before each file; nullopt for none.
    std::optional<int> runner_statement_timeout_ms{};
    /// The live catalog (`migsafe plan --db`), borrowed: it must outlive the call. nullptr
    /// plans from the SQL text alone. With facts, real column types, validated
    /// `CHECK (c IS NOT NULL)`, NOT NULL and function volatility sharpen the verdicts, and
    /// findings on existing tables state their size. Tables the release creates stay new.
    const model::CatalogFacts* catalog = nullptr;
    /// With a catalog: a warning whose statement rewrites or scans a table with more rows
    /// than this (or more bytes than `large_table_bytes`) becomes an error.
    double large_table_rows = 1'000'000;
    std::int64_t large_table_bytes = std::int64_t{1} << 30; ///< 1 GiB
    /// Rule ids switched off (migsafe.toml `[plan] disabled_rules`): their findings are
    /// dropped from the report.
    std::vector<std::string> disabled_rules{};
    /// Rule id -> the severity its findings get (`[plan] severity`), before the verdict.
    std::vector<std::pair<std::string, Severity>> severity_overrides{};
    /// Findings allowed by the project config (`[[plan.allow]]`): a finding of `rule` in
    /// a file whose path (relative to the migration set, else as given) matches the glob
    /// `path` (fnmatch(3), `*` also matches `/`) stays in the report, marked allowed with
    /// `reason`, like a `-- migsafe:allow` directive (which wins when both apply).
    struct PathAllow {
        std::string rule{};
        std::string path{};
        std::string reason{};
    };
    std::vector<PathAllow> path_allows{};
};

/// How migsafe runs a migration file.
enum class Transaction {
    wrapped, ///< in one transaction (the default)
    none,    ///< `-- migsafe:no-transaction`: statement by statement (autocommit)
};

/// `-- migsafe:allow RULE reason`: the finding stays in the report, marked allowed.
struct Allow {
    std::string rule{};   ///< rule id, e.g. `MS-IDX-01`
    std::string reason{}; ///< why it is acceptable here
};

/// One migration file, parsed, with what its directives say.
struct PlanInput {
    std::filesystem::path file{};
    std::vector<model::Statement> statements{};
    Transaction transaction = Transaction::wrapped;
    std::optional<Phase> phase{}; ///< `-- migsafe:phase X` overrides every statement's phase
    std::vector<Allow> allows{};
};

/// The planner's view of a file's directives (model::parse_directives): transaction mode,
/// phase and allowed rules. Throws `directive-malformed` when an allow names a rule that
/// is not in the catalog (with a "did you mean").
MIGSAFE_API PlanInput plan_input(const model::Directives& directives,
                                 const std::filesystem::path& file);

/// `plan_input(model::parse_directives(sql, file), file)`: also throws the model's
/// `directive-unknown` and `directive-malformed`.
MIGSAFE_API PlanInput read_plan_directives(std::string_view sql, const std::filesystem::path& file);

/// Reads and parses SQL files given one by one (not a migration set), in parallel, into
/// planner inputs in the order given. Throws `input-not-found` for a missing file, then the
/// parser's and the directives' errors, for the first bad file in that order.
MIGSAFE_API std::vector<PlanInput> read_plan_inputs(std::span<const std::filesystem::path> files);

/// Plans `files` in order, as one release: objects created in an earlier file or
/// statement are new (locking them blocks nobody); a DROP of something the same release
/// added is a contract step in the release of its expand, which fails the verdict.
/// Never throws for findings (they are report data). Cost: linear in the statements.
MIGSAFE_API PlanReport analyze(std::span<const PlanInput> files, const PlanOptions& options = {});

/// Plans a migration set (loaded with model::ParseStatements::yes) as one release, in
/// version order; statements are located by the files' paths relative to the set.
/// Throws `directive-malformed` for an allow of an unknown rule.
MIGSAFE_API PlanReport analyze(const model::MigrationSet& set, const PlanOptions& options = {});

/// Plans a migration set the way it is deployed: every migration before `release_from`
/// is a release of its own (it ran alone, so what it created is an existing, possibly
/// large table for the migrations after it), and the migrations from `release_from` on are
/// one release, deployed together (new objects among them are exempt, and a contract step
/// that depends on an expand of the same release fails the verdict). Without
/// `release_from` every migration is its own release. Throws what `analyze` throws.
/// Cost: linear in the statements.
MIGSAFE_API PlanReport analyze_releases(const model::MigrationSet& set,
                                        std::optional<model::Version> release_from,
                                        const PlanOptions& options = {});

/// Plans one SQL file: parses `sql` (model::parse_sql), reads its directives and
/// analyses it. Throws `sql-syntax` and `directive-malformed`.
MIGSAFE_API PlanReport analyze_sql(std::string_view sql, const std::filesystem::path& file,
                                   const PlanOptions& options = {});

/// A rough duration (seconds) of `statement` on the tables `catalog` describes: the bytes
/// it rewrites at ~50 MB/s plus the bytes it only scans at ~200 MB/s (orders of magnitude,
/// the same figures the findings state). 0 for tables the catalog does not hold.
MIGSAFE_API double estimated_seconds(const StatementPlan& statement,
                                     const model::CatalogFacts& catalog);

} // namespace migsafe::plan
