// The manifest's JSON form. Its self-hash is the XXH3-128 of the document without the
// `manifest_hash` key, dumped on one line with sorted keys (nlohmann's default), so the
// check does not depend on the file's whitespace.
#include "platform/json_depth.hpp"

#include <migsafe/platform/error.hpp>
#include <migsafe/snapshot/manifest.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace migsafe::snapshot {
namespace {

using json = nlohmann::json;

/// A manifest nests five levels; anything far deeper is damage (and would overflow the
/// stack of the recursive dump that computes the self-hash).
constexpr std::size_t k_max_depth = 64;

std::string self_hash(json document)
{
    document.erase("manifest_hash");
    return xxh3_128(document.dump(-1, ' ', false, json::error_handler_t::replace)).to_hex();
}

Hash128 read_hash(const json& value, const char* what)
{
    auto hash = Hash128::from_hex(value.get<std::string>());
    if (!hash) {
        throw Error("snapshot-corrupt", fmt::format("manifest: {} is not a hash", what));
    }
    return *hash;
}

json file_to_json(const ManifestFile& file)
{
    return {{"name", file.name},
            {"stored_name", file.stored_name},
            {"size", file.size},
            {"stored_size", file.stored_size},
            {"compression", file.compression},
            {"xxh3_128", file.content_hash.to_hex()},
            {"stored_xxh3_128", file.stored_hash.to_hex()}};
}

ManifestFile file_from_json(const json& j)
{
    return {.name = j.at("name").get<std::string>(),
            .stored_name = j.at("stored_name").get<std::string>(),
            .size = j.at("size").get<std::uint64_t>(),
            .stored_size = j.at("stored_size").get<std::uint64_t>(),
            .compression = j.at("compression").get<std::string>(),
            .content_hash = read_hash(j.at("xxh3_128"), "xxh3_128"),
            .stored_hash = read_hash(j.at("stored_xxh3_128"), "stored_xxh3_128")};
}

json physical_to_json(const PhysicalInfo& p)
{
    return {{"label", p.label},
            {"backup_type", p.backup_type},
            {"prior", p.prior},
            {"stanza", p.stanza},
            {"config_file", p.config_file},
            {"timeline", p.timeline},
            {"start_lsn", p.start_lsn},
            {"stop_lsn", p.stop_lsn},
            {"wal_start", p.wal_start},
            {"wal_stop", p.wal_stop},
            {"start_time", p.start_time},
            {"stop_time", p.stop_time},
            {"size", p.size},
            {"stored_size", p.stored_size},
            {"report_lsn", p.report_lsn},
            {"report_xmin", p.report_xmin},
            {"catalog", p.catalog.empty() ? json(nullptr) : json::parse(p.catalog)},
            {"catalog_hash", p.catalog_hash}};
}

PhysicalInfo physical_from_json(const json& j)
{
    return {.label = j.at("label").get<std::string>(),
            .backup_type = j.at("backup_type").get<std::string>(),
            .prior = j.at("prior").get<std::string>(),
            .stanza = j.at("stanza").get<std::string>(),
            .config_file = j.at("config_file").get<std::string>(),
            .timeline = j.at("timeline").get<int>(),
            .start_lsn = j.at("start_lsn").get<std::string>(),
            .stop_lsn = j.at("stop_lsn").get<std::string>(),
            .wal_start = j.at("wal_start").get<std::string>(),
            .wal_stop = j.at("wal_stop").get<std::string>(),
            .start_time = j.at("start_time").get<std::string>(),
            .stop_time = j.at("stop_time").get<std::string>(),
            .size = j.at("size").get<std::uint64_t>(),
            .stored_size = j.at("stored_size").get<std::uint64_t>(),
            .report_lsn = j.at("report_lsn").get<std::string>(),
            .report_xmin = j.at("report_xmin").get<std::uint64_t>(),
            .catalog = j.at("catalog").is_null() ? std::string() : j.at("catalog").dump(),
            .catalog_hash = j.at("catalog_hash").get<std::string>()};
}

} // namespace

std::uint64_t Manifest::total_size() const
{
    if (physical) {
        return physical->size;
    }
    std::uint64_t total = 0;
    for (const auto& file : files) {
        total += file.size;
    }
    return total;
}

