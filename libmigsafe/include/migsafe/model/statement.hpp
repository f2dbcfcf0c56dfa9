#pragma once

/// migsafe's own model of one SQL statement. The parser (parser.hpp) turns libpg_query's
/// parse tree into these types; nothing of libpg_query's node names leaves src/model/.
/// Only the kinds that rule analysis needs carry typed details; every statement keeps its
/// SQL text and where it starts.

#include <migsafe/export.hpp>
#include <migsafe/platform/assert.hpp>
#include <migsafe/platform/identifier.hpp>

#include <compare>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace migsafe::model {

/// What a statement does. Renames of a table, column or constraint are `alter_table`
/// (with a rename action), as rules about tables should see them; other renames
/// (index, type, schema...) are `rename`.
enum class StatementKind {
    create_table,
    alter_table,
    create_index,
    drop_index,
    drop_table,
    drop_other, ///< DROP of anything but a table or an index
    create_type,
    alter_type,
    create_function, ///< CREATE FUNCTION / PROCEDURE; the body stays opaque text
    create_trigger,
    create_view,
    create_sequence,
    create_schema,
    create_extension,
    do_block, ///< DO; the PL/pgSQL body stays opaque text
    insert,
    update,
    delete_rows, ///< DELETE (named `delete` by to_string)
    select,
    truncate,
    vacuum,      ///< VACUUM or ANALYZE
    set,         ///< SET / RESET
    transaction, ///< BEGIN, COMMIT, ROLLBACK, SAVEPOINT...
    comment,
    grant, ///< GRANT or REVOKE
    rename,
    lock, ///< LOCK TABLE
    other,
    /// Rejected by PostgreSQL 15's parser (libpg_query): syntax of a newer PostgreSQL, or
    /// a typo. Kept as its tokens (`Unparsed`); the planner assumes the worst of it.
    unparsed,
};

/// The stable name of a kind (`create_table`, `delete`, ...).
MIGSAFE_API std::string_view to_string(StatementKind kind) noexcept;

/// A relation name, kept as its (schema, name) pair. `schema` is `public` when the SQL does
/// not name one (migsafe does not know the session's search_path).
struct RelationName {
    std::string schema = "public";
    std::string name;

    /// The display form, `schema.name` with each part quoted where PostgreSQL needs it
    /// (`public.professionals`, `"x.y".z`, `x."y.z"`): two different pairs never give the
    /// same text, so it also serves as a key. platform::split_qualified_name reverses it.
    std::string qualified() const { return platform::qualified_name(schema, name); }
    /// The pair of a `qualified()` text (`public` when it names no schema).
    static RelationName from_qualified(std::string_view text)
    {
        auto parts = platform::split_qualified_name(text);
        return parts ? RelationName{parts->first, parts->second}
                     : RelationName{"public", std::string(text)};
    }
    friend bool operator==(const RelationName&, const RelationName&) = default;
    friend auto operator<=>(const RelationName&, const RelationName&) = default;
};

/// How a column default behaves when a column is added (PostgreSQL 11+ stores a constant
/// or stable default without rewriting the table; a volatile one rewrites it).
enum class DefaultKind {
    none,              ///< no default
    constant,          ///< a literal, possibly cast (`0`, `'x'::text`)
    stable,            ///< evaluated once per statement: `now()`, `current_timestamp`
    volatile_function, ///< evaluated per row: `random()`, `clock_timestamp()`, `nextval()`
    other,             ///< any other expression (volatility unknown without the catalog)
};

/// The stable name of a default kind.
MIGSAFE_API std::string_view to_string(DefaultKind kind) noexcept;

