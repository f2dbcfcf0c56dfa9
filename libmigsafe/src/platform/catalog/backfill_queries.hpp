#pragma once
// Every SQL text of the backfill engine except the migration's own UPDATE. Identifiers are
// quoted here; keys travel as text parameters, so PostgreSQL infers the key column's type.

#include <migsafe/platform/session.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::platform::catalog {

/// A column of the backfill's table.
struct BackfillColumn {
    std::string name{};
    std::string type{};       ///< format_type, e.g. `bigint`, `uuid`
    bool not_null = false;    ///< attnotnull
    bool primary_key = false; ///< part of the primary key
    bool indexed = false;     ///< some valid index starts with this column
};

/// The table's oid as text, or nullopt when `schema`.`name` does not exist.
std::optional<std::string> table_oid(Session& session, std::string_view schema,
                                     std::string_view name);

/// The columns of the table `oid`, in attnum order.
std::vector<BackfillColumn> backfill_columns(Session& session, const std::string& oid);

/// The primary key's columns of the table `oid`, in key order (empty: no primary key).
std::vector<std::string> primary_key_columns(Session& session, const std::string& oid);

/// `qualified_table` is a quoted `"schema"."name"`, `quoted_key` a quoted column.
/// The largest (`descending`) or smallest non-NULL key, or nullopt for an empty table.
std::optional<std::string> edge_key(Session& session, const std::string& qualified_table,
                                    const std::string& quoted_key, bool descending);

/// The `offset`-th key (0-based) after `after` (nullopt: from the start) and at most
/// `upper`, in key order; nullopt when there are not that many.
std::optional<std::string> nth_key(Session& session, const std::string& qualified_table,
                                   const std::string& quoted_key,
                                   const std::optional<std::string>& after,
                                   const std::string& upper, std::int64_t offset);

} // namespace migsafe::platform::catalog
