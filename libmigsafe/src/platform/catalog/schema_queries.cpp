// The SQL of the schema fingerprint. Every query returns `object_kind`, `object_name`, then
// one column per attribute, named after it; the reader below turns the columns into the
// attribute map, so what is compared is written here, once. Text is ordered with COLLATE "C"
// so that two databases with different default collations aggregate alike. The excluded
// schemas travel as one parameter ($1, a JSON array), never pasted into the SQL.
#include "platform/catalog/schema_queries.hpp"

#include "platform/catalog/user_schemas.hpp"
#include "platform/json_writer.hpp"

#include <fmt/format.h>

namespace migsafe::platform::catalog {
namespace {

// User schemas of `n` (pg_namespace, k_user_schemas_predicate), none of $1.
const std::string k_user_namespace =
    std::string(k_user_schemas_predicate) +
    " AND n.nspname NOT IN (SELECT pg_catalog.jsonb_array_elements_text($1::jsonb))";

// `oid` of the system catalog `catalog` is no member of an extension (pg_depend type 'e').
std::string not_member(const char* catalog, const char* oid)
{
    return fmt::format("NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e "
                       "WHERE e.classid = 'pg_catalog.{}'::pg_catalog.regclass "
                       "AND e.objid = {} AND e.deptype = 'e')",
                       catalog, oid);
}

// Function `p` is the user's own: no member of an extension, and not made along with
// another object (pg_depend type 'i': a range type's constructors and multirange functions).
constexpr const char* k_own_function =
    "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e "
    "WHERE e.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass "
    "AND e.objid = p.oid AND e.deptype IN ('e', 'i'))";

// The display name of relation `c` in schema `n`.
constexpr const char* k_relation_name =
    "pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname)";

// The schema-qualified name of collation `oid`.
std::string collation_name(const char* oid)
{
    return fmt::format("(SELECT pg_catalog.quote_ident(cn.nspname) || '.' || "
                       "pg_catalog.quote_ident(co.collname) FROM pg_catalog.pg_collation co "
                       "JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace "
                       "WHERE co.oid = {})",
                       oid);
}

// The user tables (`c`, schema `n`) whose parts are read: ordinary, partitioned and foreign
// tables; no temporary ones, none of an extension.
std::string user_tables()
{
    return fmt::format("c.relkind IN ('r', 'p', 'f') AND c.relpersistence <> 't' AND {} AND {}",
                       k_user_namespace, not_member("pg_class", "c.oid"));
}

std::string schemas_sql()
{
    return fmt::format("SELECT 'schema' AS object_kind, pg_catalog.quote_ident(n.nspname) AS "
                       "object_name FROM pg_catalog.pg_namespace n WHERE {} AND {}",
                       k_user_namespace, not_member("pg_namespace", "n.oid"));
}

std::string tables_sql()
{
    return fmt::format(
        R"(SELECT 'table' AS object_kind, {rel} AS object_name,
  CASE WHEN c.relkind = 'p' THEN 'partitioned' WHEN c.relkind = 'f' THEN 'foreign'
       WHEN c.relpersistence = 'u' THEN 'unlogged' ELSE 'table' END AS kind,
  pg_catalog.pg_get_userbyid(c.relowner) AS owner,
  CASE WHEN c.relispartition THEN (
    SELECT pg_catalog.quote_ident(pn.nspname) || '.' || pg_catalog.quote_ident(p.relname)
           || ' ' || pg_catalog.pg_get_expr(c.relpartbound, c.oid)
    FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
    JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = c.oid)
  ELSE '' END AS partition_of,
  CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) ELSE '' END
    AS partition_key,
  CASE WHEN c.relispartition THEN '' ELSE coalesce((
    SELECT pg_catalog.string_agg(pg_catalog.quote_ident(pn.nspname) || '.'
           || pg_catalog.quote_ident(p.relname), ', ' ORDER BY i.inhseqno)
    FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
    JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = c.oid), '')
  END AS inherits,
  CASE WHEN c.relforcerowsecurity THEN 'forced' WHEN c.relrowsecurity THEN 'on' ELSE 'off' END
    AS row_security
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE {tables})",
        fmt::arg("rel", k_relation_name), fmt::arg("tables", user_tables()));
}