/// A constraint, declared inline on a column, on a table, or with ADD CONSTRAINT.
struct Constraint {
    enum class Kind { primary_key, unique, foreign_key, check, exclusion, not_null };
    Kind kind = Kind::check;
    std::string name;                       ///< empty when PostgreSQL will name it
    bool not_valid = false;                 ///< NOT VALID (skips the scan of existing rows)
    std::vector<std::string> columns;       ///< the constrained columns, when listed
    std::string using_index;                ///< `USING INDEX name`, else empty
    std::optional<RelationName> references; ///< the referenced table of a foreign key
    /// The referenced columns of a foreign key, when listed (empty: the primary key).
    std::vector<std::string> referenced_columns{};
    /// The column of a CHECK that is exactly `(column IS NOT NULL)`, else empty.
    std::string not_null_check_column{};
};

/// A column as written in CREATE TABLE or ADD COLUMN.
struct ColumnDefinition {
    std::string name;
    std::string type; ///< display text: `bigint`, `text`, `varchar(100)`, `integer[]`
    bool not_null = false;
    DefaultKind default_kind = DefaultKind::none;
    /// The functions the default calls, as written (`f`, `app.f`); the planner asks the
    /// catalog for their volatility with `--db`.
    std::vector<std::string> default_functions{};
    bool generated = false;              ///< GENERATED ALWAYS AS (...) STORED
    bool identity = false;               ///< GENERATED ... AS IDENTITY
    std::vector<Constraint> constraints; ///< inline PRIMARY KEY, UNIQUE, REFERENCES, CHECK
};

/// One action of ALTER TABLE. Fields that do not apply to `kind` stay empty.
struct AlterTableAction {
    enum class Kind {
        add_column,
        drop_column,
        alter_column_type,
        set_not_null,
        drop_not_null,
        set_default,
        drop_default,
        add_constraint,
        validate_constraint,
        drop_constraint,
        rename_column,
        rename_table,
        rename_constraint,
        set_tablespace,
        set_logged,
        set_unlogged,
        attach_partition,
        detach_partition,
        enable_trigger,
        disable_trigger,
        set_storage_parameters,
        other,
    };
    Kind kind = Kind::other;
    std::string column; ///< the column acted on (add/drop/alter/rename column)
    std::string name; ///< constraint, trigger, tablespace or partition named; new name of a rename
    std::string old_name{}; ///< rename_constraint: the constraint's name before the rename
    std::optional<ColumnDefinition> column_definition; ///< add_column
    std::string new_type;   ///< alter_column_type: the new type's display text
    bool has_using = false; ///< alter_column_type: a USING expression is present
    DefaultKind default_kind = DefaultKind::none; ///< set_default
    std::optional<Constraint> constraint;         ///< add_constraint
    bool if_exists = false;                       ///< IF EXISTS / IF NOT EXISTS on the action
    bool concurrently = false;                    ///< detach_partition CONCURRENTLY
    bool cascade = false;                         ///< drop_constraint / drop_column CASCADE
    /// What an `other` action does, where the planner tells such actions apart.
    enum class Other {
        none,
        set_access_method, ///< SET ACCESS METHOD `name`
        no_inherit,        ///< NO INHERIT `name` (the parent, qualified)
        replica_identity,  ///< REPLICA IDENTITY
        row_security,      ///< ENABLE / DISABLE / [NO] FORCE ROW LEVEL SECURITY
        set_statistics,    ///< ALTER COLUMN ... SET STATISTICS
        cluster,           ///< CLUSTER ON, SET WITHOUT CLUSTER
        column_options,    ///< ALTER COLUMN ... SET / RESET (attribute options)
    };
    Other other = Other::none;
};

/// The stable name of an ALTER TABLE action kind (`add_column`, ...).
MIGSAFE_API std::string_view to_string(AlterTableAction::Kind kind) noexcept;

/// CREATE TABLE.
struct CreateTable {
    RelationName table;
    std::vector<ColumnDefinition> columns;
    std::vector<Constraint> constraints; ///< table-level constraints
    bool if_not_exists = false;
    bool partitioned = false;                   ///< PARTITION BY
    std::vector<RelationName> like{};           ///< the sources of LIKE clauses, in order
    std::optional<RelationName> partition_of{}; ///< PARTITION OF: the parent
    bool default_partition = false;             ///< PARTITION OF ... DEFAULT
    bool schema_written = false; ///< the table's schema is written (else `public` is assumed)
};

