// SQL of the backfill engine (backfill/backfill.cpp): catalog reads and key probes.
#include "platform/catalog/backfill_queries.hpp"

#include <string>

namespace migsafe::platform::catalog {

std::optional<std::string> table_oid(Session& session, std::string_view schema,
                                     std::string_view name)
{
    return session.query_value(
        "SELECT c.oid::bigint FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')",
        {std::string(schema), std::string(name)});
}

std::vector<BackfillColumn> backfill_columns(Session& session, const std::string& oid)
{
    const auto result = session.query(
        "SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, "
        "EXISTS (SELECT 1 FROM pg_catalog.pg_index i WHERE i.indrelid = a.attrelid "
        "        AND i.indisprimary AND a.attnum = ANY (i.indkey::int2[])), "
        "EXISTS (SELECT 1 FROM pg_catalog.pg_index i WHERE i.indrelid = a.attrelid "
        "        AND i.indisvalid AND i.indkey[0] = a.attnum) "
        "FROM pg_catalog.pg_attribute a "
        "WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
        {oid});
    std::vector<BackfillColumn> columns;
    for (const auto& row : result.rows) {
        columns.push_back({.name = row[0].value_or(""),
                           .type = row[1].value_or(""),
                           .not_null = row[2] == Value("t"),
                           .primary_key = row[3] == Value("t"),
                           .indexed = row[4] == Value("t")});
    }
    return columns;
}

std::vector<std::string> primary_key_columns(Session& session, const std::string& oid)
{
    const auto result = session.query(
        "SELECT a.attname FROM pg_catalog.pg_index i "
        "CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, position) "
        "JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
        "WHERE i.indrelid = $1::oid AND i.indisprimary ORDER BY k.position",
        {oid});
    std::vector<std::string> names;
    for (const auto& row : result.rows) {
        names.push_back(row[0].value_or(""));
    }
    return names;
}

std::optional<std::string> edge_key(Session& session, const std::string& qualified_table,
                                    const std::string& quoted_key, bool descending)
{
    // ORDER BY ... LIMIT 1 rather than max(): uuid (among others) has no max aggregate, and
    // this reads one index entry.
    return session.query_value("SELECT " + quoted_key + " FROM " + qualified_table + " WHERE " +
                               quoted_key + " IS NOT NULL ORDER BY " + quoted_key +
                               (descending ? " DESC" : "") + " LIMIT 1");
}

std::optional<std::string> nth_key(Session& session, const std::string& qualified_table,
                                   const std::string& quoted_key,
                                   const std::optional<std::string>& after,
                                   const std::string& upper, std::int64_t offset)
{
    const std::string select = "SELECT " + quoted_key + " FROM " + qualified_table + " WHERE ";
    const std::string tail = " ORDER BY " + quoted_key + " OFFSET ";
    if (after) {
        return session.query_value(select + quoted_key + " > $1 AND " + quoted_key + " <= $2" +
                                       tail + "$3 LIMIT 1",
                                   {*after, upper, std::to_string(offset)});
    }
    return session.query_value(select + quoted_key + " <= $1" + tail + "$2 LIMIT 1",
                               {upper, std::to_string(offset)});
}

} // namespace migsafe::platform::catalog
