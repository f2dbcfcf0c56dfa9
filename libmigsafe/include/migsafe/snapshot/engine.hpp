#pragma once

#include <migsafe/export.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

/// The engines a snapshot can be taken with (docs/snapshot.md, "Engines"): pg_dump (a
/// logical archive in the store), pg_basebackup (a physical copy in the store, checked by
/// pg_verifybackup) and pgBackRest (a backup in pgBackRest's own repository, which migsafe
/// only drives: it never writes the repository itself).
namespace migsafe::snapshot {

/// Which program takes (and restores) a snapshot.
enum class Engine {
    pg_dump,    ///< `pg_dump -Fd`, compressed with zstd and hashed by migsafe (the default)
    basebackup, ///< `pg_basebackup -Fp -X stream` with a backup manifest
    pgbackrest, ///< `pgbackrest backup` of a configured stanza
};

/// `pg_dump`, `basebackup` or `pgbackrest`.
MIGSAFE_API std::string_view to_string(Engine engine) noexcept;
/// The engine named `text` (as `to_string` writes it); nullopt for anything else.
MIGSAFE_API std::optional<Engine> parse_engine(std::string_view text) noexcept;

/// How to reach a pgBackRest stanza. Fill it with designated initializers.
struct PgBackRestSettings {
    /// The stanza (`--stanza`); required.
    std::string stanza{};
    /// pgBackRest's configuration file (`--config`); empty: pgBackRest's default
    /// (/etc/pgbackrest/pgbackrest.conf).
    std::filesystem::path config_file{};
    /// When migsafe runs as root: run pgbackrest as this user (the repository's owner,
    /// usually `postgres`). Ignored when not root. Empty: the current user.
    std::string run_as_user{};
    /// The program; empty: `pgbackrest` in PATH.
    std::filesystem::path program{};
    /// `--type` of a new backup: `full`, `diff` or `incr` (pgBackRest makes the first
    /// backup of a stanza full whatever this says).
    std::string backup_type{"incr"};
    /// `--process-max`; 0: the configuration file's.
    int process_max = 0;
    /// Kill a pgbackrest command after this long; zero: no limit.
    std::chrono::milliseconds timeout{0};
};

/// Where the recovery of a physical snapshot stops. Both empty: the end of the WAL the
/// engine has (pgBackRest: the end of the archive; basebackup: the end of the backup).
struct RecoveryTarget {
    /// `recovery_target_time`, e.g. `2026-12-06 10:15:00+00`.
    std::string time{};
    /// `recovery_target_lsn`, e.g. `0/3000060`.
    std::string lsn{};

    /// Whether neither is set.
    bool latest() const { return time.empty() && lsn.empty(); }
};

} // namespace migsafe::snapshot
