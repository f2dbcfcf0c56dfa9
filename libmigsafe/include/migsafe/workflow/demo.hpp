#pragma once

#include <migsafe/export.hpp>
#include <migsafe/model/version.hpp>
#include <migsafe/platform/cluster.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

/// `migsafe demo`: migsafe's main job end to end on the embedded default. Each capability
/// extends this workflow as it lands; today it starts an ephemeral cluster, reads and
/// parses a migration set, checks its sum file and applies it, one transaction per
/// migration unless the file says `-- migsafe:no-transaction`.
namespace migsafe::workflow {

/// Options of `run_demo`.
struct DemoOptions {
    /// The migration set (e.g. `sql-fixtures/podiatry`).
    std::filesystem::path fixtures{};
    /// SQL run after the migrations to load rows (e.g. `sql-fixtures/podiatry-seed.sql`);
    /// empty: none.
    std::filesystem::path seed{};
    /// Keep the cluster's directory and server log.
    platform::Keep keep = platform::Keep::no;
};

/// One statement as the demo shows it.
struct DemoStatement {
    std::string kind;    ///< `create_table`, `alter_table`, ... (model::to_string)
    std::string file;    ///< relative to the set's directory
    int line = 0;        ///< 1-based
    int column = 0;      ///< 1-based
    std::string summary; ///< the statement's first line, shortened
    /// From the static plan: the phase, the strongest lock (`AccessExclusiveLock on
    /// public.t`, or empty) and the rule ids of its findings (`MS-IDX-01 error`,
    /// `MS-COL-01 allowed`).
    std::string phase;
    std::string lock;
    std::vector<std::string> findings;
};

/// One migration as the demo shows it.
struct DemoMigration {
    model::Version version;
    std::string name;
    std::string layout;
    std::optional<std::string> phase; ///< from `-- migsafe:phase`, when given
    bool transactional = true;        ///< false for `-- migsafe:no-transaction`
    std::vector<std::string> allowed; ///< rule ids allowed by `-- migsafe:allow`
    std::vector<DemoStatement> statements;
    double apply_ms = 0;               ///< time to apply it on the ephemeral cluster
    int run = 0;                       ///< which apply run applied it (1-based; DemoReport::runs)
    std::int64_t backfill_rows = 0;    ///< rows a backfill migration updated
    std::int64_t backfill_batches = 0; ///< its batches
};

/// One `migsafe apply` run of the demo (the releases go out in phases).
struct DemoRun {
    std::string step{};        ///< what the run stands for, e.g. `release 5: expand + backfill`
    std::string phase{};       ///< the --phase it ran with
    int applied = 0;           ///< migrations applied
    std::string held{};        ///< why it stopped where it did (empty: nothing was left)
    std::string snapshot_id{}; ///< the snapshot taken (or reused) before risky migrations
    std::int64_t ms = 0;
};

/// One table's exact row count before and after the seed, from two integrity scans.
struct DemoTableRows {
    std::string table; ///< schema-qualified
    std::uint64_t rows_before = 0;
    std::uint64_t rows_after = 0;
    std::string checksum_after; ///< the table's checksum after the seed
};

/// What the demo did.
struct DemoReport {
    int server_version = 0;        ///< e.g. 150018
    double cluster_start_ms = 0;   ///< initdb + start
    std::string cluster_dir;       ///< set when the directory was kept
    std::string fixtures;          ///< the set's directory
    bool sum_file_matches = false; ///< migsafe.sum agrees with the set
    std::string plan_verdict;      ///< `pass` or `fail`: the static plan of the set
    std::string plan_summary;      ///< e.g. `4 errors, 14 warnings, 10 infos, 1 allowed`
    /// The trace of the set on its own ephemeral cluster (`migsafe plan --trace`):
    /// statements run and compared with the static plan, those that agree, and each
    /// disagreement.
    int trace_compared = 0;
    int trace_agreed = 0;
    std::vector<std::string> trace_disagreements;
    std::vector<DemoMigration> migrations;
    std::vector<DemoRun> runs; ///< the apply runs, in order
    /// The cut-over gate before the contract run, one line per step: the flag created, the
    /// contract refused, the flag turned fully on, the gate passing (at a later time the
    /// demo injects when the migration asks for `on-for`, and says so).
    std::vector<std::string> gate;
    int pending_after = 0; ///< migrations still pending after the last run (0 expected)
    std::string seed;      ///< the seed file loaded, when one was given
    /// `migsafe verify` after the migrations and after the seed: one line per table with
    /// its rows before and after, and the differences the second report shows against
    /// the first (`integrity::Difference::describe()`).
    std::vector<DemoTableRows> tables;
    std::vector<std::string> verify_differences;
    double verify_ms = 0; ///< both integrity scans
    /// A snapshot of the seeded database in a temporary store (removed afterwards),
    /// verified at level 2, and drilled into a second ephemeral cluster.
    std::string snapshot_id;
    std::uint64_t snapshot_stored_bytes = 0;
    int snapshot_verified_level = 0;
    bool drill_passed = false;
    std::int64_t drill_rto_ms = 0;
    /// `migsafe check` against the migrated, seeded, snapshotted and drilled database: the
    /// gate the next release would meet. Each item as `status name: summary`.
    std::string check_verdict;
    std::vector<std::string> check_items;
    /// `migsafe rehearse` of the set on a cluster of its own: one line per migration
    /// (`0005 expand_x: up ok, down missing, compensation ok, redo skipped, interrupt n/a`)
    /// and the verdict.
    std::vector<std::string> rehearsal;
    std::string rehearsal_verdict;
    double total_ms = 0;
};

/// Runs the demo. Throws the errors of `EphemeralCluster::start` (`binary-not-found`,
/// `cluster-start-failed`), of `load_migration_set` and `require_sum_file`, and the
/// session's errors when a migration fails to apply (the cluster is removed either way,
/// unless kept). Cost: about two seconds on the podiatry fixtures.
MIGSAFE_API DemoReport run_demo(const DemoOptions& options);

/// The report as a JSON object (docs/json.md, "demo").
MIGSAFE_API std::string to_json(const DemoReport& report);

} // namespace migsafe::workflow
