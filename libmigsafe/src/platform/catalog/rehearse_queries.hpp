#pragma once
// The SQL of `migsafe rehearse`: database copies on the scratch server, the locks a
// migration holds before its commit, and what a rollback destroyed. Each function runs one
// statement on `session`; names are quoted, never pasted.

#include <migsafe/platform/session.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::platform::catalog {

/// `CREATE DATABASE name TEMPLATE source` (STRATEGY FILE_COPY on PostgreSQL 15 and newer:
/// a copy of the files, fastest for the small databases of a rehearsal). Nobody may be
/// connected to `source`. Outside any transaction.
void copy_database(Session& session, std::string_view name, std::string_view source);

/// `CREATE DATABASE name` (from template0: nothing a template1 holds leaks in).
void create_empty_database(Session& session, std::string_view name);

/// `DROP DATABASE IF EXISTS name`, ending its sessions first (`WITH (FORCE)`, 13 and newer).
void drop_database_force(Session& session, std::string_view name);

/// The names of the databases whose name starts with `prefix`.
std::vector<std::string> databases_named(Session& session, std::string_view prefix);

/// A table lock held (granted) by this session's backend, by the table's name.
struct TableLockRow {
    std::string table{}; ///< `schema.name`, unquoted
    std::string mode{};  ///< as pg_locks names it, e.g. `AccessExclusiveLock`
};

/// The locks this session holds on user tables, views, materialized views and sequences
/// of the current database (not on indexes, not in pg_catalog or migsafe's schemas).
std::vector<TableLockRow> own_table_locks(Session& session);

/// For each of `columns` of `schema`.`table`, how many rows have a non-null value (one
/// scan of the table).
std::vector<std::uint64_t> non_null_counts(Session& session, std::string_view schema,
                                           std::string_view table,
                                           const std::vector<std::string>& columns);

/// `DROP SCHEMA IF EXISTS name CASCADE`: a compensation's archive, once compared.
void drop_archive_schema(Session& session, std::string_view name);

/// How many ordinary or partitioned tables exist outside the system schemas and
/// `migsafe`, `migsafe_archive`.
std::int64_t user_table_count(Session& session);

} // namespace migsafe::platform::catalog
