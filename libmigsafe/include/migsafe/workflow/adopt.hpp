#pragma once

/// `migsafe adopt --from TOOL`: imports another runner's history into `migsafe.history`
/// (status `adopted`, who/when from the tool's row, the row kept as provenance) after
/// checking every row against the files; never runs a migration. And the guard that
/// status, check, plan, apply and compensate call: which other runner's history
/// `migsafe.history` does not cover yet. docs/adopt.md.

#include <migsafe/adopt/tool.hpp>
#include <migsafe/export.hpp>
#include <migsafe/model/migration_set.hpp>
#include <migsafe/platform/session.hpp>
#include <migsafe/workflow/history.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::workflow {

/// Whether `adopt` writes (`--dry-run`: it only says what it would import).
enum class AdoptMode { write, dry_run };

/// How to adopt. Fill with designated initializers.
struct AdoptOptions {
    adopt::Tool tool = adopt::Tool::prisma;
    std::string
        schema{}; ///< where the tool's table is (empty: its default, see adopt::locate_history)
    std::string table{}; ///< its name (empty: the tool's default)
    AdoptMode mode = AdoptMode::write;
    /// The migration directory as the user wrote it (`--dir`), for the commands in messages.
    std::string directory{};
    /// How long to wait for the runner lock another `migsafe apply` holds (exit 3 after).
    std::chrono::milliseconds wait{std::chrono::seconds(30)};
};

/// What became of one migration.
enum class AdoptState {
    imported,        ///< written to migsafe.history as adopted (`written`), or to be (a dry run, or
                     ///< an adoption refused because of another row)
    already_adopted, ///< migsafe.history already has it (applied or adopted): left alone
    refused,         ///< a row migsafe will not adopt (the reason and the fix say why)
};

/// `imported`, `already-adopted`, `refused`.
MIGSAFE_API std::string_view to_string(AdoptState state) noexcept;

/// One line of the report.
struct AdoptedMigration {
    std::string version{}; ///< migsafe's version text ("3", "1.2.10", "20240101120000")
    std::string name{};
    std::string file{};         ///< relative to the directory (empty: no file)
    std::string tool_version{}; ///< the tool's identity of it (Prisma's folder, ...)
    AdoptState state = AdoptState::imported;
    std::string applied_at{}; ///< from the tool's row, RFC 3339 UTC (empty: not kept)
    std::string applied_by{}; ///< from the tool's row (empty: not kept)
    std::string reason{};     ///< refused: which row and what is wrong
    std::string fix{};        ///< refused: the tool's command that fixes it
};

/// The result of `adopt`. Refused rows make it a verdict fail (exit 1), and then nothing is
/// imported at all.
struct AdoptReport {
    static constexpr int k_schema_version = 1;
    adopt::Tool tool = adopt::Tool::prisma;
    std::string table{}; ///< `schema.table` of the tool's history
    bool dry_run = false;
    bool written = false; ///< rows were written to migsafe.history by this call
    int rows = 0;         ///< rows in the tool's table
    std::vector<AdoptedMigration> migrations{}; ///< imported/already in file order, then refused
    std::vector<std::string> warnings{};        ///< order notes (nothing refused for them)

    MIGSAFE_API int count(AdoptState state) const noexcept;
    /// True when a row was refused (exit 1).
    MIGSAFE_API bool refused() const noexcept { return count(AdoptState::refused) > 0; }
    /// The JSON form (docs/json.md): schema_version, tool, table, dry_run, written, rows, counts,
    /// migrations[...], warnings.
    MIGSAFE_API std::string to_json(int indent = 2) const;
};

/// Adopts `options.tool`'s history on `session` for `set` (loaded from the same directory
/// the tool runs). Under the runner lock `migsafe apply` takes, in one transaction; again
/// is a no-op (`already-adopted`). Never runs a migration.
/// Throws `adopt-history-not-found` (no table of the tool where it looks: exit 2),
/// `adopt-history-foreign` (a table of that name with other columns: exit 2),
/// `apply-lock-busy` (another migsafe apply runs: exit 3), and the errors of
/// `Session::query` and `read_history`.
MIGSAFE_API AdoptReport adopt(platform::Session& session, const model::MigrationSet& set,
                              const AdoptOptions& options);

/// Another runner's history that migsafe.history does not cover (yet).
struct UncoveredHistory {
    adopt::Tool tool = adopt::Tool::prisma;
    std::string table{};   ///< `schema.table`
    int rows = 0;          ///< rows in it that say a migration is applied
    int uncovered = 0;     ///< of those, the ones migsafe.history has no entry for
    std::string example{}; ///< the first uncovered migration (the tool's identity)
    std::string command{}; ///< `migsafe adopt --from TOOL --dir DIR`
    std::string message{}; ///< one line for people, the command included
};

/// The runner a project lives beside (`--keep-history TOOL`, the config file), with where
/// its table is when not in the tool's default place.
struct ConfiguredRunner {
    adopt::Tool tool = adopt::Tool::prisma;
    std::string schema{};
    std::string table{};
};

/// For status, check, plan --db, apply and compensate: every tool whose history (in its
/// default place; for `configured`, in its configured place) records applied migrations of
/// `set` that `history` (migsafe.history as read) has no entry for. `directory` is the
/// `--dir` for the hint. Read-only; no checksums (cheap: one catalog query per place
/// looked at plus one query per table found). Empty when there is nothing to adopt.
MIGSAFE_API std::vector<UncoveredHistory>
uncovered_histories(platform::Session& session, const model::MigrationSet& set,
                    const std::vector<HistoryEntry>& history, std::string_view directory,
                    const std::optional<ConfiguredRunner>& configured = std::nullopt);

} // namespace migsafe::workflow
