#pragma once
// Private: the JSON of platform::catalog::describe_objects (migsafe.history's
// objects_before, and the catalog now) read into plain structs.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::compensate::detail {

struct Column {
    std::string name{};
    std::string type{}; ///< format_type: `bigint`, `character varying(20)`
    bool not_null = false;
    std::optional<std::string> default_expression{};
};

struct Constraint {
    std::string name{};
    std::string type{};       ///< pg_constraint.contype: p, u, f, c, x, t
    std::string definition{}; ///< pg_get_constraintdef (ends with NOT VALID when not validated)
    bool validated = true;
};

struct Index {
    std::string name{};
    std::string definition{}; ///< pg_get_indexdef: `CREATE [UNIQUE] INDEX name ON ...`
    bool valid = true;
};

struct Table {
    std::string kind{}; ///< pg_class.relkind: r, p, i, v, m, ...
    std::vector<Column> columns{};
    std::vector<Constraint> constraints{};
    std::vector<Index> indexes{};
    std::string definition{}; ///< an index relation's own definition (kind i)

    const Column* column(std::string_view name) const;
    const Constraint* constraint(std::string_view name) const;
    const Index* index(std::string_view name) const;
    /// The primary key's columns as SQL (`id`, `"Tenant", id`), from its definition;
    /// empty when there is no primary key.
    std::string primary_key_columns() const;
};

/// Tables by display form (platform::qualified_name: `public.t`, `"x.y".z`).
using Objects = std::map<std::string, Table>;

/// Reads the JSON text (empty: no objects). Throws `compensate-objects-malformed`, naming
/// `what` (`objects_before of 0007`).
Objects parse_objects(std::string_view json, std::string_view what);

} // namespace migsafe::compensate::detail
