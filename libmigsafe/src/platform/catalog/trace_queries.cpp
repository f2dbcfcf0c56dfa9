// SQL of the trace engine: relation snapshots, own locks, scan counters, transactions.
#include "platform/catalog/trace_queries.hpp"

#include "platform/catalog/user_schemas.hpp"
#include "platform/transaction_control.hpp"

#include <fmt/format.h>

#include <string>

namespace migsafe::platform::catalog {
namespace {

std::int64_t to_int(const Value& value)
{
    return value ? std::stoll(*value) : 0;
}

} // namespace

std::vector<RelationRow> user_relations(Session& session)
{
    const auto result = session.query(fmt::format(
        "SELECT c.oid::bigint, n.nspname, c.relname, c.relkind::text, c.relfilenode::bigint "
        "FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE {} AND c.relpersistence <> 't'",
        k_user_schemas_predicate));
    std::vector<RelationRow> rows;
    rows.reserve(result.rows.size());
    for (const auto& row : result.rows) {
        rows.push_back({.oid = to_int(row[0]),
                        .qualified = qualified_name(row[1].value_or(""), row[2].value_or("")),
                        .kind = row[3] && !row[3]->empty() ? row[3]->front() : 'r',
                        .filenode = to_int(row[4])});
    }
    return rows;
}

std::vector<LockRow> own_relation_locks(Session& session)
{
    const auto result = session.query(
        "SELECT l.relation::bigint, l.mode FROM pg_catalog.pg_locks l "
        "WHERE l.pid = pg_catalog.pg_backend_pid() AND l.locktype = 'relation' AND l.granted "
        "AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d "
        "WHERE d.datname = pg_catalog.current_database())");
    std::vector<LockRow> rows;
    rows.reserve(result.rows.size());
    for (const auto& row : result.rows) {
        rows.push_back({.relation = to_int(row[0]), .mode = row[1].value_or("")});
    }
    return rows;
}

std::vector<ScanCounter> transaction_seq_scans(Session& session)
{
    const auto result = session.query(
        "SELECT s.relid::bigint, s.seq_scan FROM pg_catalog.pg_stat_xact_user_tables s");
    std::vector<ScanCounter> rows;
    rows.reserve(result.rows.size());
    for (const auto& row : result.rows) {
        rows.push_back({.relation = to_int(row[0]), .seq_scans = to_int(row[1])});
    }
    return rows;
}

bool relation_is_empty(Session& session, std::int64_t oid)
{
    return session.query_value("SELECT pg_catalog.pg_relation_size($1::oid) = 0",
                               {std::to_string(oid)}) == Value("t");
}

std::vector<InheritanceRow> inheritance_links(Session& session)
{
    const auto result = session.query(
        "SELECT cn.nspname, c.relname, pn.nspname, p.relname FROM pg_catalog.pg_inherits i "
        "JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid "
        "JOIN pg_catalog.pg_namespace cn ON cn.oid = c.relnamespace "
        "JOIN pg_catalog.pg_class p ON p.oid = i.inhparent "
        "JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace "
        "WHERE c.relkind IN ('r', 'p', 'f') ORDER BY 1, 2, 3, 4");
    std::vector<InheritanceRow> rows;
    rows.reserve(result.rows.size());
    for (const auto& row : result.rows) {
        rows.push_back({.child = qualified_name(row[0].value_or(""), row[1].value_or("")),
                        .parent = qualified_name(row[2].value_or(""), row[3].value_or(""))});
    }
    return rows;
}

std::vector<std::string> empty_relations(Session& session)
{
    // Rows, not file size: a rolled-back INSERT leaves pages behind. query_to_xml runs
    // `SELECT 1 ... LIMIT 1` on each relation (a partitioned table reads its partitions).
    const auto result = session.query(fmt::format(
        "SELECT n.nspname, c.relname FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE {} AND c.relpersistence <> 't' "
        "AND CASE WHEN c.relkind IN ('r', 'm', 'p') AND c.relispopulated "
        "THEN pg_catalog.query_to_xml(pg_catalog.format('SELECT 1 AS x FROM %s LIMIT 1', "
        "c.oid::regclass), false, true, '')::text = '' ELSE false END ORDER BY 1, 2",
        k_user_schemas_predicate));
    std::vector<std::string> names;
    names.reserve(result.rows.size());
    for (const auto& row : result.rows) {
        names.push_back(qualified_name(row[0].value_or(""), row[1].value_or("")));
    }
    return names;
}

std::string current_setting(Session& session, std::string_view name)
{
    return session.query_value("SELECT pg_catalog.current_setting($1)", {std::string(name)})
        .value_or("");
}

void set_local(Session& session, std::string_view name, std::string_view value)
{
    session.query_value("SELECT pg_catalog.set_config($1, $2, true)",
                        {std::string(name), std::string(value)});
}

void begin(Session& session)
{
    begin_transaction(session);
}

void commit(Session& session)
{
    commit_transaction(session);
}

void rollback(Session& session)
{
    rollback_transaction(session);
}

void savepoint(Session& session, std::string_view name)
{
    session.exec("SAVEPOINT " + quote_ident(name));
}

void release_savepoint(Session& session, std::string_view name)
{
    session.exec("RELEASE SAVEPOINT " + quote_ident(name));
}

void rollback_to_savepoint(Session& session, std::string_view name)
{
    session.exec("ROLLBACK TO SAVEPOINT " + quote_ident(name));
}

void create_database(Session& session, std::string_view name)
{
    session.exec("CREATE DATABASE " + quote_ident(name));
}

void drop_database(Session& session, std::string_view name)
{
    session.exec("DROP DATABASE IF EXISTS " + quote_ident(name));
}

} // namespace migsafe::platform::catalog