std::uint64_t Manifest::total_stored_size() const
{
    if (physical) {
        return physical->stored_size;
    }
    std::uint64_t total = 0;
    for (const auto& file : files) {
        total += file.stored_size;
    }
    return total;
}

std::string Manifest::to_json() const
{
    json files_json = json::array();
    for (const auto& file : files) {
        files_json.push_back(file_to_json(file));
    }
    json document = {
        {"schema_version", schema_version},
        {"id", id},
        {"created_at", created_at},
        {"source",
         {{"database", source.database},
          {"server_version", source.server_version},
          {"system_identifier", source.system_identifier},
          {"conninfo", source.conninfo}}},
        {"pg_dump", {{"version", pg_dump_version}, {"args", pg_dump_args}, {"format", format}}},
        {"files", files_json},
        {"integrity", json::parse(integrity.to_json(-1))},
        {"timings_ms", {{"dump", dump_ms}, {"scan", scan_ms}}},
    };
    if (schema_version >= 2) {
        document["engine"] = {{"name", engine}, {"version", engine_version}};
        document["physical"] = physical ? physical_to_json(*physical) : json(nullptr);
        document["has_integrity"] = has_integrity;
    }
    document["manifest_hash"] = self_hash(document);
    // Text from the server (a database name in SQL_ASCII) may be invalid UTF-8: written as
    // U+FFFD, which reads back to the same document, so the self-hash still holds.
    return document.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

Manifest Manifest::from_json(std::string_view text)
{
    if (platform::json_nesting_depth(text) > k_max_depth) {
        throw Error("snapshot-corrupt",
                    fmt::format("manifest nests deeper than {} levels", k_max_depth));
    }
    json document;
    try {
        document = json::parse(text);
    } catch (const json::exception& e) {
        throw Error("snapshot-corrupt", fmt::format("manifest is not valid JSON: {}", e.what()));
    }
    try {
        int version = document.at("schema_version").get<int>();
        if (version > k_schema_version) {
            throw Error("snapshot-schema-newer",
                        fmt::format("manifest schema_version {} is newer than this migsafe's {}",
                                    version, k_schema_version));
        }
        auto stored = document.at("manifest_hash").get<std::string>();
        auto actual = self_hash(document);
        if (stored != actual) {
            throw Error("snapshot-corrupt",
                        fmt::format("manifest hash {}, expected {}", actual, stored));
        }
        Manifest m;
        m.schema_version = version;
        m.id = document.at("id").get<std::string>();
        m.created_at = document.at("created_at").get<std::string>();
        const auto& source = document.at("source");
        m.source = {.database = source.at("database").get<std::string>(),
                    .server_version = source.at("server_version").get<std::string>(),
                    .system_identifier = source.at("system_identifier").get<std::string>(),
                    .conninfo = source.at("conninfo").get<std::string>()};
        const auto& dump = document.at("pg_dump");
        m.pg_dump_version = dump.at("version").get<std::string>();
        m.pg_dump_args = dump.at("args").get<std::vector<std::string>>();
        m.format = dump.at("format").get<std::string>();
        for (const auto& file : document.at("files")) {
            m.files.push_back(file_from_json(file));
        }
        m.integrity = integrity::IntegrityReport::from_json(document.at("integrity").dump());
        m.dump_ms = document.at("timings_ms").at("dump").get<std::int64_t>();
        m.scan_ms = document.at("timings_ms").at("scan").get<std::int64_t>();
        if (version >= 2) {
            m.engine = document.at("engine").at("name").get<std::string>();
            m.engine_version = document.at("engine").at("version").get<std::string>();
            if (!document.at("physical").is_null()) {
                m.physical = physical_from_json(document.at("physical"));
            }
            m.has_integrity = document.at("has_integrity").get<bool>();
        }
        return m;
    } catch (const json::exception& e) {
        throw Error("snapshot-corrupt", fmt::format("manifest: {}", e.what()));
    } catch (const Error& e) {
        if (e.code() == "input-invalid-report") {
            throw Error("snapshot-corrupt", "manifest: " + e.message());
        }
        throw;
    }
}

} // namespace migsafe::snapshot
