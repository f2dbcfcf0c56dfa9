#pragma once

/// Compensating migrations: for an applied migration, the migration that undoes it,
/// computed from its parsed statements and from the catalog before it ran (the history's
/// `objects_before`). Destructive steps keep their data aside (an archive schema) instead of
/// dropping it; what cannot be undone from the catalog says so (needs a snapshot, or a
/// person). The rules and their limits are in docs/compensate.md.
///
/// This engine is pure: it reads no database. `workflow::compensate`
/// (<migsafe/workflow/compensate.hpp>) reads the history and the catalog and calls it.

#include <migsafe/export.hpp>
#include <migsafe/model/migration_set.hpp>
#include <migsafe/platform/identifier.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::compensate {

/// What undoing one step does to data.
enum class DataSafety {
    lossless,       ///< only the schema changes back; no data is lost
    archived,       ///< data the step would remove is first copied into the archive schema
    needs_snapshot, ///< the data the migration removed or changed is not in the catalog:
                    ///< only a snapshot (the history's snapshot_id) has it
    manual,         ///< migsafe does not know how to undo the statement: a person must
};

/// `lossless`, `archived`, `needs-snapshot` or `manual`.
MIGSAFE_API std::string_view to_string(DataSafety safety) noexcept;

/// Reads a data-safety name; nullopt for anything else.
MIGSAFE_API std::optional<DataSafety> parse_data_safety(std::string_view text) noexcept;

/// Which file of the compensation a step goes to.
enum class Part {
    transactional, ///< the first file: one transaction
    no_transaction ///< the second file (`-- migsafe:no-transaction`): CONCURRENTLY, VALIDATE
};

/// `transactional` or `no-transaction`.
MIGSAFE_API std::string_view to_string(Part part) noexcept;

/// One step of a compensation.
struct Step {
    std::string sql{};      ///< the statement, without the final `;` (empty: nothing to run)
    std::string undoes{};   ///< where the statement it undoes is: `0007_add_x.sql:3`
    std::string original{}; ///< that statement's first line
    std::string lock{};     ///< the strongest lock the step takes: `AccessExclusiveLock on t`
    bool rewrites = false;  ///< the step rewrites the table (a type change back)
    DataSafety safety = DataSafety::lossless;
    Part part = Part::transactional;
    std::string archive{}; ///< where its data is kept: `migsafe_archive.t__c__0007`
    std::string note{};    ///< why: the manual reason, what needs a snapshot, a caveat
    /// Planner rules (MS-...) the step triggers on purpose; the file allows them.
    std::vector<std::string> allows{};
    friend bool operator==(const Step&, const Step&) = default;
};

/// What `compensate` knows of the applied migration from migsafe.history.
struct AppliedMigration {
    model::Version version;
    std::string file{};           ///< relative path, as recorded
    std::string finished_at{};    ///< RFC 3339 UTC
    std::string snapshot_id{};    ///< the snapshot taken or checked before it, if any
    std::string objects_before{}; ///< JSON: the touched tables before it ran
    /// The runner that applied it when it was adopted (`migsafe adopt`), else empty: no
    /// catalog was recorded before an adopted migration, and the steps that need one say so.
    std::string adopted_from{};
};

/// A flag to switch off before a migration is rolled back: the migration required it fully
/// on (`-- migsafe:requires-flag`), so code behind the flag relies on the new shape.
struct FlagToSwitchOff {
    std::string key{};
    std::string env{};

    friend bool operator==(const FlagToSwitchOff&, const FlagToSwitchOff&) = default;
};

/// The flags of `migration`'s `-- migsafe:requires-flag` directives, in file order.
MIGSAFE_API std::vector<FlagToSwitchOff> flags_to_switch_off(const model::Migration& migration);

/// The compensation of one migration: ordered steps and the files they make.
struct Report {
    static constexpr int k_schema_version = 1;
    model::Version version; ///< the migration compensated
    std::string name{};
    std::string file{};
    std::string applied_at{};
    std::string snapshot_id{};
    std::string archive_schema{};
    std::chrono::milliseconds lock_timeout{0};
    std::chrono::milliseconds concurrently_lock_timeout{0};
    std::vector<Step> steps{}; ///< in the order they run: transactional first
    /// Flags to switch off before the compensation runs (the files say so in a comment).
    std::vector<FlagToSwitchOff> switch_off_first{};

    /// Whether every step is lossless or archived (exit 0); else some step needs a
    /// snapshot or a person (exit 1).
    MIGSAFE_API bool complete() const noexcept;
    /// How many steps have `safety`.
    MIGSAFE_API int count(DataSafety safety) const noexcept;
    /// The first file: `SET lock_timeout`, then every transactional step; empty when there is
    /// none. Manual steps show as comments.
    MIGSAFE_API std::string transactional_sql() const;
    /// The second file, `-- migsafe:no-transaction`; empty when there is no such step.
    MIGSAFE_API std::string no_transaction_sql() const;
    /// The report as one JSON document (docs/json.md, "compensate").
    MIGSAFE_API std::string to_json(int indent = 2) const;
    /// Reads `to_json`'s output. Throws `compensate-report-malformed`.
    MIGSAFE_API static Report from_json(std::string_view json);
    friend bool operator==(const Report&, const Report&) = default;
};

/// The differences between two reports, one line each (empty: equal).
MIGSAFE_API std::vector<std::string> diff(const Report& left, const Report& right);

/// Settings of a compensation. Fill with designated initializers.
struct Options {
    /// The `lock_timeout` the compensation sets before its transactional steps.
    std::chrono::milliseconds lock_timeout{std::chrono::seconds(5)};
    /// The `lock_timeout` before CONCURRENTLY steps (they wait for older transactions).
    std::chrono::milliseconds concurrently_lock_timeout{std::chrono::minutes(30)};
    /// Where removed data and moved-aside tables go (created IF NOT EXISTS).
    std::string archive_schema{"migsafe_archive"};
};

/// The relations whose catalog `plan` needs now: the tables `migration` touched, under
/// the names they have after it ran (renames followed), plus the keys of `objects_before`.
MIGSAFE_API std::set<std::string> relations_after(const model::Migration& migration,
                                                  std::string_view objects_before);

/// Computes the compensation of `migration` (loaded with its statements) from what the
/// history recorded (`applied`) and the catalog of `relations_after` now (`objects_now`,
/// the same JSON form as objects_before). Pure: no database. Steps undo the statements in
/// reverse order; constraints and indexes that were dropped along with something (e.g.
/// a column's) are re-created from objects_before. Throws `compensate-objects-malformed`
/// when either JSON text cannot be read. Cost: linear in the statements and objects.
MIGSAFE_API Report plan(const model::Migration& migration, const AppliedMigration& applied,
                        std::string_view objects_now, const Options& options = {});

/// The files `write` added, and whether it rewrote migsafe.sum.
struct Written {
    std::vector<std::filesystem::path> files{};
    bool sum_rewritten = false;
};

/// Adds the compensation to `set`'s directory as the next version(s):
/// `NNNN_compensate_VVVV.sql` (transactional steps) and, when there are CONCURRENTLY or
/// VALIDATE steps, `NNNN+1_compensate_VVVV_concurrently.sql`; rewrites migsafe.sum when
/// the directory has one. Throws `compensate-layout-unsupported` (the set is not in
/// migsafe's own layout), `compensate-file-exists` and `io-write-failed`.
MIGSAFE_API Written write(const Report& report, const model::MigrationSet& set);

/// The one identifier quoting function (platform/identifier.hpp), used for every name the
/// compensating SQL writes.
using platform::quote_ident;

} // namespace migsafe::compensate