/// ALTER TABLE (and ALTER TABLE ... RENAME).
struct AlterTable {
    RelationName table;
    bool if_exists = false;
    std::vector<AlterTableAction> actions;
    bool schema_written = false; ///< the table's schema is written (else `public` is assumed)
};

/// CREATE INDEX.
struct CreateIndex {
    std::string name; ///< empty when PostgreSQL will name it
    RelationName table;
    bool concurrently = false;
    bool unique = false;
    bool if_not_exists = false;
    bool partial = false;             ///< has a WHERE clause
    std::string method = "btree";     ///< access method
    std::vector<std::string> columns; ///< column names; an expression shows as `(expression)`
    bool only = false;                ///< ON ONLY (a partitioned table's own index)
    bool schema_written = false;      ///< the table's schema is written (else `public` is assumed)
};

/// DROP INDEX.
struct DropIndex {
    std::vector<RelationName> indexes;
    bool concurrently = false;
    bool if_exists = false;
};

/// DROP TABLE.
struct DropTable {
    std::vector<RelationName> tables;
    bool if_exists = false;
    bool cascade = false;
};

/// DROP of anything but a table or an index (`drop_other`).
struct DropObjects {
    std::string object_type{};        ///< `schema`, `view`, `materialized_view`, `type`, ...
    std::vector<std::string> names{}; ///< as written; relations schema-qualified (`public.v`)
    bool if_exists = false;
    bool cascade = false;
    /// DROP TRIGGER / POLICY / RULE ... ON table: the table.
    std::optional<RelationName> table{};
    /// DROP DOMAIN / TYPE: the types, in order.
    std::vector<RelationName> types{};
};

/// CREATE VIEW, CREATE MATERIALIZED VIEW and CREATE TABLE ... AS: a relation made from a
/// query. PostgreSQL takes AccessShareLock on every relation the query names.
struct CreateView {
    enum class Kind { view, materialized_view, table_as };
    Kind kind = Kind::view;
    RelationName name;
    /// The relations the query names (FROM, JOIN, subqueries, CTE bodies; CTE names left
    /// out), in parse-tree order, without repeats.
    std::vector<RelationName> reads{};
    bool or_replace = false;
    bool if_not_exists = false;
    bool with_data = true; ///< false for `WITH NO DATA` (the query is not run)
};

/// UPDATE or DELETE.
struct DataChange {
    RelationName table;
    bool has_where = false;
    std::string alias{}; ///< the target's alias (`UPDATE t AS x`), empty when none
    std::vector<std::string> set_columns{}; ///< UPDATE: the columns its SET assigns, in order
    /// The columns its WHERE clause names (the last part of each column reference),
    /// without repeats; empty without a WHERE.
    std::vector<std::string> where_columns{};
    /// The columns of `where_columns` that its top-level WHERE (outside subqueries) names
    /// unqualified or qualified by the target's name or alias: they restrict the target's
    /// own rows.
    std::vector<std::string> target_where_columns{};
    /// The other relations it reads (FROM, JOIN, USING, subqueries, CTE bodies; CTE names
    /// and functions in FROM left out), in the order of the text, without repeats.
    /// DELETE's own target comes first.
    std::vector<RelationName> reads{};
};

/// INSERT.
struct Insert {
    RelationName table;
    bool from_select = false;          ///< INSERT ... SELECT (rather than VALUES)
    std::vector<RelationName> reads{}; ///< the relations its query reads (see DataChange)
};

/// SELECT (kind `select`).
struct Query {
    std::vector<RelationName> reads{}; ///< the relations it reads (see DataChange)
    bool locking = false;              ///< FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE
};

