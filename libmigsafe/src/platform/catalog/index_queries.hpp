#pragma once
// Indexes by validity: the one query for INVALID indexes (verify, health and apply ask it),
// whether one index is valid, and dropping one left INVALID.

#include <migsafe/platform/session.hpp>

#include <optional>
#include <string>
#include <vector>

namespace migsafe::platform::catalog {

/// An INVALID index (a failed or running CREATE INDEX CONCURRENTLY, a failed REINDEX
/// CONCURRENTLY, a DROP INDEX CONCURRENTLY stopped half-way).
struct InvalidIndex {
    std::string index_schema{}, index_name{};
    std::string table_schema{}, table_name{};
};

/// Which INVALID indexes `invalid_indexes` lists.
struct InvalidIndexFilter {
    /// Only those on this table (schema, name); empty: on every table of the user's schemas
    /// (k_user_schemas_predicate).
    std::optional<std::pair<std::string, std::string>> table{};
    /// Leave out the indexes a CREATE INDEX CONCURRENTLY is building right now (INVALID
    /// too, but not left over); PostgreSQL 12+ (pg_stat_progress_create_index).
    bool skip_builds_in_progress = false;
};

/// The INVALID indexes `filter` selects, by index schema and name.
std::vector<InvalidIndex> invalid_indexes(Session& conn, const InvalidIndexFilter& filter);

/// Whether index `schema.name` is valid: nullopt when it does not exist.
std::optional<bool> index_validity(Session& conn, const std::string& schema,
                                   const std::string& name);

/// `DROP INDEX CONCURRENTLY IF EXISTS` of `schema.name` (quoted here).
void drop_index_concurrently_if_exists(Session& conn, const std::string& schema,
                                       const std::string& name);

} // namespace migsafe::platform::catalog
