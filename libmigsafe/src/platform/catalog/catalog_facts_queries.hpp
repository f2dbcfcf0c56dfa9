#pragma once
// The catalog queries behind model::load_catalog_facts. Rows come back as text, one
// struct per row; the model assembles them.

#include <migsafe/platform/session.hpp>

#include <string>
#include <vector>

namespace migsafe::platform::catalog {

/// A user table, partitioned table or materialized view with its size.
struct TableRow {
    std::string oid{};
    std::string qualified{};
    char kind = 'r';
    double reltuples = 0;
    long long relpages = 0;
    long long total_bytes = 0;
    bool unlogged = false;
    std::string tablespace{};    ///< empty: the database's default
    std::string access_method{}; ///< empty when none (partitioned)
};
std::vector<TableRow> user_tables(Session& session);

/// A column of a user table.
struct ColumnRow {
    std::string table_oid{};
    std::string name{};
    std::string type{};
    bool not_null = false;
    std::string domain{};      ///< `schema.name` of the column's domain, empty when none
    std::string domain_base{}; ///< the domain's base type (format_type), empty when none
};
std::vector<ColumnRow> user_columns(Session& session);

/// A relation that a materialized view's query names (from its rewrite rule's
/// dependencies), in order of materialized view, then name.
struct ReadRow {
    std::string table_oid{}; ///< the materialized view
    std::string qualified{}; ///< the relation its query names
};
std::vector<ReadRow> matview_reads(Session& session);

/// A view or materialized view (`qualified`) whose query names the table `table_oid`.
std::vector<ReadRow> view_dependents(Session& session);

/// A direct inheritance child or partition (`qualified`) of the table `table_oid`.
std::vector<ReadRow> table_children(Session& session);

/// The definition (pg_get_constraintdef) of a validated CHECK constraint.
struct CheckRow {
    std::string table_oid{};
    std::string name{};
    std::string definition{};
};
std::vector<CheckRow> validated_checks(Session& session);

/// An index of a user table.
struct IndexRow {
    std::string table_oid{};
    std::string qualified{};
    std::vector<std::string> columns{};
    bool unique = false;
    bool primary = false;
    bool valid = true;
    bool partial = false;
};
std::vector<IndexRow> user_indexes(Session& session);

/// A foreign key between user tables.
struct ForeignKeyRow {
    std::string name{};
    std::string table{};
    std::vector<std::string> columns{};
    std::string referenced{};
    std::vector<std::string> referenced_columns{};
    bool validated = true;
};
std::vector<ForeignKeyRow> foreign_keys(Session& session);

/// A function's `schema.name` and provolatile (`i`, `s` or `v`).
struct FunctionRow {
    std::string qualified{};
    char volatility = 'v';
};
std::vector<FunctionRow> functions(Session& session);

/// `BEGIN READ ONLY` and its `ROLLBACK`.
void begin_read_only(Session& session);
void end_read_only(Session& session);

} // namespace migsafe::platform::catalog