/// TRUNCATE.
struct Truncate {
    std::vector<RelationName> tables;
    bool cascade = false; ///< CASCADE
};

/// SET / RESET of a run-time setting (`lock_timeout`, ...).
struct SetVariable {
    std::string name;   ///< empty for RESET ALL
    std::string value;  ///< as written, without quotes; empty for RESET
    bool local = false; ///< SET LOCAL
};

/// BEGIN, COMMIT, ROLLBACK...
struct TransactionControl {
    enum class Verb { begin, commit, rollback, savepoint, other };
    Verb verb = Verb::other;
};

/// A rename that is not of a table, column or constraint (those are `AlterTable`).
struct Rename {
    std::string object_type; ///< `index`, `type`, `schema`, `sequence`, `view`, ...
    std::string from;        ///< the object renamed, as written
    std::string to;
};

/// DO blocks and function bodies: the PL/pgSQL stays opaque.
struct OpaqueBody {
    std::string language; ///< `plpgsql`, `sql`, ... (empty when not written)
    std::string body;     ///< the body text, unparsed
};

/// REINDEX, CLUSTER, VACUUM, ANALYZE and REFRESH MATERIALIZED VIEW (kinds `other` and
/// `vacuum`): work on relations that keeps their shape.
struct Maintenance {
    enum class Verb { reindex, cluster, vacuum, analyze, refresh };
    /// What a REINDEX names (`REINDEX INDEX`, `TABLE`, `SCHEMA`, `DATABASE`, `SYSTEM`).
    enum class Object { index, table, schema, database, system };
    Verb verb = Verb::vacuum;
    Object object = Object::table; ///< REINDEX only
    /// The relations named, in order; empty when it names none (all of them, or a schema).
    std::vector<RelationName> relations{};
    /// Its options, lowercase, in order, written in parentheses or as keywords
    /// (`VACUUM FULL ANALYZE t` and `VACUUM (FULL, ANALYZE) t` give `full`, `analyze`).
    std::vector<std::string> options{};
    bool concurrently = false; ///< REINDEX ... CONCURRENTLY, REFRESH ... CONCURRENTLY
    bool full = false;         ///< VACUUM FULL
};

/// LOCK TABLE (kind `lock`).
struct LockTable {
    std::vector<RelationName> tables{};
    /// PostgreSQL's number of the lock mode: 1 AccessShareLock, 2 RowShareLock, 3
    /// RowExclusiveLock, 4 ShareUpdateExclusiveLock, 5 ShareLock, 6 ShareRowExclusiveLock,
    /// 7 ExclusiveLock, 8 AccessExclusiveLock (the default).
    int mode = 8;
};

/// COMMENT ON (kind `comment`).
struct CommentOn {
    std::string object_type{}; ///< `table`, `column`, `index`, `view`, ...
    /// The table of COMMENT ON TABLE, or the table of the column of COMMENT ON COLUMN.
    std::optional<RelationName> table{};
};

/// ALTER DOMAIN and ALTER TYPE (renames of the type itself are `Rename`).
struct AlterType {
    enum class Action {
        add_value,           ///< ALTER TYPE ... ADD VALUE
        rename_value,        ///< ALTER TYPE ... RENAME VALUE
        add_check,           ///< ALTER DOMAIN ... ADD [CONSTRAINT c] CHECK (...)
        validate_constraint, ///< ALTER DOMAIN ... VALIDATE CONSTRAINT
        set_not_null,        ///< ALTER DOMAIN ... SET NOT NULL
        other,
    };
    bool domain = false; ///< ALTER DOMAIN (else ALTER TYPE)
    RelationName name{}; ///< the type or domain
    Action action = Action::other;
    bool not_valid = false; ///< add_check NOT VALID
    /// add_value: the new value as an SQL literal (`'new'`); rename_value: the new name.
    std::string value{};
    bool placed = false; ///< add_value BEFORE or AFTER another value
};

