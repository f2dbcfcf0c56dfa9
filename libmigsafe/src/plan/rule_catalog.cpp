// The rule catalog. Each rule names its section of docs/locks.md, the lock reference;
// once published, an id never changes meaning.
// Keep the table sorted by id (a unit test checks it).
#include "platform/enum_names.hpp"

#include <migsafe/plan/rule.hpp>
#include <migsafe/platform/assert.hpp>

#include <algorithm>
#include <array>

namespace migsafe::plan {
namespace {

using enum Severity;
constexpr Detection k_static = Detection::statically;
constexpr Detection k_db = Detection::needs_database;
constexpr Activation k_on = Activation::by_default;
constexpr Activation k_opt = Activation::opt_in;

constexpr std::string_view k_idx = "2.1 Indexes";
constexpr std::string_view k_con = "2.2 Constraints";
constexpr std::string_view k_col = "2.3 Columns";
constexpr std::string_view k_brk = "2.4 Breaking / destructive";
constexpr std::string_view k_part = "2.5 Partitions and maintenance";
constexpr std::string_view k_ops = "2.6 Operational / transaction hygiene";
constexpr std::string_view k_des = "2.7 Schema-design lints";

constexpr auto k_rules = std::to_array<Rule>({
    // ---- 2.4 breaking / destructive
    {"MS-BRK-01", "drop-column", error, k_static, k_on, k_brk,
     "ALTER TABLE ... DROP COLUMN outside a contract step",
     "AccessExclusiveLock briefly (no rewrite), but application versions still reading or "
     "writing the column fail at once, and the data is gone",
     "Drop only in a contract step (`-- migsafe:phase contract`), in a later release than the "
     "one that stopped using the column."},
    {"MS-BRK-02", "rename-column", error, k_static, k_on, k_brk, "ALTER TABLE ... RENAME COLUMN",
     "AccessExclusiveLock briefly; every running application version that names the old "
     "column fails",
     "Add the new column, keep both in sync with a trigger, backfill, switch the code, then "
     "drop the old column in a later release."},
    {"MS-BRK-03", "rename-table", error, k_static, k_on, k_brk, "ALTER TABLE ... RENAME TO",
     "AccessExclusiveLock briefly; every running application version that names the old table "
     "fails",
     "Rename and create a view with the old name in the same transaction (a simple view is "
     "updatable); drop the view in a later release."},
    {"MS-BRK-04", "drop-table", error, k_static, k_on, k_brk, "DROP TABLE outside a contract step",
     "AccessExclusiveLock, also on the tables its foreign keys link it to (named with --db); "
     "running application versions that use the table fail and the data is gone",
     "Drop only in a contract step, after the code stopped using the table; check it is empty "
     "or archived first."},
    {"MS-BRK-05", "drop-schema-or-database", error, k_static, k_on, k_brk,
     "DROP SCHEMA (CASCADE) or DROP DATABASE",
     "drops every object inside, with no way back but a restore; CASCADE takes "
     "AccessExclusiveLock on every table in it and on the tables whose foreign keys reference "
     "them (listed with --db)",
     "Drop the objects one by one in contract steps, or rename the schema first and drop it "
     "in a later release."},
    {"MS-BRK-06", "truncate", warning, k_static, k_on, k_brk, "TRUNCATE [CASCADE]",
     "AccessExclusiveLock on every truncated table, including the foreign-key children "
     "reached by CASCADE (listed with --db); the rows are gone",
     "List the tables explicitly (no CASCADE) and delete in batches when the rows matter."},
    {"MS-BRK-07", "enum-change", warning, k_static, k_on, k_brk,
     "ALTER TYPE ... RENAME VALUE, ADD VALUE without BEFORE/AFTER, or a new value used in the "
     "same transaction",
     "no table locks, but renaming a value breaks code that writes it, and using a value "
     "added in the same transaction fails (\"unsafe use of new value\")",
     "Add a new value and migrate the data instead of renaming; run ADD VALUE in its own "
     "committed step; consider a lookup table."},
    {"MS-BRK-08", "rename-schema", error, k_static, k_on, k_brk, "ALTER SCHEMA ... RENAME TO",
     "every running application version that names the old schema fails",
     "Expand and contract at schema level: create the new schema, move objects, keep views in "
     "the old one until the code moved."},
    {"MS-BRK-09", "drop-view", error, k_static, k_on, k_brk,
     "DROP VIEW or DROP MATERIALIZED VIEW outside a contract step",
     "AccessExclusiveLock on the view briefly; application versions still selecting from it "
     "fail at once",
     "Drop it in a contract step, after the code stopped using it. To change a view, use "
     "CREATE OR REPLACE VIEW, or drop and create it again in the same transaction."},

    // ---- 2.3 columns
    {"MS-COL-01", "set-not-null", error, k_static, k_on, k_col, "ALTER COLUMN ... SET NOT NULL",
     "AccessExclusiveLock held while the whole table is scanned (unless a validated CHECK "
     "(c IS NOT NULL) exists, PostgreSQL 12+): reads and writes blocked for the scan",
     "PostgreSQL 12+: ADD CONSTRAINT c_not_null CHECK (c IS NOT NULL) NOT VALID; VALIDATE "
     "CONSTRAINT in a separate transaction; SET NOT NULL (no scan); DROP CONSTRAINT "
     "c_not_null."},
    {"MS-COL-02", "add-required-column", error, k_static, k_on, k_col,
     "ADD COLUMN ... NOT NULL without a default",
     "fails at once on a non-empty table, and breaks INSERTs of running application versions",
     "Add the column nullable or with a non-volatile default, backfill, then enforce NOT NULL "
     "(MS-COL-01)."},
    {"MS-COL-03", "add-column-volatile-default", error, k_static, k_on, k_col,
     "ADD COLUMN with a volatile default (gen_random_uuid(), random(), clock_timestamp(), "
     "nextval())",
     "AccessExclusiveLock while the table and all its indexes are rewritten",
     "Add the column nullable, then ALTER COLUMN SET DEFAULT (new rows only), backfill in "
     "batches, then enforce NOT NULL (MS-COL-01)."},
    {"MS-COL-04", "add-column-default-pre-11", error, k_static, k_on, k_col,
     "ADD COLUMN ... DEFAULT on PostgreSQL 10 or older",
     "before PostgreSQL 11 any non-null default rewrites the table under AccessExclusiveLock",
     "As MS-COL-03: add nullable, set the default, backfill in batches."},
    {"MS-COL-05", "add-stored-generated", error, k_static, k_on, k_col,
     "ADD COLUMN ... GENERATED ALWAYS AS (...) STORED",
     "AccessExclusiveLock while the table is rewritten to compute the column",
     "Add a plain column kept up to date by a trigger and backfill it in batches (or a VIRTUAL "
     "generated column on PostgreSQL 18+)."},
    {"MS-COL-06", "add-serial-or-identity", error, k_static, k_on, k_col,
     "ADD COLUMN ... serial/bigserial or GENERATED ... AS IDENTITY",
     "AccessExclusiveLock while the table is rewritten to fill the new sequence values",
     "Add a nullable column, create a sequence and set it as the default for new rows, "
     "backfill existing rows in batches; or build a new table and swap."},
    {"MS-COL-07", "type-change-rewrite", error, k_static, k_on, k_col,
     "ALTER COLUMN ... TYPE that rewrites the table (int -> bigint, text -> varchar(n), USING "
     "...)",
     "AccessExclusiveLock while the table is rewritten and every index rebuilt",
     "Add a new column with the new type, dual-write with a trigger, backfill in batches, swap "
     "the names in one short transaction, drop the old column in a later release."},
    {"MS-COL-08", "type-change-safe", info, k_static, k_on, k_col,
     "ALTER COLUMN ... TYPE that needs no rewrite (varchar widen, varchar -> text, numeric "
     "precision up)",
     "AccessExclusiveLock briefly, no rewrite and no scan; it still queues behind long "
     "transactions",
     "Set lock_timeout. Beware: a primary key referenced by foreign keys also locks the "
     "referencing tables."},
    {"MS-COL-09", "add-json-column", warning, k_static, k_on, k_col, "ADD COLUMN ... json",
     "json has no equality operator, so SELECT DISTINCT and UNION over the table break",
     "Use jsonb."},
    {"MS-COL-10", "drop-not-null", warning, k_static, k_on, k_col, "ALTER COLUMN ... DROP NOT NULL",
     "AccessExclusiveLock briefly; readers that assume the column is never NULL may break",
     "Keep the constraint and use a sentinel value, or deploy readers that handle NULL first."},
    {"MS-COL-11", "change-default", warning, k_static, k_on, k_col,
     "ALTER COLUMN ... SET DEFAULT on an existing column",
     "AccessExclusiveLock briefly (metadata only); application versions with a cached schema "
     "keep writing the old default",
     "Deploy the application change first; set lock_timeout."},

    // ---- 2.2 constraints
    {"MS-CON-01", "unique-constraint-direct", error, k_static, k_on, k_con,
     "ADD CONSTRAINT ... UNIQUE (or ADD COLUMN ... UNIQUE)",
     "AccessExclusiveLock while the unique index is built (full scan and sort): reads and "
     "writes blocked",
     "CREATE UNIQUE INDEX CONCURRENTLY in a non-transactional step, then ADD CONSTRAINT ... "
     "UNIQUE USING INDEX (instant)."},
    {"MS-CON-02", "primary-key-direct", error, k_static, k_on, k_con,
     "ADD PRIMARY KEY (...) without USING INDEX",
     "AccessExclusiveLock while nullable columns are scanned for NULLs and the index is built",
     "Make the columns NOT NULL first (MS-COL-01), CREATE UNIQUE INDEX CONCURRENTLY, then ADD "
     "CONSTRAINT ... PRIMARY KEY USING INDEX."},
    {"MS-CON-03", "pk-using-index-nullable", warning, k_static, k_on, k_con,
     "ADD PRIMARY KEY USING INDEX where the columns are nullable",
     "AccessExclusiveLock held while the table is scanned to set NOT NULL implicitly",
     "Promote the columns to NOT NULL through a validated CHECK (c IS NOT NULL) first "
     "(MS-COL-01). Decided statically when the columns were defined in the set, otherwise "
     "with --db."},
    {"MS-CON-04", "exclusion-constraint", error, k_static, k_on, k_con,
     "ADD CONSTRAINT ... EXCLUDE",
     "AccessExclusiveLock while the exclusion index is built; there is no NOT VALID and no "
     "USING INDEX for exclusion constraints",
     "No online path: build a new table, dual-write, backfill and swap, or accept a "
     "maintenance window."},
    {"MS-CON-05", "check-validated", error, k_static, k_on, k_con,
     "ADD CONSTRAINT ... CHECK without NOT VALID",
     "AccessExclusiveLock held while the whole table is scanned to validate the check",
     "ADD CONSTRAINT ... CHECK (...) NOT VALID (instant), then VALIDATE CONSTRAINT in a "
     "separate transaction (ShareUpdateExclusiveLock, writes allowed)."},
    {"MS-CON-06", "fk-validated", error, k_static, k_on, k_con,
     "ADD CONSTRAINT ... FOREIGN KEY without NOT VALID",
     "ShareRowExclusiveLock on both the table and the referenced table while both are "
     "scanned: writes blocked on both",
     "ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID, then VALIDATE CONSTRAINT in a separate "
     "transaction; index the referencing columns (MS-OPS-09)."},
    {"MS-CON-07", "add-column-references", warning, k_static, k_on, k_con,
     "ADD COLUMN ... REFERENCES",
     "AccessExclusiveLock on the table and ShareRowExclusiveLock on the referenced table "
     "(no scan: the new column is all NULL); two-table lock ordering",
     "Set lock_timeout; on a busy referenced table add the column, then the foreign key NOT "
     "VALID and VALIDATE."},
    {"MS-CON-08", "create-table-with-fk", info, k_static, k_on, k_con,
     "CREATE TABLE ... REFERENCES an existing table",
     "ShareRowExclusiveLock on the referenced table: brief, but it queues behind long "
     "transactions and blocks its writes while waiting",
     "Set lock_timeout; or create the table, then add the foreign key NOT VALID and VALIDATE."},
    {"MS-CON-09", "validate-same-transaction", error, k_static, k_on, k_con,
     "VALIDATE CONSTRAINT in the same transaction as the ADD ... NOT VALID",
     "the lock of the ADD (AccessExclusiveLock for CHECK, ShareRowExclusiveLock for FOREIGN "
     "KEY) is still held during the validation scan, so NOT VALID gains nothing",
     "Commit between the two: put VALIDATE CONSTRAINT in a later migration."},
    {"MS-CON-10", "drop-foreign-key", warning, k_static, k_on, k_con,
     "DROP CONSTRAINT of a foreign key",
     "AccessExclusiveLock on both the table and the referenced table: reads of both blocked "
     "briefly, and deadlock-prone under traffic",
     "Set lock_timeout and retry; take locks in a fixed order. Decided statically when the "
     "foreign key was defined in the set, otherwise with --db."},
    {"MS-CON-11", "add-column-inline-check", error, k_static, k_on, k_con,
     "ADD COLUMN ... CHECK (...)",
     "AccessExclusiveLock held while the whole table is scanned, even though the new column "
     "is all NULL or constant",
     "Add the column plain, then ADD CONSTRAINT ... CHECK (...) NOT VALID and VALIDATE "
     "CONSTRAINT in a separate transaction."},
    {"MS-CON-12", "alter-domain-add-check", error, k_static, k_on, k_con,
     "ALTER DOMAIN ... ADD CONSTRAINT ... CHECK without NOT VALID",
     "ShareLock on every table using the domain while each is scanned: writes blocked (the "
     "tables are named with --db)",
     "ALTER DOMAIN ... ADD CONSTRAINT ... NOT VALID, then ALTER DOMAIN ... VALIDATE "
     "CONSTRAINT."},

    // ---- 2.7 schema-design lints (opt-in)
    {"MS-DES-01", "prefer-bigint", warning, k_static, k_opt, k_des,
     "integer or smallint keys and columns", "32-bit keys run out; widening later rewrites",
     "Use bigint (or bigint identity)."},
    {"MS-DES-02", "prefer-identity", warning, k_static, k_opt, k_des, "serial instead of identity",
     "serial sequences are owned loosely and granted separately",
     "Use bigint GENERATED ALWAYS AS IDENTITY."},
    {"MS-DES-03", "prefer-text", info, k_static, k_opt, k_des, "varchar(n) or char(n) columns",
     "changing the limit later takes a lock (and shrinking rewrites); char pads",
     "Use text with a CHECK (length(c) <= n) NOT VALID constraint."},
    {"MS-DES-04", "prefer-timestamptz", warning, k_static, k_opt, k_des,
     "timestamp without time zone",
     "values are ambiguous across time zones; converting later may rewrite", "Use timestamptz."},
    {"MS-DES-05", "identifier-too-long", error, k_static, k_opt, k_des,
     "identifier longer than 63 bytes", "PostgreSQL silently truncates it", "Use a shorter name."},
    {"MS-DES-06", "unqualified-table", info, k_static, k_opt, k_des, "unqualified table name",
     "resolved through search_path, which differs between sessions", "Qualify with the schema."},
    {"MS-DES-07", "wide-index", info, k_static, k_opt, k_des,
     "non-unique index with more than three columns",
     "large, slow to build and rarely used past its leading columns",
     "Index fewer columns, or use INCLUDE."},
    {"MS-DES-08", "column-padding", info, k_db, k_opt, k_des,
     "column order wastes alignment padding", "each row carries padding bytes",
     "Order columns by alignment, widest first."},
    {"MS-DES-09", "naming-convention", info, k_db, k_opt, k_des,
     "index or constraint name against the convention",
     "inconsistent names make migrations and incidents harder to read",
     "Name indexes and constraints explicitly (table_column_idx, table_column_fkey...)."},
    {"MS-DES-10", "duplicate-column", error, k_static, k_opt, k_des,
     "the same column twice in CREATE TABLE, UPDATE or INSERT", "the statement fails",
     "Remove the duplicate."},

    // ---- 2.1 indexes
    {"MS-IDX-01", "create-index-blocking", error, k_static, k_on, k_idx,
     "CREATE INDEX without CONCURRENTLY on an existing table",
     "ShareLock held while the table is scanned and sorted: writes blocked",
     "CREATE INDEX CONCURRENTLY, alone in a non-transactional migration "
     "(`-- migsafe:no-transaction`)."},
    {"MS-IDX-02", "drop-index-blocking", error, k_static, k_on, k_idx,
     "DROP INDEX without CONCURRENTLY",
     "AccessExclusiveLock on the table and the index: fast, but every query on the table "
     "queues behind it (the table is named with --db, or when the set created the index)",
     "DROP INDEX CONCURRENTLY, one index per statement, in a non-transactional migration."},
    {"MS-IDX-03", "reindex-blocking", error, k_static, k_on, k_idx, "REINDEX without CONCURRENTLY",
     "ShareLock on the table and AccessExclusiveLock on each index while it is rebuilt: "
     "writes blocked, and most reads too (the planner locks every index)",
     "REINDEX ... CONCURRENTLY (PostgreSQL 12+) in a non-transactional migration; drop a "
     "leftover invalid _ccnew index after a failure."},
    {"MS-IDX-04", "concurrently-in-transaction", error, k_static, k_on, k_idx,
     "CONCURRENTLY inside a transaction",
     "PostgreSQL refuses it: \"cannot run inside a transaction block\"; the migration fails",
     "Put the statement alone in its own migration marked `-- migsafe:no-transaction`."},
    {"MS-IDX-05", "cic-leftover-invalid", warning, k_static, k_on, k_idx,
     "CREATE INDEX CONCURRENTLY IF NOT EXISTS, or without a name",
     "a failed CONCURRENTLY build leaves an INVALID index that is still maintained on writes; "
     "IF NOT EXISTS then silently \"succeeds\" on a retry",
     "Name the index; after a failure check pg_index.indisvalid, DROP INDEX CONCURRENTLY the "
     "invalid one and rebuild."},
    {"MS-IDX-06", "cic-short-lock-timeout", warning, k_static, k_on, k_idx,
     "CONCURRENTLY with a short lock_timeout",
     "CONCURRENTLY waits for every older transaction in the database; a short lock_timeout "
     "cancels it and leaves an INVALID index",
     "Use a separate, larger lock_timeout (or 0) for CONCURRENTLY steps: they do not block "
     "traffic."},
    {"MS-IDX-07", "partitioned-index", error, k_static, k_on, k_idx,
     "CREATE INDEX on a partitioned table",
     "ShareLock on the parent and every partition while all partition indexes are built; "
     "CONCURRENTLY is refused on a partitioned parent (PostgreSQL 15)",
     "CREATE INDEX ... ON ONLY parent; CREATE INDEX CONCURRENTLY on each partition; ALTER "
     "INDEX parent_idx ATTACH PARTITION child_idx."},
    {"MS-IDX-08", "unique-index-data-dependent", warning, k_static, k_on, k_idx,
     "CREATE UNIQUE INDEX on existing columns",
     "fails if duplicates exist (leaving an INVALID index with CONCURRENTLY)",
     "Check for duplicates before the migration and deduplicate in a backfill first."},

    // ---- 2.5 maintenance
    {"MS-MAINT-01", "vacuum-full-or-cluster", error, k_static, k_on, k_part,
     "VACUUM FULL or CLUSTER",
     "AccessExclusiveLock while the table is rewritten: reads and writes blocked",
     "Use pg_repack or pg_squeeze (REPACK CONCURRENTLY on PostgreSQL 19+)."},
    {"MS-MAINT-02", "refresh-matview-blocking", warning, k_static, k_on, k_part,
     "REFRESH MATERIALIZED VIEW without CONCURRENTLY",
     "AccessExclusiveLock on the view while it is rewritten: readers blocked; its query reads "
     "its sources under AccessShareLock (known with --db, or when the set created the view)",
     "REFRESH MATERIALIZED VIEW CONCURRENTLY (needs a unique index on the view)."},
    {"MS-MAINT-03", "table-rewrite-option", error, k_static, k_on, k_part,
     "SET LOGGED/UNLOGGED, SET TABLESPACE or SET ACCESS METHOD",
     "AccessExclusiveLock while the table is rewritten",
     "Avoid on busy tables; build a new table and swap."},

    // ---- 2.6 operational hygiene
    {"MS-OPS-01", "missing-lock-timeout", warning, k_static, k_on, k_ops,
     "a blocking lock requested without SET lock_timeout",
     "while it waits for the lock, every later query on the table queues behind it: a fast "
     "statement can stall all traffic",
     "SET lock_timeout = '2s' at the top of the migration, and retry with backoff "
     "(migsafe apply --lock-timeout --retries)."},
    {"MS-OPS-02", "missing-statement-timeout", info, k_static, k_on, k_ops,
     "a long statement (scan or rewrite) without SET statement_timeout",
     "nothing bounds how long it holds its locks", "SET statement_timeout for the migration."},
    {"MS-OPS-03", "work-after-access-exclusive", warning, k_static, k_on, k_ops,
     "a statement after an AccessExclusiveLock in the same transaction",
     "the AccessExclusiveLock is held until COMMIT, so every later statement prolongs the "
     "outage",
     "One risky statement per transaction: move the later statements to their own "
     "migration."},
    {"MS-OPS-04", "unbatched-backfill", warning, k_static, k_on, k_ops,
     "UPDATE or DELETE of a whole existing table",
     "row locks on every row, a WAL spike and bloat; with DDL in the same transaction, its "
     "lock is held throughout",
     "Backfill in batches by primary-key range, outside the DDL transaction "
     "(`-- migsafe:phase backfill`)."},
    {"MS-OPS-05", "repeated-alter-same-table", info, k_static, k_on, k_ops,
     "several ALTER TABLE statements on the same table in a row",
     "each takes its lock (and may scan) separately",
     "Combine the actions into one ALTER TABLE (except NOT VALID and VALIDATE)."},
    {"MS-OPS-06", "non-robust-statement", info, k_static, k_on, k_ops,
     "a non-transactional migration without IF [NOT] EXISTS",
     "a partial failure cannot be rerun: the first statement now fails",
     "Add IF NOT EXISTS / IF EXISTS to each statement."},
    {"MS-OPS-07", "transaction-structure", error, k_static, k_on, k_ops,
     "BEGIN/COMMIT inside a migration that migsafe already runs in a transaction, nested or "
     "unbalanced",
     "changes are silently committed early or never applied",
     "Remove explicit BEGIN/COMMIT; use `-- migsafe:no-transaction` where a statement cannot "
     "run in a transaction."},
    {"MS-OPS-08", "access-exclusive-misc", warning, k_static, k_on, k_ops,
     "CREATE POLICY, ENABLE ROW LEVEL SECURITY, REPLICA IDENTITY, RENAME CONSTRAINT",
     "AccessExclusiveLock on the table, easy to overlook", "Set lock_timeout and retry."},
    {"MS-OPS-09", "fk-without-index", warning, k_static, k_on, k_ops,
     "foreign key whose columns have no index on the referencing table",
     "every DELETE or key UPDATE on the referenced table scans the referencing table",
     "CREATE INDEX CONCURRENTLY on the referencing columns. Decided statically for tables the "
     "set created, and with --db (its indexes) for existing tables."},
    {"MS-OPS-10", "old-snapshot-blockers", info, k_db, k_on, k_ops,
     "long or idle-in-transaction sessions during the migration",
     "they stall CONCURRENTLY statements and make blocking locks queue",
     "Check pg_stat_activity before migrating; set idle_in_transaction_session_timeout."},
    {"MS-OPS-11", "not-analysed", warning, k_static, k_on, k_ops,
     "a statement PostgreSQL 15's parser rejects: newer syntax, or a typo",
     "migsafe cannot tell what it locks, rewrites or scans, so it assumes AccessExclusiveLock "
     "on every relation it names and a possible rewrite or full read; the server decides "
     "whether it is valid when it runs",
     "Plan with --db to let your server's parser judge it (a typo then fails the plan), and "
     "with --pg-version set to the server's version; split the statement out when only "
     "part of it is new, so the rest is analysed."},

    // ---- 2.5 partitions
    {"MS-PART-01", "detach-partition-blocking", error, k_static, k_on, k_part,
     "DETACH PARTITION without CONCURRENTLY",
     "AccessExclusiveLock on the parent and the partition: every query on the partitioned "
     "table blocked",
     "DETACH PARTITION ... CONCURRENTLY (PostgreSQL 14+) in a non-transactional migration; "
     "FINALIZE if interrupted."},
    {"MS-PART-02", "attach-partition-scan", warning, k_static, k_on, k_part,
     "ATTACH PARTITION without a CHECK matching the bound",
     "AccessExclusiveLock on the partition while it is scanned to prove the bound",
     "On the standalone table: ADD CHECK (bound) NOT VALID, VALIDATE, ATTACH, then drop the "
     "CHECK."},
});

constexpr bool sorted_by_id()
{
    for (std::size_t i = 1; i < k_rules.size(); ++i) {
        if (!(k_rules[i - 1].id < k_rules[i].id)) {
            return false;
        }
    }
    return true;
}
static_assert(sorted_by_id(), "keep k_rules sorted by id");

} // namespace

constexpr platform::EnumNames<Severity, 3> k_severity_names{
    {{{Severity::info, "info"}, {Severity::warning, "warning"}, {Severity::error, "error"}}}};
static_assert(k_severity_names.unique());

std::string_view to_string(Severity severity) noexcept
{
    return k_severity_names.name(severity);
}

std::optional<Severity> parse_severity(std::string_view text) noexcept
{
    return k_severity_names.value(text);
}

std::span<const Rule> rule_catalog() noexcept
{
    return k_rules;
}

std::optional<Rule> find_rule(std::string_view id_or_slug) noexcept
{
    auto it = std::find_if(k_rules.begin(), k_rules.end(), [&](const Rule& r) {
        return r.id == id_or_slug || r.slug == id_or_slug;
    });
    if (it == k_rules.end()) {
        return std::nullopt;
    }
    return *it;
}

const Rule& rule(std::string_view id)
{
    auto it = std::lower_bound(k_rules.begin(), k_rules.end(), id,
                               [](const Rule& r, std::string_view key) { return r.id < key; });
    MIGSAFE_ASSERT(it != k_rules.end() && it->id == id);
    return *it;
}

} // namespace migsafe::plan