// `position` is the rank among live columns: a dropped column (attisdropped) keeps its
// attnum, which a rebuilt table would not have.
std::string columns_sql()
{
    return fmt::format(
        R"(SELECT 'column' AS object_kind,
  {rel} || '.' || pg_catalog.quote_ident(a.attname) AS object_name,
  {rel} AS "table",
  pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
  CASE WHEN a.attnotnull THEN 'no' ELSE 'yes' END AS nullable,
  CASE WHEN a.attgenerated = '' THEN coalesce(pg_catalog.pg_get_expr(d.adbin, d.adrelid), '')
       ELSE '' END AS "default",
  CASE WHEN a.attgenerated = 's' THEN pg_catalog.pg_get_expr(d.adbin, d.adrelid) ELSE '' END
    AS generated,
  CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' ELSE '' END AS identity,
  CASE WHEN a.attcollation <> t.typcollation THEN {collation} ELSE '' END AS collation,
  pg_catalog.row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum)::text AS position
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attnum > 0 AND NOT a.attisdropped AND {tables})",
        fmt::arg("rel", k_relation_name), fmt::arg("collation", collation_name("a.attcollation")),
        fmt::arg("tables", user_tables()));
}

// pg_get_constraintdef appends DEFERRABLE, INITIALLY DEFERRED and NOT VALID: they are cut
// from `definition` because `deferrable` and `validated` say them, one fact per line.
std::string constraints_sql()
{
    return fmt::format(
        R"(SELECT 'constraint' AS object_kind,
  {rel} || '.' || pg_catalog.quote_ident(co.conname) AS object_name,
  {rel} AS "table",
  CASE co.contype WHEN 'p' THEN 'primary key' WHEN 'u' THEN 'unique'
    WHEN 'f' THEN 'foreign key' WHEN 'c' THEN 'check' WHEN 'x' THEN 'exclusion'
    WHEN 't' THEN 'trigger' ELSE co.contype::text END AS type,
  pg_catalog.regexp_replace(pg_catalog.pg_get_constraintdef(co.oid),
    '( DEFERRABLE)?( INITIALLY DEFERRED)?( NOT VALID)?$', '') AS definition,
  CASE WHEN co.convalidated THEN 'yes' ELSE 'no' END AS validated,
  CASE WHEN NOT co.condeferrable THEN 'no' WHEN co.condeferred THEN 'initially deferred'
    ELSE 'initially immediate' END AS deferrable
FROM pg_catalog.pg_constraint co
JOIN pg_catalog.pg_class c ON c.oid = co.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE {tables})",
        fmt::arg("rel", k_relation_name), fmt::arg("tables", user_tables()));
}

// Indexes of tables and materialized views. `constraint` names the primary key, unique or
// exclusion constraint the index backs (a foreign key's conindid points at the referenced
// table's index: not this one's).
std::string indexes_sql()
{
    return fmt::format(
        R"(SELECT 'index' AS object_kind,
  pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(ic.relname) AS object_name,
  {rel} AS "table",
  pg_catalog.pg_get_indexdef(i.indexrelid) AS definition,
  CASE WHEN i.indisvalid THEN 'yes' ELSE 'no' END AS valid,
  coalesce((SELECT {rel} || '.' || pg_catalog.quote_ident(co.conname)
    FROM pg_catalog.pg_constraint co WHERE co.conindid = i.indexrelid
    AND co.conrelid = i.indrelid AND co.contype IN ('p', 'u', 'x')), '') AS "constraint"
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'm') AND c.relpersistence <> 't' AND {user}
  AND {not_member})",
        fmt::arg("rel", k_relation_name), fmt::arg("user", k_user_namespace),
        fmt::arg("not_member", not_member("pg_class", "c.oid")));
}

