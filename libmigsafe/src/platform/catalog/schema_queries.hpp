#pragma once
// The SQL that reads the schema fingerprint (integrity::read_schema): one query per kind of
// object, each returning the objects' display names and the attributes that make them what
// they are. docs/integrity.md, "The schema fingerprint", lists what is read.

#include <migsafe/platform/session.hpp>

#include <map>
#include <string>
#include <vector>

namespace migsafe::platform::catalog {

/// One object as the catalog describes it: `kind` (`table`, `column`, ...), `name` (each
/// part through quote_ident, joined with dots: `public.reviews.fee`) and its attributes by
/// name; SQL NULL reads as the empty string.
struct SchemaObjectRow {
    std::string kind{};
    std::string name{};
    std::map<std::string, std::string> attributes{};
};

/// Every user object of the current database: schemas, tables, columns, constraints,
/// indexes, sequences (with their position), views, materialized views, functions and
/// procedures, triggers, types, extensions, policies and grants. Left out: pg_catalog,
/// information_schema, pg_toast, temporary schemas, `exclude_schemas` (names as stored, not
/// quoted), and whatever belongs to an extension (the extension itself is listed). Unsorted.
/// Runs in the caller's transaction. Cost: 13 catalog queries; no table data is read.
std::vector<SchemaObjectRow> read_schema_objects(Session& conn,
                                                 const std::vector<std::string>& exclude_schemas);

} // namespace migsafe::platform::catalog
