#pragma once

/// Catalog facts: what a live database knows that SQL text does not (table sizes, column
/// types, validated `CHECK (c IS NOT NULL)`, function volatility, foreign keys, indexes).
/// The planner reads them with `--db` to sharpen its verdicts. Loading never writes.

#include <migsafe/export.hpp>
#include <migsafe/platform/conninfo.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::model {

/// One column of a table.
struct ColumnFacts {
    std::string name{};
    std::string type{}; ///< as format_type() prints it: `integer`, `character varying(100)`
    bool not_null = false;
    /// A validated `CHECK (name IS NOT NULL)` exists: SET NOT NULL needs no scan (PG12+).
    bool validated_not_null_check = false;
    /// The column's domain, schema-qualified (`public.rating`); empty when its type is not
    /// a domain. ALTER DOMAIN ... ADD CHECK scans and ShareLocks every table using it.
    std::string domain{};
    /// The domain's base type as format_type() prints it (`integer`); empty when the
    /// column's type is not a domain. Changing the column to it rewrites nothing.
    std::string domain_base{};
    /// A validated CHECK constraint names the column: changing its type checks it again.
    bool checked = false;
    friend bool operator==(const ColumnFacts&, const ColumnFacts&) = default;
};

/// One index of a table.
struct IndexFacts {
    std::string name{};                 ///< schema-qualified
    std::vector<std::string> columns{}; ///< key columns in order; empty entry for an expression
    bool unique = false;
    bool primary = false;
    bool valid = true;    ///< pg_index.indisvalid (false after a failed CONCURRENTLY build)
    bool partial = false; ///< has a WHERE clause
    friend bool operator==(const IndexFacts&, const IndexFacts&) = default;
};

/// One table (ordinary, partitioned or materialized view).
struct TableFacts {
    std::string name{};          ///< schema-qualified, e.g. `public.professionals`
    double rows = 0;             ///< pg_class.reltuples (an estimate; -1 when never analyzed)
    std::int64_t pages = 0;      ///< pg_class.relpages
    std::int64_t bytes = 0;      ///< pg_total_relation_size: heap, indexes and TOAST
    char kind = 'r';             ///< pg_class.relkind: r, p or m
    bool unlogged = false;       ///< pg_class.relpersistence = 'u'
    std::string tablespace{};    ///< pg_tablespace.spcname; empty: the database's default
    std::string access_method{}; ///< pg_am.amname (`heap`); empty for a partitioned table
    std::vector<ColumnFacts> columns{};
    std::vector<IndexFacts> indexes{};
    /// A materialized view: the relations its query names (schema-qualified, sorted), which
    /// REFRESH locks with AccessShareLock and reads. Empty for tables.
    std::vector<std::string> reads{};
    /// The names of its validated CHECK constraints: VALIDATE CONSTRAINT of one reads
    /// nothing.
    std::vector<std::string> validated_checks{};
    /// The views and materialized views whose query names it (schema-qualified, sorted):
    /// DROP ... CASCADE drops them, under AccessExclusiveLock.
    std::vector<std::string> views{};
    /// Its direct inheritance children and partitions (schema-qualified, sorted): a
    /// statement on the table reaches their rows too, through their own indexes.
    std::vector<std::string> children{};

    /// The column called `column_name`, or nullptr.
    MIGSAFE_API const ColumnFacts* column(std::string_view column_name) const noexcept;
    friend bool operator==(const TableFacts&, const TableFacts&) = default;
};

/// A foreign key.
struct ForeignKeyFacts {
    std::string name{};
    std::string table{}; ///< the referencing table, schema-qualified
    std::vector<std::string> columns{};
    std::string referenced{}; ///< the referenced table, schema-qualified
    std::vector<std::string> referenced_columns{};
    bool validated = true;
    friend bool operator==(const ForeignKeyFacts&, const ForeignKeyFacts&) = default;
};

/// How a function behaves (pg_proc.provolatile). `volatile` is a keyword, hence the
/// trailing underscore the naming rule cannot otherwise accept.
enum class Volatility { immutable, stable, volatile_ }; // NOLINT(readability-identifier-naming)

/// Everything loaded from one database.
struct CatalogFacts {
    int server_version = 0;                     ///< e.g. 150018
    std::map<std::string, TableFacts> tables{}; ///< by schema-qualified name
    std::vector<ForeignKeyFacts> foreign_keys{};
    /// By `schema.name` (pg_catalog included); with overloads, the most volatile.
    std::map<std::string, Volatility> functions{};

    /// The table called `qualified`, or nullptr.
    MIGSAFE_API const TableFacts* table(std::string_view qualified) const noexcept;
    /// The function `schema.name` (`now` looks in pg_catalog), or nullopt.
    MIGSAFE_API std::optional<Volatility> volatility(std::string_view name) const;
    /// The table that owns the index `qualified` (`public.t_idx`), or nullptr.
    MIGSAFE_API const TableFacts* table_of_index(std::string_view qualified) const noexcept;
    /// Foreign keys whose referencing or referenced table is `qualified`.
    MIGSAFE_API std::vector<ForeignKeyFacts> foreign_keys_of(std::string_view qualified) const;
    friend bool operator==(const CatalogFacts&, const CatalogFacts&) = default;
};

/// Reads the facts of every user table of the database at `conninfo` (read-only queries
/// in one read-only transaction). Throws `db-conninfo-invalid`, `db-connect-failed` and
/// the other `db-*` errors of platform::Session. Cost: six catalog queries.
MIGSAFE_API CatalogFacts load_catalog_facts(std::string_view conninfo);
/// The same from a parsed conninfo.
MIGSAFE_API CatalogFacts load_catalog_facts(const platform::ConnInfo& conninfo);

} // namespace migsafe::model
