#pragma once
// The catalog reads and session commands of the trace engine (all its SQL lives here and
// in row_generator.cpp). Each function runs one statement on `session`.

#include <migsafe/platform/session.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::platform::catalog {

/// A user relation (not in pg_catalog, information_schema, pg_toast or a temp schema).
struct RelationRow {
    std::int64_t oid = 0;
    std::string qualified{};   ///< `schema.name`, unquoted (as reports print it)
    char kind = 'r';           ///< pg_class.relkind: r, p, i, I, S, v, m, f
    std::int64_t filenode = 0; ///< pg_class.relfilenode (0 for relations without storage)
};

/// Every user relation of the current database. Cost: one scan of pg_class.
std::vector<RelationRow> user_relations(Session& session);

/// A relation lock held (granted) by this session's backend.
struct LockRow {
    std::int64_t relation = 0; ///< the relation's oid
    std::string mode{};        ///< as pg_locks names it, e.g. `AccessExclusiveLock`
};

/// The relation locks this session holds in the current database (pg_locks).
std::vector<LockRow> own_relation_locks(Session& session);

/// Sequential scans started on a user table in the current transaction.
struct ScanCounter {
    std::int64_t relation = 0;
    std::int64_t seq_scans = 0;
};

/// pg_stat_xact_user_tables.seq_scan for every user table (this transaction's counts).
std::vector<ScanCounter> transaction_seq_scans(Session& session);

/// Whether the relation's main fork is empty (`pg_relation_size(oid) = 0`). Takes an
/// AccessShareLock on it.
bool relation_is_empty(Session& session, std::int64_t oid);

/// A direct inheritance link (partitions included), by qualified names.
struct InheritanceRow {
    std::string child{};
    std::string parent{};
};

/// Every pg_inherits link between user relations. Cost: one read of pg_inherits.
std::vector<InheritanceRow> inheritance_links(Session& session);

/// The qualified names of the user tables, partitioned tables and (populated)
/// materialized views without a row. Reads each (`SELECT 1 ... LIMIT 1`, AccessShareLock):
/// run it outside the traced transaction.
std::vector<std::string> empty_relations(Session& session);

/// `current_setting(name)`.
std::string current_setting(Session& session, std::string_view name);

/// `set_config(name, value, is_local => true)`: lasts until the transaction ends.
void set_local(Session& session, std::string_view name, std::string_view value);

/// BEGIN, COMMIT and ROLLBACK of the session's transaction.
void begin(Session& session);
void commit(Session& session);
void rollback(Session& session);

/// SAVEPOINT, RELEASE SAVEPOINT and ROLLBACK TO SAVEPOINT of `name`.
void savepoint(Session& session, std::string_view name);
void release_savepoint(Session& session, std::string_view name);
void rollback_to_savepoint(Session& session, std::string_view name);

/// `CREATE DATABASE name` and `DROP DATABASE IF EXISTS name` (outside any transaction).
void create_database(Session& session, std::string_view name);
void drop_database(Session& session, std::string_view name);

} // namespace migsafe::platform::catalog