/// An object that belongs to a table: CREATE / ALTER POLICY, CREATE TRIGGER, ALTER INDEX
/// (not its rename), ALTER SEQUENCE ... OWNED BY.
struct TableObject {
    enum class Object { policy, trigger, index, sequence };
    Object object = Object::policy;
    bool create = false; ///< CREATE (else ALTER)
    /// The table it is on (a policy's or trigger's; a sequence's OWNED BY table); the index
    /// itself for ALTER INDEX. Empty for OWNED BY NONE.
    std::optional<RelationName> table{};
};

/// Any other CREATE (CREATE RULE, STATISTICS, ROLE, ...; kind `other`).
struct CreateOther {};

/// One token of an unparsed statement, as PostgreSQL's scanner reads it.
struct Word {
    enum class Kind {
        reserved_keyword, ///< a reserved keyword of PostgreSQL 15: never a name
        keyword,          ///< another keyword of PostgreSQL 15: may also be a name
        identifier,       ///< a name that is not a keyword, quoted or not
        other,            ///< literals, operators, punctuation
    };
    Kind kind = Kind::other;
    /// Keywords and unquoted names lowercased (`ALTER` -> `alter`), quoted names without
    /// their quotes and with `""` read as `"`, anything else as written.
    std::string text;
    friend bool operator==(const Word&, const Word&) = default;
};

/// A statement PostgreSQL 15's parser rejects (`StatementKind::unparsed`). Its bounds come
/// from the scanner, which reads the tokens of newer syntax too; only the grammar is 15's.
struct Unparsed {
    std::string parser_message{}; ///< the parser's message, e.g. `syntax error at or near "NOT"`
    int error_line = 0;           ///< 1-based line in the file where the parser stopped
    int error_column = 0;         ///< 1-based column (in characters) where it stopped
    std::vector<Word> words{};    ///< its tokens, comments left out
    /// The relations its words name in a place only a relation can be (after TABLE, ONLY,
    /// INTO, FROM, JOIN, UPDATE, REFERENCES, ON, ...), in order, without repeats.
    std::vector<RelationName> relations{};
    /// Every name its words could be, in order and without repeats (`a` and `a.b`), for
    /// the planner to match against a live catalog.
    std::vector<RelationName> names{};
    /// `server_version_num` of a live server whose parser accepted the statement
    /// (model::check_unparsed_syntax); 0 when no server was asked.
    int accepted_by_server = 0;
};

/// The typed details of a statement; `std::monostate` for kinds without details.
using StatementDetails =
    std::variant<std::monostate, CreateTable, AlterTable, CreateIndex, DropIndex, DropTable,
                 DataChange, Insert, Truncate, SetVariable, TransactionControl, Rename, OpaqueBody,
                 DropObjects, CreateView, Unparsed, Maintenance, LockTable, CommentOn, AlterType,
                 TableObject, CreateOther, Query>;

/// One SQL statement of a migration file.
struct Statement {
    StatementKind kind = StatementKind::other;
    std::string sql;            ///< the statement's text, without the final `;`
    std::filesystem::path file; ///< the file it came from
    int line = 0;               ///< 1-based line of its first token
    int column = 0;             ///< 1-based column (in characters) of its first token
    StatementDetails details;

    /// The details as `T`, or nullptr when they are of another type.
    template <class T>
    const T* get_if() const noexcept
    {
        return std::get_if<T>(&details);
    }

    /// The details as `T`. Asking for the wrong type is a bug (internal-assertion).
    template <class T>
    const T& as() const
    {
        const T* value = get_if<T>();
        MIGSAFE_ASSERT(value != nullptr);
        return *value;
    }

    /// The relation the statement works on, when it has exactly one (tables, indexes'
    /// tables, UPDATE/DELETE/INSERT targets); nullopt otherwise.
    MIGSAFE_API std::optional<RelationName> target_table() const;
};

} // namespace migsafe::model
