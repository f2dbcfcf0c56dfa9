#pragma once

// What the planner knows while it walks a release: objects the release created, columns
// and constraints it defined, and the state of the current file and transaction.

#include <migsafe/plan/analyze.hpp>

#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

namespace migsafe::plan::detail {

/// A column the release defined (CREATE TABLE or ADD COLUMN).
struct KnownColumn {
    std::string type{};
    bool not_null = false;
    std::string added_in{}; ///< `file:line` when added by ADD COLUMN, empty for CREATE TABLE
};

/// A constraint the release defined.
struct KnownConstraint {
    model::Constraint::Kind kind = model::Constraint::Kind::check;
    std::string referenced{};      ///< foreign keys: the referenced table, qualified
    int transaction = -1;          ///< the transaction that added it NOT VALID (-1: validated)
    std::string not_null_column{}; ///< CHECK (c IS NOT NULL): c
    /// The file that added it: transaction ids count per file, so the same id in another
    /// file (a later migration) is another transaction.
    std::string file{};
};

/// A foreign key the migration set defined (CREATE TABLE, ADD COLUMN, ADD CONSTRAINT).
struct KnownForeignKey {
    std::string table{};                           ///< the referencing table, qualified
    std::vector<std::string> columns{};            ///< its columns, when listed
    std::string referenced{};                      ///< the referenced table, qualified
    std::vector<std::string> referenced_columns{}; ///< empty: the referenced primary key
    bool validated = true;                         ///< false: added NOT VALID
};

/// State of the whole release.
struct ReleaseContext {
    const PlanOptions* options = nullptr;
    /// Relations earlier releases of the same migration set created -> the file that did
    /// (analyze_releases): existing tables whose size the plan does not know without --db.
    /// What those releases defined (columns, constraints, indexes, partitions, views) stays
    /// in the maps below, so a later release is planned against the schema they built.
    std::map<std::string, std::string> created_earlier{};
    std::map<std::string, std::string> created{};     ///< relation -> file that created it
    std::map<std::string, std::string> index_table{}; ///< index -> its table
    std::set<std::string> partitioned{};              ///< partitioned tables
    /// Every foreign key defined so far (earlier releases too): a type change of a key
    /// column rebuilds them and checks the validated ones again.
    std::vector<KnownForeignKey> known_foreign_keys{};
    std::map<std::string, std::vector<std::string>> primary_key{}; ///< table -> its columns
    /// Partitioned table -> its DEFAULT partition (CREATE TABLE ... PARTITION OF ... DEFAULT).
    std::map<std::string, std::string> default_partition{};
    std::map<std::string, std::map<std::string, KnownColumn>> columns{}; ///< table -> columns
    std::map<std::string, std::map<std::string, KnownConstraint>> constraints{};
    std::map<std::string, std::vector<std::string>> index_leading{}; ///< table -> first columns
    /// (table, column) pairs with a validated CHECK (c IS NOT NULL).
    std::set<std::pair<std::string, std::string>> checked_not_null{};
    std::map<std::string, std::vector<std::string>> index_columns{}; ///< index -> columns
    /// Materialized views the release created -> the relations their query names.
    std::map<std::string, std::vector<std::string>> view_reads{};
    /// Foreign keys on tables the release created, checked for an index at the end.
    struct PendingForeignKey {
        std::size_t statement = 0; ///< index in the report
        std::string table;
        std::string column;
    };
    std::vector<PendingForeignKey> foreign_keys{};
    std::size_t statement_index = 0; ///< the statement being planned, in the report
};

/// State of the file being planned.
struct FileContext {
    std::string file{};
    Transaction transaction = Transaction::wrapped;
    int transaction_id = 0;      ///< changes at every COMMIT (and statement, in autocommit)
    bool explicit_block = false; ///< inside BEGIN ... COMMIT
    std::optional<int> lock_timeout_ms{};                ///< set and non-zero
    std::optional<int> statement_timeout_ms{};           ///< set and non-zero
    std::vector<std::string> holding_access_exclusive{}; ///< relations, in this transaction
    std::optional<Phase> declared_phase{};               ///< `-- migsafe:phase`
    std::vector<std::string> new_enum_values{}; ///< `'value'` literals added in this transaction
    bool timezone_utc = false;                  ///< SET timezone to UTC seen
    std::string last_altered{}; ///< the table of the previous statement if it was an ALTER
};

/// Everything a statement's planner can read and update.
struct Context {
    ReleaseContext& release;
    FileContext& file;

    /// True when `relation` was created earlier in the release: locking it blocks nobody.
    bool is_new(const std::string& relation) const { return release.created.contains(relation); }

    /// True when `relation` was created earlier in this file (a trace would not see it).
    bool created_in_file(const std::string& relation) const
    {
        auto it = release.created.find(relation);
        return it != release.created.end() && it->second == file.file;
    }

    /// True when inside a transaction shared with the following statements.
    bool in_transaction() const
    {
        return file.transaction == Transaction::wrapped || file.explicit_block;
    }

    const PlanOptions& options() const { return *release.options; }

    /// The live catalog's facts on `relation` (`--db`), or nullptr without a catalog, for
    /// a relation the catalog does not have, or for one the release created (still new).
    const model::TableFacts* existing(const std::string& relation) const
    {
        const model::CatalogFacts* catalog = options().catalog;
        return catalog == nullptr || is_new(relation) ? nullptr : catalog->table(relation);
    }

    /// The live catalog's facts on `relation`.`column`, or nullptr (see existing()).
    const model::ColumnFacts* existing_column(const std::string& relation,
                                              const std::string& column) const
    {
        const model::TableFacts* table = existing(relation);
        return table == nullptr ? nullptr : table->column(column);
    }
};

/// `analyze()` of one release, on the schema the earlier releases of the set built
/// (`carried`, empty for the first); afterwards `carried` holds the schema this release
/// leaves, its new relations moved to `created_earlier`.
PlanReport analyze_release(std::span<const PlanInput> files, const PlanOptions& options,
                           ReleaseContext& carried);

} // namespace migsafe::plan::detail
