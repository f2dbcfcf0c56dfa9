// migsafe snapshot create|list|verify|restore|prune: backups in a store, with manifests.
#include "command.hpp"

#include <migsafe/platform/duration.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/snapshot/create.hpp>
#include <migsafe/snapshot/prune.hpp>
#include <migsafe/snapshot/restore.hpp>
#include <migsafe/snapshot/store.hpp>
#include <migsafe/snapshot/verify.hpp>

#include <fmt/format.h>

#include <unistd.h>

#include <array>
#include <iostream>

namespace migsafe::cli {
namespace {

struct SnapshotArgs {
    std::string store;
    std::string db;
    std::string id = "latest";
    std::string target;
    std::string if_older_than;
    std::string max_age;
    std::string lock_wait_timeout = "30s";
    std::string engine = "pg_dump";
    std::string stanza;
    std::string pgbackrest_config;
    std::string pgbackrest_user;
    std::string backup_type = "incr";
    bool no_integrity = false;
    int level = 1;
    int jobs = 2;
    int keep = 0;
    bool clean = false;
    bool no_owner = false;
    bool dry_run = false;
    bool json = false;
};

/// The pgBackRest settings the options give; nullopt when no option names one.
std::optional<snapshot::PgBackRestSettings> pgbackrest_settings(const SnapshotArgs& args)
{
    if (args.stanza.empty() && args.pgbackrest_config.empty() && args.pgbackrest_user.empty()) {
        return std::nullopt;
    }
    return snapshot::PgBackRestSettings{.stanza = args.stanza,
                                        .config_file = args.pgbackrest_config,
                                        .run_as_user = args.pgbackrest_user,
                                        .backup_type = args.backup_type};
}

std::string human_bytes(std::uint64_t bytes)
{
    constexpr std::array<const char*, 5> k_units = {"B", "kB", "MB", "GB", "TB"};
    auto value = static_cast<double>(bytes);
    std::size_t unit = 0;
    while (value >= 1024 && unit < 4) {
        value /= 1024;
        ++unit;
    }
    return unit == 0 ? fmt::format("{:.0f} {}", value, k_units[unit])
                     : fmt::format("{:.1f} {}", value, k_units[unit]);
}

Outcome run_create(const SnapshotArgs& args)
{
    snapshot::CreateOptions options{
        .engine = *snapshot::parse_engine(args.engine),
        .pgbackrest = pgbackrest_settings(args),
        .integrity = !args.no_integrity,
        .if_older_than = duration_option(args.if_older_than, "--if-older-than"),
        .jobs = args.jobs,
        .lock_wait_timeout = parse_bound(args.lock_wait_timeout, "--lock-wait-timeout")};
    if (isatty(fileno(stderr)) != 0) {
        options.progress = [](const snapshot::CreateProgress& p) {
            std::cerr << fmt::format("\rsnapshot: {} {}   ", p.step, human_bytes(p.bytes_done))
                      << std::flush;
        };
    }
    auto result = snapshot::create(resolve_conninfo(args.db), args.store, options);
    if (options.progress) {
        std::cerr << '\n';
    }
    const auto& m = result.manifest;
    Outcome outcome;
    outcome.report = {{"id", m.id},
                      {"reused", result.reused},
                      {"path", result.path.string()},
                      {"size", m.total_size()},
                      {"stored_size", m.total_stored_size()},
                      {"files", m.files.size()},
                      {"tables", m.integrity.tables.size()},
                      {"dump_ms", m.dump_ms},
                      {"scan_ms", m.scan_ms},
                      {"engine", m.engine}};
    if (m.physical) {
        const auto& p = *m.physical;
        outcome.report["label"] = p.label;
        outcome.report["backup_type"] = p.backup_type;
        outcome.report["start_lsn"] = p.start_lsn;
        outcome.report["stop_lsn"] = p.stop_lsn;
        outcome.report["report_lsn"] = p.report_lsn;
        outcome.text = fmt::format(
            "{} snapshot {} of {} with {}: {} backup {}, {} ({} stored), WAL {} to {}, the "
            "catalog{}\n",
            result.reused ? "reused" : "took", m.id, m.source.database, m.engine, p.backup_type,
            p.label, human_bytes(m.total_size()), human_bytes(m.total_stored_size()), p.start_lsn,
            p.stop_lsn,
            m.has_integrity
                ? fmt::format(" and {} tables' integrity report", m.integrity.tables.size())
                : std::string(" (no integrity scan)"));
        return outcome;
    }
    outcome.text = fmt::format("{} snapshot {} of {}: {} files, {} ({} stored), {} tables "
                               "with their integrity report\n",
                               result.reused ? "reused" : "took", m.id, m.source.database,
                               m.files.size(), human_bytes(m.total_size()),
                               human_bytes(m.total_stored_size()), m.integrity.tables.size());
    return outcome;
}

Outcome run_list(const SnapshotArgs& args)
{
    auto snapshots = snapshot::list(args.store, {.pgbackrest = pgbackrest_settings(args)});
    Outcome outcome;
    outcome.report_json = snapshot::list_to_json(snapshots);
    outcome.text = fmt::format("{:<34} {:<10} {:>10} {:>10} {:>9}  {}\n", "id", "engine", "age",
                               "size", "verified", "last drill");
    for (const auto& s : snapshots) {
        std::string drill = "never";
        if (s.last_drill) {
            drill = fmt::format("{} {} (RTO {} ms)", s.last_drill->passed ? "passed" : "FAILED",
                                s.last_drill->at, s.last_drill->rto_ms);
        }
        if (!s.managed) {
            drill = "not taken by migsafe (no manifest)";
        }
        std::string verified = !s.readable            ? std::string("UNREADABLE")
                               : s.verified_level > 0 ? fmt::format("level {}", s.verified_level)
                                                      : std::string("no");
        outcome.text +=
            fmt::format("{:<34} {:<10} {:>10} {:>10} {:>9}  {}\n", s.id, s.engine,
                        format_duration(s.age), human_bytes(s.stored_size), verified, drill);
    }
    return outcome;
}

Outcome run_verify_snapshot(const SnapshotArgs& args)
{
    auto report = snapshot::verify(args.store, args.id,
                                   {.level = args.level, .pgbackrest = pgbackrest_settings(args)});
    Outcome outcome;
    outcome.exit_code = report.passed() ? 0 : 1;
    outcome.report_json = report.to_json();
    outcome.text = fmt::format("snapshot {}: level {} of {} reached\n", report.id,
                               report.level_reached, report.level_requested);
    for (const auto& m : report.mismatches) {
        outcome.text += "  " + m.describe() + "\n";
    }
    return outcome;
}

Outcome run_restore(const SnapshotArgs& args)
{
    auto result = snapshot::restore(
        args.store, args.id, args.target,
        {.jobs = args.jobs,
         .clean = args.clean ? snapshot::Clean::yes : snapshot::Clean::no,
         .ownership = args.no_owner ? snapshot::Ownership::skip : snapshot::Ownership::keep});
    Outcome outcome;
    outcome.report = {{"id", result.id},
                      {"unpack_ms", result.unpack.count()},
                      {"restore_ms", result.restore.count()}};
    outcome.text = fmt::format("restored snapshot {} (files checked in {} ms, pg_restore {} ms)\n",
                               result.id, result.unpack.count(), result.restore.count());
    return outcome;
}

Outcome run_prune(const SnapshotArgs& args)
{
    auto result = snapshot::prune(
        args.store, {.keep = args.keep,
                     .max_age = duration_option(args.max_age, "--max-age"),
                     .dry_run = args.dry_run ? snapshot::DryRun::yes : snapshot::DryRun::no});
    Outcome outcome;
    outcome.report = {{"removed", result.removed},
                      {"kept", result.kept},
                      {"abandoned", result.abandoned},
                      {"dry_run", args.dry_run}};
    for (const auto& id : result.removed) {
        outcome.text += fmt::format("{} {}\n", args.dry_run ? "would remove" : "removed", id);
    }
    for (const auto& name : result.abandoned) {
        outcome.text += fmt::format("{} left-over folder {}\n",
                                    args.dry_run ? "would remove" : "removed", name);
    }
    outcome.text += fmt::format("{} snapshot(s) kept\n", result.kept.size());
    return outcome;
}

using Runner = Outcome (*)(const SnapshotArgs&);

void select_on_callback(CLI::App* sub, Selected& selected,
                        const std::shared_ptr<SnapshotArgs>& args, const std::string& name,
                        Runner runner)
{
    sub->add_flag("--json", args->json, "Print the report as one JSON document");
    sub->callback([&selected, args, name, runner] {
        selected = {.name = "snapshot " + name,
                    .format = args->json ? OutputFormat::json : OutputFormat::text,
                    .body = [args, runner] { return runner(*args); }};
    });
}

void add_store(CLI::App* sub, SnapshotArgs& args)
{
    sub->add_option("--store", args.store, "The snapshot store (a directory)")->required();
}

void add_pgbackrest(CLI::App* sub, SnapshotArgs& args)
{
    sub->add_option("--pgbackrest-stanza", args.stanza,
                    "pgBackRest's stanza (create: required with --engine pgbackrest; else: the "
                    "manifest's)");
    sub->add_option("--pgbackrest-config", args.pgbackrest_config,
                    "pgBackRest's configuration file (default: pgBackRest's own default)");
    sub->add_option("--pgbackrest-user", args.pgbackrest_user,
                    "When run as root: run pgbackrest as this user (the repository's owner)");
}

} // namespace

void register_snapshot(CLI::App& app, Selected& selected)
{
    auto args = std::make_shared<SnapshotArgs>();
    auto* snapshot = app.add_subcommand(
        "snapshot", "Backups: pg_dump archives compressed with zstd, checksummed with XXH3, "
                    "described by a manifest with the source's integrity report");
    snapshot->require_subcommand(1);

    auto* create = snapshot->add_subcommand("create", "Take a snapshot of a database");
    add_store(create, *args);
    create->add_option("--db", args->db,
                       "Connection string or URL (default: DATABASE_URL, then the PG* variables)");
    create->add_option("--if-older-than", args->if_older_than,
                       "Reuse the newest snapshot of this database if it is younger than this "
                       "(e.g. 24h) and verifies");
    create->add_option("--jobs", args->jobs, "Parallel pg_dump jobs and compression threads")
        ->check(CLI::Range(1, 64));
    create
        ->add_option("--engine", args->engine,
                     "pg_dump (default), basebackup (pg_basebackup + pg_verifybackup) or "
                     "pgbackrest (a backup of a configured stanza)")
        ->check(CLI::IsMember({"pg_dump", "basebackup", "pgbackrest"}));
    add_pgbackrest(create, *args);
    create
        ->add_option("--backup-type", args->backup_type,
                     "pgbackrest: full, diff or incr (default: incr; the first is full)")
        ->check(CLI::IsMember({"full", "diff", "incr"}));
    create->add_flag("--no-integrity", args->no_integrity,
                     "basebackup, pgbackrest: record only the catalog, not a scan of every table "
                     "(for databases too large to read twice)");
    create->add_option("--lock-wait-timeout", args->lock_wait_timeout,
                       "Give up when a table stays locked by another session (a migration) this "
                       "long (default: 30s; must be positive)");
    create->footer(
        "Examples:\n"
        "  migsafe snapshot create --db postgres:///app --store /var/backups/app\n"
        "  migsafe snapshot create --db postgres:///app --store s --if-older-than 24h\n"
        "  migsafe snapshot create --db postgres:///app --store s --engine basebackup\n"
        "  migsafe snapshot create --db postgres:///app --store s --engine pgbackrest \\\n"
        "      --pgbackrest-stanza main --backup-type full");
    select_on_callback(create, selected, args, "create", run_create);

    auto* list = snapshot->add_subcommand("list", "List the snapshots of a store");
    add_store(list, *args);
    add_pgbackrest(list, *args);
    list->footer("Examples:\n  migsafe snapshot list --store /var/backups/app\n"
                 "  migsafe snapshot list --store s --pgbackrest-stanza main   # its backups too");
    select_on_callback(list, selected, args, "list", run_list);

    auto* verify = snapshot->add_subcommand("verify", "Check a snapshot without restoring it");
    add_store(verify, *args);
    add_pgbackrest(verify, *args);
    verify->add_option("ID", args->id, "The snapshot id, or latest (default)");
    verify
        ->add_option("--level", args->level,
                     "1: manifest and every file's size and hash (physical: pg_verifybackup, "
                     "pgbackrest verify); 2: also pg_restore reads the archive and its tables "
                     "match the manifest (physical: it restores and starts)")
        ->check(CLI::Range(1, 2));
    verify->footer("Examples:\n  migsafe snapshot verify --store s latest --level 2");
    select_on_callback(verify, selected, args, "verify", run_verify_snapshot);

    auto* restore = snapshot->add_subcommand("restore", "Restore a snapshot into a database");
    add_store(restore, *args);
    restore->add_option("ID", args->id, "The snapshot id, or latest (default)");
    restore->add_option("--target", args->target, "The database to restore into")->required();
    restore->add_option("--jobs", args->jobs, "Parallel pg_restore jobs (default: 2)")
        ->check(CLI::Range(1, 64));
    restore->add_flag("--clean", args->clean,
                      "Allow a non-empty target: drop the archive's objects first");
    restore->add_flag("--no-owner", args->no_owner,
                      "Do not restore ownership and privileges (the target user owns all)");
    restore->footer("Examples:\n"
                    "  migsafe snapshot restore --store s latest --target postgres:///app_copy");
    select_on_callback(restore, selected, args, "restore", run_restore);

    auto* prune = snapshot->add_subcommand(
        "prune", "Remove old snapshots; the newest verified one is always kept");
    add_store(prune, *args);
    prune->add_option("--keep", args->keep, "Keep the newest N snapshots");
    prune->add_option("--max-age", args->max_age, "Remove snapshots older than this (e.g. 30d)");
    prune->add_flag("--dry-run", args->dry_run, "Only show what would be removed");
    prune->footer("Examples:\n  migsafe snapshot prune --store s --keep 7 --max-age 30d --dry-run");
    select_on_callback(prune, selected, args, "prune", run_prune);
}

} // namespace migsafe::cli
