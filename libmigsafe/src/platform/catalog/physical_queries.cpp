// The SQL of the physical engines and their drills.
#include "platform/catalog/physical_queries.hpp"

#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

#include <charconv>

namespace migsafe::platform::catalog {
namespace {

std::uint64_t to_u64(const std::string& text)
{
    std::uint64_t value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
}

/// The page header's first 8 bytes are pd_lsn: two native-endian (little, on the servers
/// migsafe runs beside) 32-bit halves, the high one first. One read per 8 kB page, across
/// the relation's 1 GB segment files (`path`, `path.1`, ...).
constexpr const char* k_max_page_lsn =
    "SELECT pg_catalog.max("
    "  (((pg_catalog.get_byte(h, 3)::int8 << 24) | (pg_catalog.get_byte(h, 2)::int8 << 16)"
    "  | (pg_catalog.get_byte(h, 1)::int8 << 8) | pg_catalog.get_byte(h, 0)::int8) << 32)"
    "  | ((pg_catalog.get_byte(h, 7)::int8 << 24) | (pg_catalog.get_byte(h, 6)::int8 << 16)"
    "  | (pg_catalog.get_byte(h, 5)::int8 << 8) | pg_catalog.get_byte(h, 4)::int8))::text"
    " FROM (SELECT pg_catalog.pg_relation_filepath(c.oid) AS path,"
    "              pg_catalog.pg_relation_size(c.oid) / 8192 AS blocks"
    "         FROM pg_catalog.pg_class c"
    "         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    "        WHERE n.nspname = $1 AND c.relname = $2) rel,"
    "      pg_catalog.generate_series(0, rel.blocks - 1) b,"
    "      LATERAL pg_catalog.pg_read_binary_file("
    "          rel.path || CASE WHEN b >= 131072 THEN '.' || (b / 131072)::text ELSE '' END,"
    "          (b % 131072) * 8192, 8) h";

} // namespace

std::string wal_insert_lsn(Session& conn)
{
    return conn.query_value("SELECT pg_catalog.pg_current_wal_insert_lsn()::text").value_or("");
}

std::uint64_t snapshot_xmin(Session& conn)
{
    return to_u64(conn.query_value("SELECT pg_catalog.txid_snapshot_xmin("
                                   "pg_catalog.txid_current_snapshot())::text")
                      .value_or("0"));
}

RecoveryEnd recovery_end(Session& conn)
{
    auto row = conn.query("SELECT pg_catalog.pg_last_wal_replay_lsn()::text,"
                          " pg_catalog.to_char(pg_catalog.pg_last_xact_replay_timestamp()"
                          "   AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),"
                          " (SELECT timeline_id FROM pg_catalog.pg_control_checkpoint())::text")
                   .rows.at(0);
    return {.replay_lsn = row.at(0).value_or(""),
            .last_commit_at = row.at(1).value_or(""),
            .timeline = static_cast<int>(to_u64(row.at(2).value_or("0")))};
}

void checkpoint(Session& conn)
{
    conn.exec("CHECKPOINT");
}

std::vector<std::optional<std::uint64_t>> max_page_lsns(Session& conn,
                                                        const std::vector<RelationName>& relations)
{
    std::vector<std::optional<std::uint64_t>> out;
    out.reserve(relations.size());
    for (const auto& relation : relations) {
        auto value = conn.query_value(k_max_page_lsn, {relation.schema, relation.name});
        out.push_back(value ? std::optional(to_u64(*value)) : std::nullopt);
    }
    return out;
}

const std::vector<RelationName>& schema_catalogs()
{
    static const std::vector<RelationName> k_catalogs = {
        {"pg_catalog", "pg_class"},     {"pg_catalog", "pg_attribute"},
        {"pg_catalog", "pg_attrdef"},   {"pg_catalog", "pg_constraint"},
        {"pg_catalog", "pg_index"},     {"pg_catalog", "pg_namespace"},
        {"pg_catalog", "pg_type"},      {"pg_catalog", "pg_proc"},
        {"pg_catalog", "pg_trigger"},   {"pg_catalog", "pg_sequence"},
        {"pg_catalog", "pg_rewrite"},   {"pg_catalog", "pg_policy"},
        {"pg_catalog", "pg_extension"}, {"pg_catalog", "pg_enum"},
    };
    return k_catalogs;
}

std::vector<std::optional<std::uint32_t>>
class_row_xmins(Session& conn, const std::vector<RelationName>& relations)
{
    std::vector<std::optional<std::uint32_t>> out;
    out.reserve(relations.size());
    for (const auto& relation : relations) {
        auto value = conn.query_value("SELECT c.xmin::text FROM pg_catalog.pg_class c"
                                      " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                                      " WHERE n.nspname = $1 AND c.relname = $2",
                                      {relation.schema, relation.name});
        out.push_back(value ? std::optional(static_cast<std::uint32_t>(to_u64(*value)))
                            : std::nullopt);
    }
    return out;
}

std::optional<std::uint64_t> parse_lsn(std::string_view text)
{
    auto slash = text.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == text.size()) {
        return std::nullopt;
    }
    std::uint32_t high = 0;
    std::uint32_t low = 0;
    auto a = std::from_chars(text.data(), text.data() + slash, high, 16);
    auto b = std::from_chars(text.data() + slash + 1, text.data() + text.size(), low, 16);
    if (a.ec != std::errc() || a.ptr != text.data() + slash || b.ec != std::errc() ||
        b.ptr != text.data() + text.size()) {
        return std::nullopt;
    }
    return (static_cast<std::uint64_t>(high) << 32) | low;
}

std::string format_lsn(std::uint64_t lsn)
{
    return fmt::format("{:X}/{:X}", lsn >> 32, lsn & 0xffffffffU);
}

} // namespace migsafe::platform::catalog
