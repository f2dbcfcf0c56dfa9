#include "apply_kill.hpp"

#include "cli_runner.hpp"

#include <fstream>
#include <sstream>
#include <thread>

namespace migsafe::test {

int spawn_cli_logged(const std::vector<std::string>& args, const std::filesystem::path& out,
                     const std::filesystem::path& err)
{
    return spawn_cli_to(args, out, err, {{"NO_COLOR", "1"}});
}

std::string file_text(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

bool wait_for_apply_statement(const TestDatabase& db, const std::string& fragment, Doing doing,
                              std::chrono::milliseconds timeout)
{
    auto session = db.connect();
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        auto found = session.query_value(
            "SELECT count(*) FROM pg_catalog.pg_stat_activity WHERE application_name = "
            "'migsafe apply' AND state = 'active' AND position($1 in query) > 0 AND "
            "($2::bool IS FALSE OR wait_event_type = 'Lock')",
            {fragment, doing == Doing::waiting_lock ? "true" : "false"});
        if (found.value_or("0") != "0") {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

void wait_for_apply_backends_gone(const TestDatabase& db)
{
    auto session = db.connect();
    for (int i = 0; i < 200; ++i) {
        if (session
                .query_value("SELECT count(*) FROM pg_catalog.pg_stat_activity WHERE "
                             "application_name LIKE 'migsafe apply%' AND datname = "
                             "pg_catalog.current_database()")
                .value_or("1") == "0") {
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

std::string catalog_fingerprint(const TestDatabase& db)
{
    auto session = db.connect();
    auto text = session.query_value(R"(
SELECT coalesce(string_agg(line, E'\n' ORDER BY line), '') FROM (
  SELECT 'column ' || c.relname || '.' || a.attname || ' ' ||
         pg_catalog.format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull
         THEN ' not null' ELSE '' END || coalesce(' default ' ||
         pg_catalog.pg_get_expr(d.adbin, d.adrelid), '') AS line
    FROM pg_catalog.pg_attribute a
    JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped
         AND c.relkind IN ('r', 'p', 'v', 'm')
  UNION ALL
  SELECT 'index ' || pg_catalog.pg_get_indexdef(i.indexrelid) || ' valid=' ||
         i.indisvalid::text || ' ready=' || i.indisready::text
    FROM pg_catalog.pg_index i
    JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'public'
  UNION ALL
  SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' ||
         pg_catalog.pg_get_constraintdef(oid) || ' validated=' || convalidated::text
    FROM pg_catalog.pg_constraint
   WHERE connamespace = 'public'::regnamespace AND conrelid <> 0
  UNION ALL
  SELECT 'view ' || viewname || ' ' || definition FROM pg_catalog.pg_views
   WHERE schemaname = 'public'
  UNION ALL
  SELECT 'relation ' || c.relname || ' kind=' || c.relkind::text
    FROM pg_catalog.pg_class c
   WHERE c.relnamespace = 'public'::regnamespace
  UNION ALL
  SELECT 'type ' || t.typname || ' ' || coalesce((SELECT string_agg(e.enumlabel, ','
         ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid), '')
    FROM pg_catalog.pg_type t
   WHERE t.typnamespace = 'public'::regnamespace AND t.typtype = 'e'
  UNION ALL
  SELECT 'function ' || p.oid::regprocedure::text || ' ' || md5(p.prosrc)
    FROM pg_catalog.pg_proc p WHERE p.pronamespace = 'public'::regnamespace
) lines)");
    return text.value_or("");
}

std::string history_fingerprint(const TestDatabase& db)
{
    auto session = db.connect();
    auto text = session.query_value(
        "SELECT coalesce(string_agg(version::text || ' ' || status || ' ' || statements_applied "
        "|| '/' || statements_total || ' ' || checksum || ' ' || phase || ' transactional=' || "
        "transactional::text || ' finished=' || (finished_at IS NOT NULL)::text || ' error=' || "
        "(error IS NOT NULL)::text, E'\\n' ORDER BY version), '') FROM migsafe.history");
    return text.value_or("");
}

SnapshotHolder::SnapshotHolder(const TestDatabase& db)
    : m_session(db.connect())
{
    m_session.exec("BEGIN ISOLATION LEVEL REPEATABLE READ");
    m_session.query_value("SELECT count(*) FROM pg_catalog.pg_class");
}

SnapshotHolder::~SnapshotHolder()
{
    try {
        release();
    } catch (...) {
        // the session may be gone with its server; nothing to end then
    }
}

void SnapshotHolder::release()
{
    if (m_open) {
        m_open = false;
        m_session.exec("COMMIT");
    }
}

} // namespace migsafe::test
