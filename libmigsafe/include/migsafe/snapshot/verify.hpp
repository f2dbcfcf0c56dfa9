#pragma once

#include <migsafe/export.hpp>
#include <migsafe/platform/pg_binaries.hpp>
#include <migsafe/snapshot/engine.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace migsafe::snapshot {

/// One thing wrong with a snapshot: what, in which file, expected and actual values.
struct Mismatch {
    /// Stable kebab-case kind: `manifest-unreadable`, `manifest-copies-differ`,
    /// `missing-file`, `extra-file`, `size`, `hash`, `content`, `archive-unreadable`,
    /// `table-missing-from-archive`, `table-missing-from-manifest`; physical engines:
    /// `backup-invalid` (pg_verifybackup's or pgBackRest's finding, its words in
    /// `actual`), `backup-missing` (the label is not in the repository), `start-failed`
    /// (level 2: the restored cluster did not start or recover; the server log's last
    /// lines in `actual`).
    std::string kind{};
    std::string file{};     ///< path relative to the snapshot folder (or a table name)
    std::string expected{}; ///< what the manifest says (empty when not applicable)
    std::string actual{};   ///< what was found (empty when not applicable)

    friend bool operator==(const Mismatch&, const Mismatch&) = default;

    /// One lowercase line, e.g. `data/toc.dat.zst: hash 1a.., expected 2b..`.
    MIGSAFE_API std::string describe() const;
};

/// The result of `verify`: the level reached and every mismatch found.
struct VerifyReport {
    std::string id{};
    int level_requested = 1;
    int level_reached = 0; ///< the highest level whose checks all passed (0: none)
    std::vector<Mismatch> mismatches{};

    /// Whether the requested level was reached.
    bool passed() const { return level_reached >= level_requested && mismatches.empty(); }
    /// JSON object {id, level_requested, level_reached, passed, mismatches:[...]}.
    MIGSAFE_API std::string to_json(int indent = 2) const;
};

/// How to verify. Fill it with designated initializers.
struct VerifyOptions {
    /// 1: manifest self-hash, both copies agree, every file's size and hashes (stored and
    /// content); 2: also `pg_restore --list` reads the archive and its tables match the
    /// manifest's integrity report. (Level 3, a drill, is `workflow::drill`.)
    int level = 1;
    /// The PostgreSQL programs (level 2); nullopt looks for pg_dump and pg_restore.
    std::optional<platform::PgBinaries> binaries{};
    /// Where level 2 unpacks the table of contents; empty: the system temp folder.
    std::filesystem::path work_dir{};
    /// pgBackRest snapshots: how to run pgbackrest (the stanza and configuration file
    /// default to the manifest's). nullopt: the manifest's, as the current user.
    std::optional<PgBackRestSettings> pgbackrest{};
};

/// Physical snapshots (docs/snapshot.md, "The verify ladder"): level 1 is the engine's own
/// check (pg_verifybackup against the backup manifest; `pgbackrest verify`, whose text
/// is parsed because it exits 0 on invalid files); level 2 restores into a scratch
/// cluster and starts it until recovery ends.
///
/// Checks snapshot `id_or_latest` of `store` without restoring it, and records the result
/// in the store's `verifications.jsonl` (what `list` shows). Mismatches are report data,
/// never exceptions. Throws `store-invalid`, `snapshot-not-found`, `usage-invalid-option`
/// (level not 1 or 2), `binary-not-found` (level 2). Cost: reads every stored file once.
MIGSAFE_API VerifyReport verify(const std::filesystem::path& store, const std::string& id_or_latest,
                                const VerifyOptions& options = {});

/// The newest snapshot of `database` in `store` younger than `max_age` that passes a
/// level-1 verify now (what `create --if-older-than` reuses and `apply` requires before
/// risky migrations). A snapshot of a same-named database on another server (both system
/// identifiers known and different) never counts; a fresh one that fails verification is
/// logged and skipped. nullopt when there is none (or `store` is not a folder).
/// Cost: reads each manifest, and verifies candidates newest first until one passes.
MIGSAFE_API std::optional<std::string> fresh_verified(const std::filesystem::path& store,
                                                      const std::string& database,
                                                      const std::string& system_identifier,
                                                      std::chrono::milliseconds max_age);

} // namespace migsafe::snapshot
