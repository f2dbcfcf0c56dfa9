// The SQL that describes tables for migsafe.history's objects_before (apply) and for the
// catalog now (compensate).
#include "platform/catalog/object_queries.hpp"

#include "platform/json_writer.hpp"

#include <fmt/format.h>

namespace migsafe::platform::catalog {

std::string relation_list(const std::set<std::string>& relations)
{
    std::string out;
    JsonWriter json(out);
    json.begin_array();
    for (const auto& relation : relations) {
        const auto pair = split_qualified_name(relation);
        json.begin_array();
        json.value(pair ? pair->first : std::string("public"));
        json.value(pair ? pair->second : relation);
        json.end_array();
    }
    json.end_array();
    return out;
}

std::string describe_objects(Session& session, const std::set<std::string>& relations)
{
    if (relations.empty()) {
        return "{}";
    }
    std::string sql = fmt::format(R"(
SELECT coalesce(jsonb_object_agg(
  pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname),
  jsonb_build_object(
  'schema', n.nspname, 'name', c.relname, 'kind', c.relkind::text,
  'columns', (SELECT coalesce(jsonb_agg(jsonb_build_object(
        'name', a.attname, 'type', pg_catalog.format_type(a.atttypid, a.atttypmod),
        'not_null', a.attnotnull, 'default', pg_catalog.pg_get_expr(d.adbin, d.adrelid))
        ORDER BY a.attnum), '[]')
      FROM pg_catalog.pg_attribute a
      LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped),
  'constraints', (SELECT coalesce(jsonb_agg(jsonb_build_object(
        'name', co.conname, 'type', co.contype::text,
        'definition', pg_catalog.pg_get_constraintdef(co.oid), 'validated', co.convalidated)
        ORDER BY co.conname), '[]')
      FROM pg_catalog.pg_constraint co WHERE co.conrelid = c.oid),
  'indexes', (SELECT coalesce(jsonb_agg(jsonb_build_object(
        'name', ic.relname, 'definition', pg_catalog.pg_get_indexdef(i.indexrelid),
        'valid', i.indisvalid) ORDER BY ic.relname), '[]')
      FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
      WHERE i.indrelid = c.oid))
  || CASE WHEN c.relkind IN ('i', 'I')
     THEN jsonb_build_object('definition', pg_catalog.pg_get_indexdef(c.oid))
     ELSE '{{}}'::jsonb END), '{{}}')::text
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE {})",
                                  k_relation_in_list);
    return session.query_value(sql, {relation_list(relations)}).value_or("{}");
}

} // namespace migsafe::platform::catalog