// A sequence's position is not in the catalog but in the sequence itself. query_to_xml
// reads all of them in this one query; the name reaches its SELECT through format('%I'),
// quoted by the server. A sequence this role may not read shows an empty position.
std::string sequences_sql()
{
    return fmt::format(
        R"(SELECT 'sequence' AS object_kind, q.object_name, q.type, q.increment, q.start, q.min,
  q.max, q.cycle, q.owned_by,
  coalesce((pg_catalog.xpath('/row/last_value/text()', q.position))[1]::text, '') AS last_value,
  coalesce((pg_catalog.xpath('/row/is_called/text()', q.position))[1]::text, '') AS is_called
FROM (SELECT {rel} AS object_name,
  pg_catalog.format_type(s.seqtypid, NULL) AS type, s.seqincrement::text AS increment,
  s.seqstart::text AS start, s.seqmin::text AS min, s.seqmax::text AS max,
  CASE WHEN s.seqcycle THEN 'yes' ELSE 'no' END AS cycle,
  coalesce((SELECT pg_catalog.quote_ident(tn.nspname) || '.' || pg_catalog.quote_ident(t.relname)
      || '.' || pg_catalog.quote_ident(a.attname)
    FROM pg_catalog.pg_depend d
    JOIN pg_catalog.pg_class t ON t.oid = d.refobjid
    JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
    JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
    WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid
      AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjsubid > 0
      AND d.deptype IN ('a', 'i') LIMIT 1), '') AS owned_by,
  CASE WHEN pg_catalog.has_sequence_privilege(c.oid, 'SELECT') THEN pg_catalog.query_to_xml(
    pg_catalog.format('SELECT last_value, is_called FROM %I.%I', n.nspname, c.relname),
    false, true, '') END AS position
FROM pg_catalog.pg_sequence s
JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relpersistence <> 't' AND {user} AND {not_member}) q)",
        fmt::arg("rel", k_relation_name), fmt::arg("user", k_user_namespace),
        fmt::arg("not_member", not_member("pg_class", "c.oid")));
}

std::string views_sql()
{
    return fmt::format(
        R"(SELECT CASE c.relkind WHEN 'v' THEN 'view' ELSE 'materialized-view' END AS object_kind,
  {rel} AS object_name, pg_catalog.pg_get_viewdef(c.oid) AS definition
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm') AND c.relpersistence <> 't' AND {user} AND {not_member})",
        fmt::arg("rel", k_relation_name), fmt::arg("user", k_user_namespace),
        fmt::arg("not_member", not_member("pg_class", "c.oid")));
}

// The name of function `p` (schema `n`) with its argument types: `public.f(integer, text)`.
constexpr const char* k_function_name =
    "pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(p.proname) || '(' || "
    "pg_catalog.oidvectortypes(p.proargtypes) || ')'";

// pg_get_functiondef refuses aggregates: theirs is written from pg_aggregate.
std::string functions_sql()
{
    return fmt::format(
        R"(SELECT 'function' AS object_kind, {name} AS object_name,
  CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' WHEN 'w' THEN 'window'
    ELSE 'function' END AS kind,
  CASE WHEN p.prokind = 'a' THEN (
    SELECT 'SFUNC = ' || ag.aggtransfn::pg_catalog.regproc::text
      || ', STYPE = ' || pg_catalog.format_type(ag.aggtranstype, NULL)
      || CASE WHEN ag.aggfinalfn <> 0
         THEN ', FINALFUNC = ' || ag.aggfinalfn::pg_catalog.regproc::text ELSE '' END
      || CASE WHEN ag.aggcombinefn <> 0
         THEN ', COMBINEFUNC = ' || ag.aggcombinefn::pg_catalog.regproc::text ELSE '' END
      || coalesce(', INITCOND = ' || pg_catalog.quote_literal(ag.agginitval), '')
    FROM pg_catalog.pg_aggregate ag WHERE ag.aggfnoid = p.oid)
  ELSE pg_catalog.pg_get_functiondef(p.oid) END AS definition
FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE {user} AND {not_member})",
        fmt::arg("name", k_function_name), fmt::arg("user", k_user_namespace),
        fmt::arg("not_member", k_own_function));
}

std::string triggers_sql()
{
    return fmt::format(
        R"(SELECT 'trigger' AS object_kind,
  {rel} || '.' || pg_catalog.quote_ident(tg.tgname) AS object_name,
  {rel} AS "table",
  pg_catalog.pg_get_triggerdef(tg.oid) AS definition,
  CASE tg.tgenabled WHEN 'O' THEN 'enabled' WHEN 'D' THEN 'disabled' WHEN 'R' THEN 'replica'
    WHEN 'A' THEN 'always' ELSE tg.tgenabled::text END AS enabled
FROM pg_catalog.pg_trigger tg
JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE NOT tg.tgisinternal AND c.relkind IN ('r', 'p', 'f', 'v') AND c.relpersistence <> 't'
  AND {user} AND {not_member})",
        fmt::arg("rel", k_relation_name), fmt::arg("user", k_user_namespace),
        fmt::arg("not_member", not_member("pg_class", "c.oid")));
}

