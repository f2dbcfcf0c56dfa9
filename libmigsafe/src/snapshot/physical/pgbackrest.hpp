#pragma once
// Private: driving pgBackRest (docs/snapshot.md, "pgbackrest"). migsafe runs pgbackrest's
// own commands for a configured stanza and reads their output; it never writes the
// repository itself. Every command runs through platform::run_process (no shell), as
// `PgBackRestSettings::run_as_user` when root, with `--stanza`, `--config` when set, and
// `--log-level-console` chosen per command. A missing program is `binary-not-found`
// (exit 3) with the hint `apt-get install pgbackrest`.

#include <migsafe/snapshot/engine.hpp>
#include <migsafe/snapshot/verify.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::snapshot::detail::pgbackrest {

/// One backup of `pgbackrest info --output=json`.
struct Backup {
    std::string label{};                  ///< `20261206-222209F_20261206-222213I`
    std::string type{};                   ///< `full`, `diff`, `incr`
    std::string prior{};                  ///< the backup it builds on (empty for full)
    std::vector<std::string> reference{}; ///< every backup whose files it uses (empty for full)
    std::string lsn_start{};              ///< `0/5000028`
    std::string lsn_stop{};               ///< `0/5000100`
    std::string wal_start{};              ///< `000000010000000000000005`
    std::string wal_stop{};               ///< same form
    std::int64_t time_start = 0;          ///< epoch seconds
    std::int64_t time_stop = 0;           ///< epoch seconds
    std::uint64_t size = 0;               ///< database bytes (`info.size`)
    std::uint64_t repo_size = 0;          ///< bytes in the repository (`info.repository.size`)
    std::string system_id{};              ///< of the database the backup belongs to, exact (64 bit)
    std::string pg_version{};             ///< `15`
    std::string backrest_version{};       ///< `2.45`
    bool error = false;                   ///< pgBackRest found page checksum errors while copying
};

/// One stanza of `pgbackrest info --output=json`.
struct Stanza {
    std::string name{};
    int status_code = 0;           ///< 0 ok; pgBackRest's codes otherwise
    std::string status_message{};  ///< `ok`, `missing stanza path`, ...
    std::string archive_min{};     ///< oldest WAL segment in the archive (current db)
    std::string archive_max{};     ///< newest
    std::vector<Backup> backups{}; ///< oldest first, as pgBackRest lists them
};

/// Parses `info --output=json` and returns stanza `stanza`. System ids are 64-bit
/// integers above 2^53: they are read as unsigned integers and written in decimal
/// exactly, never through a double. Throws `process-failed` (not JSON, or the stanza is
/// absent; the message names the stanza and quotes pgBackRest's status message).
Stanza parse_info(std::string_view json_text, std::string_view stanza);

/// Parses the text of `pgbackrest verify --log-level-console=info` (it exits 0 even when
/// files are invalid): one `backup-invalid` mismatch per invalid file of backup `label`
/// (or of the archive WAL it needs), `file` naming the repository path and `actual` the
/// reason (`invalid checksum`, `missing`, `invalid size`, ...); a stanza status `error`
/// with no file named gives one mismatch quoting the summary. Empty: valid.
std::vector<Mismatch> parse_verify(std::string_view text, std::string_view label);

/// `parse_verify` for a backup as `info` lists it, which attributes more to it: invalid
/// files of the backups it references (pgBackRest names them under their own label), WAL
/// from its `wal_start` on, a missing manifest, WAL it needs that the archive lacks, and a
/// gap later on its timeline, where recovery to the end of the archive would stop (pgBackRest
/// 2.45 only prints the archive's ranges, at `--log-level-console=detail`, and calls a gap
/// `ok`).
std::vector<Mismatch> parse_verify(std::string_view text, const Backup& backup);

/// `pgbackrest version`, e.g. `2.45`.
std::string version(const PgBackRestSettings& settings);

/// `pgbackrest info --output=json` for the stanza, parsed.
Stanza info(const PgBackRestSettings& settings);

/// `pgbackrest backup --type=<settings.backup_type>` (plus `--process-max` when set),
/// then `info`: the new backup (the newest label, which did not exist before). Throws
/// `process-failed` quoting pgBackRest's error lines.
Backup backup(const PgBackRestSettings& settings);

/// `pgbackrest verify --log-level-console=detail` (the whole repository: 2.45 cannot verify
/// one backup), parsed (see `parse_verify`) for backup `label` as `info` lists it; a label
/// the repository does not have gives one `backup-missing` mismatch. Throws
/// `process-failed` when pgBackRest fails or does not print that it completed.
std::vector<Mismatch> verify(const PgBackRestSettings& settings, const std::string& label);

/// `pgbackrest restore --set=<label> --pg1-path=<data_dir> --archive-mode=off` with
/// `--type=time|lsn --target=... --target-action=promote` for a target (`--type=default`,
/// the end of the archive, for latest: pgBackRest refuses a target action without a
/// target). `data_dir` must exist and be empty; pgbackrest writes `archive_mode = 'off'`,
/// the restore_command (naming the pgbackrest it was run as, by absolute path) and the
/// targets into its postgresql.auto.conf, and a recovery.signal. A target with both a time
/// and an LSN is `usage-invalid-option`.
/// Runs as `settings.run_as_user` when root (it must own `data_dir`).
void restore(const PgBackRestSettings& settings, const std::string& label,
             const std::filesystem::path& data_dir, const RecoveryTarget& target);

} // namespace migsafe::snapshot::detail::pgbackrest
