#pragma once
// Every SQL text the integrity engine runs. Identifiers are always quoted here and values
// are parameters or quoted literals; the engine calls these typed functions only.

#include <migsafe/platform/session.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace migsafe::platform::catalog {

/// A table or partitioned table as the catalog describes it.
struct RelationInfo {
    std::string oid{};
    std::string schema{};
    std::string name{};
    bool partitioned = false;    ///< relkind 'p'
    std::string parent_schema{}; ///< a leaf partition's parent, else empty
    std::string parent_name{};
    std::vector<std::string> columns{};     ///< byte-wise sorted by name
    std::vector<std::string> key_columns{}; ///< primary key columns in key order
    std::vector<std::string> key_types{};   ///< their `format_type`, for casting literals
    std::int64_t pages = 0;                 ///< heap blocks (pg_relation_size / block_size)
};

/// A key: one text value per key column (primary keys are never NULL).
using Key = std::vector<std::string>;

/// Rows with `lower <= key < upper`; an absent bound is open.
struct KeyRange {
    std::optional<Key> lower{};
    std::optional<Key> upper{};
};

/// Heap blocks `first <= block < last`; `last` absent is open (to the end of the table).
struct BlockRange {
    std::int64_t first = 0;
    std::optional<std::int64_t> last{};
};

/// Facts about the server and the snapshot's moment.
struct ServerFacts {
    std::string version{};      ///< `server_version`, e.g. `15.18`
    std::string version_text{}; ///< `server_version` as the server spells it, e.g.
                                ///< `15.18 (Debian 15.18-0+deb12u1)`
    std::string database{};     ///< current_database()
    std::string now_utc{};      ///< the transaction's start, RFC 3339 UTC with milliseconds
};

struct UnvalidatedConstraintRow {
    std::string table_schema{}, table_name{}, name{}, type{};
};
struct SequenceRow {
    std::string schema{}, name{};
    std::int64_t increment = 1;
    std::optional<std::int64_t> last_value{};
    bool is_called = false;
    std::string owner_schema{}, owner_table{}, owner_column{};
    std::optional<std::int64_t> column_max{};
};

/// Pins the settings that change COPY text (docs/integrity.md, "Byte-exactness").
void pin_output_settings(Session& conn);

/// The same settings and `lock_timeout` for the current transaction only (SET LOCAL), on
/// a session its owner goes on using: a scan on it leaves nothing behind.
void pin_output_settings_local(Session& conn, std::chrono::milliseconds lock_timeout);
/// The tables of the current database that other sessions hold in ACCESS EXCLUSIVE mode,
/// as quoted `schema.name`, sorted: who to blame when a read timed out on a lock.
std::vector<std::string> tables_locked_exclusively(Session& conn);
/// Starts a read-only REPEATABLE READ transaction.
void begin_snapshot_transaction(Session& conn);
/// `pg_export_snapshot()` of the current transaction.
std::string export_snapshot(Session& conn);
/// Adopts an exported snapshot (must be the first statement after BEGIN).
void import_snapshot(Session& conn, const std::string& snapshot_id);
/// Ends the transaction.
void end_transaction(Session& conn);
ServerFacts server_facts(Session& conn);

/// Every ordinary and partitioned table outside the system schemas (views, foreign
/// tables, materialized views and other sessions' temporary tables are not tables here).
std::vector<RelationInfo> list_relations(Session& conn);
std::vector<UnvalidatedConstraintRow> list_unvalidated_constraints(Session& conn);
/// Sequences with their position and the maximum of their owning column (one query each).
std::vector<SequenceRow> list_sequences(Session& conn);

/// Streams the rows of `rel` (this relation only, not its children) within `blocks` as
/// COPY text of the name-ordered column list. Returns the row count.
std::uint64_t stream_rows(Session& conn, const RelationInfo& rel, const BlockRange& blocks,
                          const std::function<void(std::string_view)>& on_row);
/// The same for the rows whose primary key is in `range`.
std::uint64_t stream_key_range(Session& conn, const RelationInfo& rel, const KeyRange& range,
                               const std::function<void(std::string_view)>& on_row);
/// Up to `parts - 1` keys splitting the rows of `range` into `parts` equal slices, ascending.
std::vector<Key> split_keys(Session& conn, const RelationInfo& rel, const KeyRange& range,
                            std::int64_t parts);
/// The planner's row estimate of `rel` (`pg_class.reltuples`): -1 when the table was
/// never vacuumed or analyzed.
double estimated_rows(Session& conn, const RelationInfo& rel);
/// The key values (text) of `rel`, which has a one-column key, in key order: every key
/// with `percent` >= 100, else those of a `TABLESAMPLE SYSTEM (percent) REPEATABLE (0)`
/// sample of whole heap pages.
std::vector<std::string> sample_keys(Session& conn, const RelationInfo& rel, double percent);
/// The first `limit` keys of `range`, in key order.
std::vector<Key> keys_in_range(Session& conn, const RelationInfo& rel, const KeyRange& range,
                               std::size_t limit);
/// The rows of `range` in key order: key, then the row as record text.
std::vector<std::pair<Key, std::string>> keyed_rows(Session& conn, const RelationInfo& rel,
                                                    const KeyRange& range);

/// `name` as a quoted SQL identifier.
std::string quote_identifier(std::string_view name);
/// `text` as a SQL string literal, safe whatever standard_conforming_strings says.
std::string quote_string(std::string_view text);

} // namespace migsafe::platform::catalog