// Enums, domains, standalone composite types and ranges (a table's row type and the
// multirange a range brings along are not types of their own here).
std::string types_sql()
{
    return fmt::format(
        R"(SELECT 'type' AS object_kind,
  pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(t.typname) AS object_name,
  CASE t.typtype WHEN 'e' THEN 'enum' WHEN 'd' THEN 'domain' WHEN 'c' THEN 'composite'
    ELSE 'range' END AS kind,
  CASE t.typtype
  WHEN 'e' THEN coalesce((SELECT pg_catalog.string_agg(pg_catalog.quote_literal(en.enumlabel),
      ', ' ORDER BY en.enumsortorder) FROM pg_catalog.pg_enum en WHERE en.enumtypid = t.oid), '')
  WHEN 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod)
    || CASE WHEN t.typcollation <> bt.typcollation
       THEN ' COLLATE ' || {type_collation} ELSE '' END
    || coalesce(' DEFAULT ' || pg_catalog.pg_get_expr(t.typdefaultbin, 0), '')
    || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END
    || coalesce((SELECT pg_catalog.string_agg(' CONSTRAINT ' || pg_catalog.quote_ident(co.conname)
         || ' ' || pg_catalog.pg_get_constraintdef(co.oid), '' ORDER BY co.conname COLLATE "C")
       FROM pg_catalog.pg_constraint co WHERE co.contypid = t.oid), '')
  WHEN 'c' THEN '(' || coalesce((SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname)
         || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod)
         || CASE WHEN a.attcollation <> at.typcollation
            THEN ' COLLATE ' || {attribute_collation} ELSE '' END, ', ' ORDER BY a.attnum)
       FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
       WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '') || ')'
  ELSE (SELECT 'SUBTYPE = ' || pg_catalog.format_type(r.rngsubtype, NULL)
         || CASE WHEN r.rngcollation <> 0
            THEN ', COLLATION = ' || {range_collation} ELSE '' END
         || CASE WHEN r.rngcanonical <> 0
            THEN ', CANONICAL = ' || r.rngcanonical::pg_catalog.regproc::text ELSE '' END
         || CASE WHEN r.rngsubdiff <> 0
            THEN ', SUBTYPE_DIFF = ' || r.rngsubdiff::pg_catalog.regproc::text ELSE '' END
       FROM pg_catalog.pg_range r WHERE r.rngtypid = t.oid)
  END AS definition
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_catalog.pg_class rc ON rc.oid = t.typrelid
WHERE t.typtype IN ('e', 'd', 'c', 'r') AND (t.typtype <> 'c' OR rc.relkind = 'c')
  AND {user} AND {not_member})",
        fmt::arg("type_collation", collation_name("t.typcollation")),
        fmt::arg("attribute_collation", collation_name("a.attcollation")),
        fmt::arg("range_collation", collation_name("r.rngcollation")),
        fmt::arg("user", k_user_namespace), fmt::arg("not_member", not_member("pg_type", "t.oid")));
}

// Extensions are listed wherever they live (plpgsql is in pg_catalog), unless in $1.
std::string extensions_sql()
{
    return "SELECT 'extension' AS object_kind, pg_catalog.quote_ident(x.extname) AS object_name, "
           "x.extversion AS version, pg_catalog.quote_ident(n.nspname) AS schema "
           "FROM pg_catalog.pg_extension x "
           "JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace "
           "WHERE n.nspname NOT IN (SELECT pg_catalog.jsonb_array_elements_text($1::jsonb))";
}

std::string policies_sql()
{
    return fmt::format(
        R"(SELECT 'policy' AS object_kind,
  {rel} || '.' || pg_catalog.quote_ident(po.polname) AS object_name,
  {rel} AS "table",
  CASE po.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
    WHEN 'd' THEN 'DELETE' ELSE 'ALL' END AS command,
  CASE WHEN po.polpermissive THEN 'permissive' ELSE 'restrictive' END AS mode,
  (SELECT pg_catalog.string_agg(g.role, ', ' ORDER BY g.role COLLATE "C")
   FROM (SELECT CASE WHEN r.oid = 0 THEN 'PUBLIC'
         ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(r.oid)) END AS role
         FROM pg_catalog.unnest(po.polroles) AS r(oid)) g) AS roles,
  coalesce(pg_catalog.pg_get_expr(po.polqual, po.polrelid), '') AS "using",
  coalesce(pg_catalog.pg_get_expr(po.polwithcheck, po.polrelid), '') AS with_check
FROM pg_catalog.pg_policy po
JOIN pg_catalog.pg_class c ON c.oid = po.polrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE {tables})",
        fmt::arg("rel", k_relation_name), fmt::arg("tables", user_tables()));
}

