// The one table of error codes. docs/errors.md is generated from it (a unit test keeps
// the two equal; MIGSAFE_UPDATE_GOLDEN=1 rewrites the doc). Codes are stable: never
// reuse or rename one. Keep each section sorted by code.
#include <migsafe/platform/error.hpp>

#include <algorithm>
#include <array>

namespace migsafe {
namespace {

using enum Category;
constexpr State k_unchanged = State::unchanged;
constexpr State k_rolled_back = State::rolled_back;
constexpr State k_uncertain = State::uncertain;
constexpr bool k_retry = true;
constexpr bool k_final = false;

constexpr auto k_unsorted_table = std::to_array<ErrorCodeInfo>({
    // ---- usage and generic input
    {"usage-invalid-option", usage, k_unchanged, k_final, "an option or argument is invalid",
     "run the command with --help to see the accepted options"},
    {"input-invalid-duration", input, k_unchanged, k_final, "a duration could not be read",
     "write durations like 500ms, 10s, 5m, 24h or 30d"},
    {"input-invalid-report", input, k_unchanged, k_final,
     "an integrity report (e.g. a --baseline file) could not be read",
     "pass a report written by `migsafe verify --out FILE` (docs/integrity.md)"},
    {"input-invalid-utf8", input, k_unchanged, k_final, "an input file is not valid UTF-8 text",
     "save the file as UTF-8 (the message names the line, column and byte at fault)"},
    {"input-not-found", input, k_unchanged, k_final, "an input file or directory does not exist",
     "check the path; migration directories default to ./migrations"},
    {"input-not-regular-file", input, k_unchanged, k_final,
     "an input path names a FIFO, a device, a folder or a socket, not a regular file",
     "pass a regular file (symbolic links to regular files are followed)"},
    {"input-path-invalid", input, k_unchanged, k_final,
     "an input path cannot be resolved (a symbolic-link loop, a name too long, a part that "
     "is not a folder)",
     "check the path"},
    {"input-too-large", input, k_unchanged, k_final,
     "an input file is larger than migsafe reads (256 MiB for a migration, 16 MiB for "
     "migsafe.sum)",
     "split the file: a migration that large is data, load it with COPY or a backfill"},
    {"io-read-failed", environment, k_unchanged, k_retry, "a file could not be read",
     "check that the file exists and is readable by this user"},
    {"io-write-failed", environment, k_unchanged, k_retry, "a file could not be written",
     "check free disk space and write permission on the directory"},
    {"output-not-regular-file", usage, k_unchanged, k_final,
     "an output path names a device, a FIFO, a folder or a socket, not a regular file",
     "pass the path of a regular file, or of one that does not exist yet"},

    // ---- project config (migsafe.toml)
    {"config-environment", usage, k_unchanged, k_final,
     "the environment chosen with --env or MIGSAFE_ENV is not defined in migsafe.toml, or its "
     "connection variable is not set",
     "define [environments.NAME] with database_url_env, and export that variable"},
    {"config-invalid", input, k_unchanged, k_final,
     "migsafe.toml (or a MIGSAFE_* variable) holds invalid TOML or a value of the wrong type "
     "or range",
     "fix the value at the line and column named; docs/config.md lists each key's type"},
    {"config-secret", input, k_unchanged, k_final,
     "migsafe.toml holds a password (a password key, or a URL or conninfo with one)",
     "keep connection strings in an environment variable named by database_url_env"},
    {"config-unknown-key", input, k_unchanged, k_final,
     "migsafe.toml holds a key migsafe does not know",
     "fix the key's spelling (the message suggests the closest); docs/config.md lists them"},

    // ---- migration sets (model)
    {"directive-malformed", input, k_unchanged, k_final,
     "a migsafe directive has a missing or invalid argument",
     "see docs/migrations.md for the directive syntax"},
    {"directive-unknown", input, k_unchanged, k_final, "a `-- migsafe:` directive is not known",
     "use one of phase, no-transaction, allow, backfill, requires-flag (docs/migrations.md)"},
    {"migration-layout-invalid", input, k_unchanged, k_final,
     "a migration file or folder does not follow a known layout",
     "name files like 0001_name.sql, V1__name.sql, 0001_name.up.sql or 0001_name/up.sql"},
    {"migration-version-duplicate", input, k_unchanged, k_final,
     "two migrations have the same version", "give each migration its own version number"},
    {"migration-version-invalid", input, k_unchanged, k_final,
     "a migration version could not be read", "versions are decimal numbers, e.g. 0001 or 3"},
    {"sql-limit-exceeded", input, k_unchanged, k_final,
     "a migration statement is longer or more deeply nested than migsafe parses",
     "split the statement, or load bulk data with COPY or a backfill instead of one statement"},
    {"sql-syntax", input, k_unchanged, k_final, "a migration has a SQL syntax error",
     "fix the statement at the given file:line:column"},
    {"sum-malformed", input, k_unchanged, k_final, "the migsafe.sum file could not be read",
     "regenerate it with `migsafe sum DIR` after reviewing the migrations"},
    {"sum-mismatch", input, k_unchanged, k_final,
     "a migration does not match its checksum in migsafe.sum",
     "an applied or reviewed migration was edited: revert the edit, or review it and run "
     "`migsafe sum DIR`"},
    {"sum-missing", input, k_unchanged, k_final, "the migration directory has no migsafe.sum",
     "run `migsafe sum DIR` and commit migsafe.sum with the migrations"},

    // ---- adopt (other runners' histories)
    {"adopt-history-foreign", input, k_unchanged, k_final,
     "a table has the name of the runner's history, but not its columns",
     "pass --from with the runner that owns the table, or --schema/--table where this "
     "runner keeps its history"},
    {"adopt-history-not-found", input, k_unchanged, k_final,
     "the runner's history table is not where it keeps it by default",
     "pass --schema and --table where the runner keeps its history (docs/adopt.md)"},
    {"adopt-tool-lock-busy", environment, k_unchanged, k_retry,
     "the other runner holds its own lock: it is migrating this database now",
     "wait for the other runner to finish, then run migsafe again"},
    {"adopt-tool-unknown", usage, k_unchanged, k_final,
     "--from names a runner migsafe does not know",
     "use one of prisma, flyway, golang-migrate, dbmate, rails, diesel"},

    // ---- apply
    {"apply-abandoned", partial, k_uncertain, k_retry,
     "the run stopped as a killed runner would, where a rehearsal or a test asked it to",
     "run migsafe apply again: it resumes the partial migration"},
    {"apply-connection-lost", partial, k_uncertain, k_retry,
     "the connection broke while a migration ran: whether it committed is unknown",
     "run `migsafe status` to see what the history says, then run migsafe apply again"},
    {"apply-history-invalid", input, k_unchanged, k_final,
     "migsafe.history holds rows this migsafe cannot read",
     "check that migsafe.history was written by migsafe, and use the same or a newer migsafe"},
    {"apply-interrupted", failed, k_unchanged, k_retry,
     "SIGINT or SIGTERM stopped the run between two migrations: those before it are "
     "applied, the next one was not started",
     "run migsafe apply again to apply the rest"},
    {"apply-interrupted-backend", environment, k_unchanged, k_retry,
     "the server still runs a statement of an interrupted migsafe apply (its client is gone)",
     "wait for it to end, or end it with pg_terminate_backend(pid); then apply again (a "
     "rerun cleans up what the statement left)"},
    {"apply-lock-busy", environment, k_unchanged, k_retry,
     "another migsafe apply holds the runner lock of this database",
     "wait for the other run to finish, or raise --wait"},
    {"apply-lock-lost", partial, k_uncertain, k_retry,
     "the session holding the runner lock broke during the run",
     "check the connection to the server, then run migsafe status and migsafe apply again"},
    {"apply-lock-timeout", environment, k_rolled_back, k_retry,
     "a migration did not get its table locks within --lock-timeout, after every retry",
     "end or wait for the session named in the message, or apply when traffic is lower"},
    {"apply-migration-failed", failed, k_rolled_back, k_final,
     "a migration failed and was rolled back: the database is as before it",
     "fix the statement named in the message (in a new migration if it was reviewed), "
     "then apply again"},
    {"apply-partial", partial, k_uncertain, k_retry,
     "a no-transaction migration or a backfill stopped part-way",
     "fix the cause named in the message, then run the same migsafe apply again: it resumes"},
    {"apply-transaction-control", input, k_unchanged, k_final,
     "a transactional migration holds BEGIN, COMMIT or ROLLBACK",
     "remove the transaction statements, or mark the file `-- migsafe:no-transaction`"},

    // ---- compensate
    {"compensate-drifted", input, k_unchanged, k_final,
     "the migration's file changed after it was applied: its statements are not the ones "
     "that ran",
     "restore the file as it was applied (version control), or write the undo by hand"},
    {"compensate-layout-unsupported", input, k_unchanged, k_final,
     "--write adds files only to a directory in migsafe's layout (NNNN_name.sql)",
     "print the compensation without --write and add it to the directory in its own layout"},
    {"compensate-not-applied", input, k_unchanged, k_final,
     "the migration is not applied to this database (pending, failed or partial)",
     "run migsafe status; a failed migration left nothing to undo, a partial one is resumed "
     "with migsafe apply"},
    {"compensate-objects-malformed", input, k_unchanged, k_final,
     "migsafe.history's objects_before (or the catalog read) is not the JSON migsafe writes",
     "check that migsafe.history was written by migsafe apply"},
    {"compensate-report-malformed", input, k_unchanged, k_final,
     "a compensation report in JSON could not be read",
     "pass a document written by `migsafe compensate --json` of the same schema_version"},
    {"compensate-unknown-version", input, k_unchanged, k_final,
     "the version is neither a migration of the directory nor in migsafe.history",
     "pass the version of an applied migration and the --dir that holds its file"},

    // ---- plan engine
    {"plan-report-malformed", input, k_unchanged, k_final,
     "a plan report in JSON could not be read",
     "pass a document written by `migsafe plan --format json` of the same schema_version"},

    // ---- rehearse
    {"rehearse-data-failed", input, k_unchanged, k_final,
     "the --data file did not load into the rehearsal's start state",
     "fix the statement psql names, or load the file by hand into a scratch database and "
     "pass it with --db"},
    {"rehearse-dirty", input, k_unchanged, k_final,
     "the scratch database holds a failed or partial migration: its state is not known",
     "restore the scratch database, or finish the migration there with migsafe apply"},
    {"rehearse-interrupted", failed, k_unchanged, k_retry,
     "SIGINT or SIGTERM stopped the rehearsal; the databases and the cluster it made are "
     "removed",
     "run migsafe rehearse again (--from VERSION starts where it stopped)"},
    {"rehearse-not-scratch", usage, k_unchanged, k_final,
     "--db names a database that already holds migrations or tables: rehearse is for scratch "
     "databases",
     "give an empty scratch database, or a restored copy with "
     "--i-know-this-is-a-scratch-database; never production"},
    {"rehearse-start-failed", input, k_unchanged, k_final,
     "the migrations before --from did not apply, so there is no start state",
     "fix the migration the message names, or start the rehearsal earlier with --from"},
    {"rehearse-unknown-version", usage, k_unchanged, k_final,
     "--from names a version that no migration of the set has",
     "use a version that `migsafe status` lists"},

    // ---- backfill engine
    {"backfill-checkpoint-malformed", input, k_unchanged, k_final,
     "a backfill checkpoint in JSON could not be read",
     "pass the checkpoint JSON that migsafe's backfill engine wrote (docs/backfill.md)"},
    {"backfill-invalid", input, k_unchanged, k_final,
     "a backfill migration cannot be run in batches",
     "a backfill migration holds exactly one UPDATE (and SET or RESET statements); name a "
     "NOT NULL, indexed key column with `-- migsafe:backfill key=COLUMN` when the table has "
     "no single-column primary key (docs/backfill.md)"},

    // ---- trace engine
    {"trace-apply-failed", input, k_unchanged, k_final,
     "a migration could not be applied to the trace's scratch database",
     "fix the statement at the given file:line, or trace the set from a database where the "
     "earlier migrations apply"},
    {"trace-report-malformed", input, k_unchanged, k_final,
     "a trace report in JSON could not be read",
     "pass a document written by migsafe's trace of the same schema_version"},
    {"trace-schema-copy-failed", environment, k_unchanged, k_final,
     "the schema of --db does not replay on the trace's scratch cluster",
     "install on this machine the extensions the database uses (same PostgreSQL major), or "
     "trace without --db"},

    // ---- platform: processes, clusters, connections
    {"amcheck-unavailable", environment, k_unchanged, k_final,
     "the amcheck extension, which pg_amcheck needs, is not installed in the database",
     "run CREATE EXTENSION amcheck in that database (it ships with postgresql-15), or "
     "leave out --amcheck"},
    {"binary-not-found", environment, k_unchanged, k_retry,
     "a PostgreSQL program (initdb, pg_ctl, pg_dump, ...) was not found",
     "install the server package (apt-get install postgresql-15) or set MIGSAFE_PG_BINDIR"},
    {"cluster-start-failed", environment, k_unchanged, k_retry,
     "the ephemeral PostgreSQL cluster could not be started",
     "read the server log named in the message"},
    {"db-connect-failed", environment, k_unchanged, k_retry, "the database could not be reached",
     "check --db, DATABASE_URL or the PG* variables, and that the server is running"},
    {"db-connection-lost", environment, k_uncertain, k_retry,
     "the connection to the database was lost during an operation",
     "check the server log; run the command again once the server is back"},
    {"db-conninfo-invalid", input, k_unchanged, k_final, "a connection string could not be parsed",
     "write it as a postgresql:// URL or as key=value pairs (see the libpq manual)"},
    {"db-deadlock", environment, k_rolled_back, k_retry,
     "the transaction was chosen as a deadlock victim and rolled back",
     "run the command again; it retries with backoff where it can"},
    {"db-lock-timeout", environment, k_rolled_back, k_retry,
     "a lock was not obtained within lock_timeout",
     "find the session holding the lock (pg_locks, pg_stat_activity) or raise --lock-timeout"},
    {"db-query-failed", failed, k_rolled_back, k_final, "a query failed on the server",
     "read the server's message; nothing was committed"},
    {"db-serialization-failure", environment, k_rolled_back, k_retry,
     "a serializable transaction could not be completed and was rolled back",
     "run the command again; it retries with backoff where it can"},
    {"db-statement-timeout", failed, k_rolled_back, k_retry,
     "a statement ran longer than statement_timeout and was cancelled",
     "raise --statement-timeout, or run the statement when the table is less busy"},
    {"process-failed", environment, k_unchanged, k_retry,
     "an external program exited with an error", "read the program's output in the message"},
    {"process-timeout", environment, k_unchanged, k_retry,
     "an external program ran longer than its time limit and was killed",
     "check that the program is not waiting for input or a lock; raise the time limit"},

    // ---- snapshots, restores and drills
    {"restore-failed", partial, k_uncertain, k_retry,
     "pg_restore failed part-way: the target database holds part of the snapshot",
     "read pg_restore's message, then restore again with --clean or into an empty database"},
    {"restore-target-not-empty", input, k_unchanged, k_final,
     "the restore target database already holds objects",
     "restore into an empty database, or pass --clean to replace the snapshot's objects"},
    {"snapshot-corrupt", input, k_unchanged, k_final,
     "a snapshot's manifest or files do not match their checksums",
     "run `migsafe snapshot verify` for every mismatch, and use another snapshot"},
    {"snapshot-not-found", input, k_unchanged, k_final,
     "no complete snapshot with this id is in the store",
     "run `migsafe snapshot list --store DIR` to see the snapshots"},
    {"snapshot-schema-newer", input, k_unchanged, k_final,
     "a snapshot manifest was written by a newer migsafe",
     "use a migsafe at least as new as the one that took the snapshot"},
    {"store-invalid", input, k_unchanged, k_final,
     "the snapshot store is not a folder migsafe can use",
     "pass --store a folder (it is created if missing) writable by this user"},

    // ---- flags (store, client)
    {"flag-archived", input, k_unchanged, k_final, "the flag is archived and cannot be changed",
     "create a new flag (archived keys stay in the event log and cannot be reused)"},
    {"flag-archive-blocked", input, k_unchanged, k_final,
     "a flag was not archived: a migration that requires it is not applied yet",
     "apply the migrations the message names first (their requires-flag gate needs the flag), "
     "or remove the directive if the contract was abandoned"},
    {"flag-cache-invalid", input, k_unchanged, k_final,
     "a flags last-known-good file could not be read",
     "remove the file; the client writes it again after its next load from the database"},
    {"flag-conflict", failed, k_unchanged, k_retry,
     "someone else changed the flag since you read it; nothing was written",
     "read the flag again (`migsafe flag show`), then repeat the change if it still makes sense"},
    {"flag-exists", input, k_unchanged, k_final, "a flag with that key already exists",
     "pick another key, or change the existing flag with `migsafe flag on|off|rollout`"},
    {"flag-invalid", input, k_unchanged, k_final, "a flag, its value or a constraint is not valid",
     "read the message: keys are lowercase `[a-z0-9._-]`, rollouts 0..100, owner and "
     "criteria are required (docs/flags.md)"},
    {"flag-reason-required", usage, k_unchanged, k_final,
     "a flag change was asked for without a reason",
     "give the reason with --reason TEXT; it goes to the flag's event log"},
    {"flag-unknown", input, k_unchanged, k_final, "no flag has that key",
     "list the flags with `migsafe flag list`, or create it with `migsafe flag create`"},

    // ---- flags panel (migsafe flag serve)
    {"panel-listen-failed", environment, k_unchanged, k_retry,
     "the flags panel could not listen on its address",
     "stop what listens there, or pick another port with --listen 127.0.0.1:PORT (0: any "
     "free port)"},
    {"panel-remote-not-allowed", usage, k_unchanged, k_final,
     "the flags panel was asked to listen on an address that is not loopback",
     "listen on 127.0.0.1, or add --allow-remote (then anyone who reaches the port with the "
     "token can change flags: put it behind TLS)"},
    {"panel-request-invalid", input, k_unchanged, k_final,
     "a flags panel API request is malformed (its JSON body, a field or a value)",
     "send a JSON object with the fields docs/flags.md lists under \"Panel\""},
    {"panel-token-missing", usage, k_unchanged, k_final, "the flags panel has no access token",
     "set MIGSAFE_PANEL_TOKEN or pass --token-file FILE (never the token itself on the "
     "command line)"},
    {"panel-token-weak", usage, k_unchanged, k_final,
     "the flags panel's access token is shorter than 16 characters",
     "make a long random one, e.g. `openssl rand -hex 32 > panel.token`"},

    // ---- internal
    {"internal-assertion", internal, k_uncertain, k_final, "an internal check failed",
     "this is a bug in migsafe: please report it with the command and its output"},
    {"internal-unknown-error-code", internal, k_uncertain, k_final,
     "migsafe raised an error code missing from its table",
     "this is a bug in migsafe: please report it with the command and its output"},
});

constexpr auto k_table = [] {
    auto table = k_unsorted_table;
    std::sort(table.begin(), table.end(),
              [](const ErrorCodeInfo& a, const ErrorCodeInfo& b) { return a.code < b.code; });
    return table;
}();

} // namespace

std::span<const ErrorCodeInfo> error_table() noexcept
{
    return k_table;
}

std::optional<ErrorCodeInfo> find_error_code(std::string_view code) noexcept
{
    const auto* it = std::lower_bound(
        k_table.begin(), k_table.end(), code,
        [](const ErrorCodeInfo& row, std::string_view key) { return row.code < key; });
    if (it == k_table.end() || it->code != code) {
        return std::nullopt;
    }
    return *it;
}

} // namespace migsafe
