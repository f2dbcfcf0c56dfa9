#pragma once

/// The schema of a database as a comparable value: every user object with the attributes
/// that make it what it is, and none of what changes when the same schema is built again
/// (OIDs, relfilenodes, physical column numbers). `migsafe rehearse` reads it before and
/// after each step and names what a rollback did not put back (docs/rehearse.md).

#include <migsafe/export.hpp>
#include <migsafe/platform/session.hpp>

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::integrity {

/// One object of the schema. `kind` is one of: `schema`, `table`, `column`, `constraint`,
/// `index`, `sequence`, `view`, `materialized-view`, `function`, `trigger`, `type`,
/// `extension`, `policy`, `grant`. `name` is schema-qualified where the object has a schema
/// (`public.reviews`), and a column, constraint, trigger, policy or grant is named after its
/// table (`public.reviews.fee`, `public.reviews.reviews_rating_check`); a function carries
/// its argument types (`public.f(integer, text)`); a grant is `object:grantee`.
struct SchemaObject {
    std::string kind{};
    std::string name{};
    /// What must be equal for the object to be the same; every value is text, empty for
    /// none. For a `table`: `kind` (table, partitioned, foreign, unlogged), `owner`,
    /// `partition_of` (parent and bound), `partition_key`, `inherits`, `row_security`
    /// (off, on, forced). For a `column`: `table`, `type` (`numeric(10,2)`), `nullable`
    /// (`yes`/`no`), `default`, `generated`, `identity` (always, by default), `collation`
    /// (when not the type's), `position` (order among the table's live columns, 1-based).
    /// For a `constraint`: `table`, `type`, `definition` (pg_get_constraintdef),
    /// `validated`, `deferrable`. For an `index`: `table`, `definition` (pg_get_indexdef),
    /// `valid`, `constraint` (the one it backs). For a `sequence`: `type`, `increment`,
    /// `start`, `min`, `max`, `cycle`, `owned_by`, `last_value`, `is_called`. For a `view`
    /// or `materialized-view`: `definition`. For a `function`: `kind` (function, procedure,
    /// aggregate, window), `definition` (pg_get_functiondef). For a `trigger`: `table`,
    /// `definition`, `enabled`. For a `type`: `kind` (enum, domain, composite, range) and
    /// `definition` (enum labels in order, a domain's base type, default, not null and
    /// checks, a composite's attributes, a range's subtype). For an `extension`: `version`,
    /// `schema`. For a `policy`: `table`, `command`, `mode`, `roles`, `using`,
    /// `with_check`. For a `grant`: `object` (a relation, column, schema or function),
    /// `privileges`. A `schema` has none.
    std::map<std::string, std::string> attributes{};

    friend bool operator==(const SchemaObject&, const SchemaObject&) = default;
};

/// Which attributes a difference is about, for the verdict of a comparison.
enum class SchemaChange {
    missing, ///< in the expected schema, not in the actual one
    extra,   ///< in the actual schema, not in the expected one
    changed, ///< in both, with different attributes
};

/// One difference between two schemas.
struct SchemaDifference {
    SchemaChange change = SchemaChange::changed;
    std::string kind{};      ///< the object's kind
    std::string name{};      ///< the object's name
    std::string attribute{}; ///< for `changed`: the attribute that differs
    std::string expected{};  ///< for `changed`: the expected value
    std::string actual{};    ///< for `changed`: the actual value
    /// Whether the difference is only a note (a sequence's position, a column's order):
    /// a rollback that leaves it is still correct. Everything else fails a comparison.
    bool note_only = false;

    friend bool operator==(const SchemaDifference&, const SchemaDifference&) = default;

    /// One line for people: `index public.reviews_idx missing`,
    /// `column public.reviews.fee: type integer, was numeric`,
    /// `constraint public.reviews.reviews_rating_check extra`.
    MIGSAFE_API std::string describe() const;
};

/// The schema of one database: its objects sorted by kind, then name.
struct SchemaFingerprint {
    std::vector<SchemaObject> objects{};

    friend bool operator==(const SchemaFingerprint&, const SchemaFingerprint&) = default;

    /// A short hex hash of the whole fingerprint (XXH3-128 of a canonical text form), for
    /// reports: equal fingerprints have equal hashes.
    MIGSAFE_API std::string hash() const;
    /// The object of `kind` named `name`, or null.
    MIGSAFE_API const SchemaObject* find(std::string_view kind, std::string_view name) const;
    /// The JSON form: an array of {kind, name, attributes}.
    MIGSAFE_API std::string to_json(int indent = 2) const;
    /// Reads what `to_json` writes. Throws `input-invalid-report` (not that form).
    MIGSAFE_API static SchemaFingerprint from_json(std::string_view text);
};

/// What to read. Fill with designated initializers.
struct SchemaOptions {
    /// Schemas left out, besides pg_catalog, information_schema, pg_toast and pg_temp_*:
    /// by default migsafe's own (its history) and the compensation's archive.
    std::vector<std::string> exclude_schemas{"migsafe", "migsafe_archive"};
    /// How long a catalog read waits for a lock (reading a view's definition or a
    /// sequence's position takes ACCESS SHARE on it); must be positive.
    std::chrono::milliseconds lock_timeout{std::chrono::seconds(30)};
};

/// Reads the schema of the database `conninfo` names, in one read-only REPEATABLE READ
/// transaction (docs/integrity.md, "The schema fingerprint"). Only reads. Throws
/// `db-conninfo-invalid`, `db-connect-failed`, `db-lock-timeout` (an object stayed locked
/// longer than `options.lock_timeout`), `db-query-failed`, `usage-invalid-option` (a
/// `lock_timeout` not positive). Cost: 13 catalog queries, one connection; no table data is
/// read (all sequence positions come in one of those queries).
MIGSAFE_API SchemaFingerprint read_schema(const std::string& conninfo,
                                          const SchemaOptions& options = {});

/// The same read on `session`, a connection the caller goes on using (`migsafe rehearse`):
/// in a transaction of its own whose settings end with it. The session must not be in a
/// transaction.
MIGSAFE_API SchemaFingerprint read_schema(platform::Session& session,
                                          const SchemaOptions& options = {});

/// The differences from `expected` to `actual`, in the fingerprints' order (kind, then
/// name; a `changed` object gives one difference per attribute, by attribute name). A
/// column, constraint, index, trigger or policy missing (or extra) because its table is
/// missing (extra) is not repeated: the table's line says it; nor is an index backing a
/// missing (extra) constraint, a sequence owned by a missing (extra) column, or a grant on
/// a missing (extra) object. Empty: equal. Cost: O(n log n) in the number of objects.
MIGSAFE_API std::vector<SchemaDifference> diff_schema(const SchemaFingerprint& expected,
                                                      const SchemaFingerprint& actual);

/// `missing`, `extra` or `changed`.
MIGSAFE_API std::string_view to_string(SchemaChange change) noexcept;

} // namespace migsafe::integrity