// Grants on relations, columns, schemas and functions, one object per (object, grantee). A
// NULL acl means the default one; acldefault spells it out, so that GRANT then REVOKE (an
// explicit acl equal to the default) reads the same as never granting. A column has no
// default privileges: a NULL or empty attacl reads as none.
std::string grants_sql()
{
    return fmt::format(
        R"(SELECT 'grant' AS object_kind, g.object || ':' || g.grantee AS object_name,
  g.object, pg_catalog.string_agg(g.privilege, ', ' ORDER BY g.privilege COLLATE "C")
    AS privileges
FROM (SELECT DISTINCT a.object,
    CASE WHEN a.grantee = 0 THEN 'PUBLIC'
      ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END AS grantee,
    a.privilege_type || CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END
      AS privilege
  FROM (
    SELECT {rel} AS object, x.grantee, x.privilege_type, x.is_grantable
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    CROSS JOIN LATERAL pg_catalog.aclexplode(coalesce(c.relacl, pg_catalog.acldefault(
      CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner))) x
    WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S') AND c.relpersistence <> 't'
      AND {user} AND {class_not_member}
    UNION ALL
    SELECT {rel} || '.' || pg_catalog.quote_ident(at.attname), x.grantee, x.privilege_type,
      x.is_grantable
    FROM pg_catalog.pg_attribute at
    JOIN pg_catalog.pg_class c ON c.oid = at.attrelid
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    CROSS JOIN LATERAL pg_catalog.aclexplode(at.attacl) x
    WHERE at.attacl IS NOT NULL AND at.attnum > 0 AND NOT at.attisdropped
      AND c.relkind IN ('r', 'p', 'f', 'v', 'm') AND c.relpersistence <> 't'
      AND {user} AND {class_not_member}
    UNION ALL
    SELECT pg_catalog.quote_ident(n.nspname), x.grantee, x.privilege_type, x.is_grantable
    FROM pg_catalog.pg_namespace n
    CROSS JOIN LATERAL pg_catalog.aclexplode(coalesce(n.nspacl,
      pg_catalog.acldefault('n', n.nspowner))) x
    WHERE {user} AND {namespace_not_member}
    UNION ALL
    SELECT {function}, x.grantee, x.privilege_type, x.is_grantable
    FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
    CROSS JOIN LATERAL pg_catalog.aclexplode(coalesce(p.proacl,
      pg_catalog.acldefault('f', p.proowner))) x
    WHERE {user} AND {proc_not_member}) a) g
GROUP BY g.object, g.grantee)",
        fmt::arg("rel", k_relation_name), fmt::arg("function", k_function_name),
        fmt::arg("user", k_user_namespace),
        fmt::arg("class_not_member", not_member("pg_class", "c.oid")),
        fmt::arg("namespace_not_member", not_member("pg_namespace", "n.oid")),
        fmt::arg("proc_not_member", k_own_function));
}

std::string excluded_list(const std::vector<std::string>& exclude_schemas)
{
    std::string out;
    JsonWriter json(out);
    json.begin_array();
    for (const auto& schema : exclude_schemas) {
        json.value(schema);
    }
    json.end_array();
    return out;
}

void read_rows(Session& conn, const std::string& sql, const std::string& excluded,
               std::vector<SchemaObjectRow>& out)
{
    auto result = conn.query(sql, {excluded});
    for (auto& row : result.rows) {
        SchemaObjectRow object{.kind = row.at(0).value_or(""), .name = row.at(1).value_or("")};
        for (std::size_t i = 2; i < row.size(); ++i) {
            object.attributes[result.columns.at(i)] = row[i].value_or("");
        }
        out.push_back(std::move(object));
    }
}

} // namespace

std::vector<SchemaObjectRow> read_schema_objects(Session& conn,
                                                 const std::vector<std::string>& exclude_schemas)
{
    const auto excluded = excluded_list(exclude_schemas);
    std::vector<SchemaObjectRow> out;
    for (const auto& sql :
         {schemas_sql(), tables_sql(), columns_sql(), constraints_sql(), indexes_sql(),
          sequences_sql(), views_sql(), functions_sql(), triggers_sql(), types_sql(),
          extensions_sql(), policies_sql(), grants_sql()}) {
        read_rows(conn, sql, excluded, out);
    }
    return out;
}

} // namespace migsafe::platform::catalog
