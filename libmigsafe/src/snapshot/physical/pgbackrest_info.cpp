// Reading `pgbackrest info --output=json`. System ids are above 2^53 (a double would round
// 7716319869419626328 to ...6000): nlohmann keeps an unsigned integer literal as uint64_t,
// and it is written back with std::to_string, never through a double.
#include "snapshot/physical/pgbackrest.hpp"

#include <migsafe/platform/error.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>

namespace migsafe::snapshot::detail::pgbackrest {
namespace {

using nlohmann::json;

/// pgBackRest's stanza status codes that mean the stanza has no repository data at all.
constexpr int k_missing_stanza_path = 1;
constexpr int k_missing_stanza_data = 3;

[[noreturn]] void malformed(std::string_view stanza, const std::string& what)
{
    throw Error("process-failed",
                fmt::format("pgbackrest info --output=json for stanza {}: {}", stanza, what), {},
                "run `pgbackrest info --output=json` for the stanza by hand and read its output");
}

/// `object[key]` when it is a string; empty when absent or null.
std::string string_at(const json& object, const char* key, std::string_view stanza)
{
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
        return {};
    }
    if (!it->is_string()) {
        malformed(stanza, fmt::format("field {} is not a string: {}", key, it->dump()));
    }
    return it->get<std::string>();
}

/// `object[key]` when it is a non-negative integer; 0 when absent or null.
std::uint64_t unsigned_at(const json& object, const char* key, std::string_view stanza)
{
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
        return 0;
    }
    if (it->is_number_unsigned()) {
        return it->get<std::uint64_t>();
    }
    if (it->is_number_integer() && it->get<std::int64_t>() >= 0) {
        return static_cast<std::uint64_t>(it->get<std::int64_t>());
    }
    // A float here is a number beyond uint64_t (or a fraction): reading it would lose digits.
    malformed(stanza, fmt::format("field {} is not a non-negative integer: {}", key, it->dump()));
}

const json& object_at(const json& object, const char* key)
{
    static const json k_empty = json::object();
    auto it = object.find(key);
    return it != object.end() && it->is_object() ? *it : k_empty;
}

const json& array_at(const json& object, const char* key)
{
    static const json k_empty = json::array();
    auto it = object.find(key);
    return it != object.end() && it->is_array() ? *it : k_empty;
}

/// One entry of the stanza's `db` history: its id, system id and PostgreSQL version.
struct Database {
    std::uint64_t id = 0;
    std::string system_id{};
    std::string version{};
};

Backup parse_backup(const json& item, const std::vector<Database>& databases,
                    std::string_view stanza)
{
    if (!item.is_object()) {
        malformed(stanza, "a backup is not an object");
    }
    Backup backup{.label = string_at(item, "label", stanza),
                  .type = string_at(item, "type", stanza),
                  .prior = string_at(item, "prior", stanza)};
    if (backup.label.empty()) {
        malformed(stanza, "a backup has no label");
    }
    for (const auto& label : array_at(item, "reference")) {
        if (label.is_string()) {
            backup.reference.push_back(label.get<std::string>());
        }
    }
    const auto& lsn = object_at(item, "lsn");
    backup.lsn_start = string_at(lsn, "start", stanza);
    backup.lsn_stop = string_at(lsn, "stop", stanza);
    const auto& archive = object_at(item, "archive");
    backup.wal_start = string_at(archive, "start", stanza);
    backup.wal_stop = string_at(archive, "stop", stanza);
    const auto& timestamp = object_at(item, "timestamp");
    constexpr auto k_max_time =
        static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    backup.time_start =
        static_cast<std::int64_t>(std::min(unsigned_at(timestamp, "start", stanza), k_max_time));
    backup.time_stop =
        static_cast<std::int64_t>(std::min(unsigned_at(timestamp, "stop", stanza), k_max_time));
    const auto& info = object_at(item, "info");
    backup.size = unsigned_at(info, "size", stanza);
    backup.repo_size = unsigned_at(object_at(info, "repository"), "size", stanza);
    backup.backrest_version = string_at(object_at(item, "backrest"), "version", stanza);
    if (auto error = item.find("error"); error != item.end() && error->is_boolean()) {
        backup.error = error->get<bool>();
    }
    const auto db_id = unsigned_at(object_at(item, "database"), "id", stanza);
    for (const auto& database : databases) {
        if (database.id == db_id) {
            backup.system_id = database.system_id;
            backup.pg_version = database.version;
        }
    }
    return backup;
}

Stanza parse_stanza(const json& item, std::string_view stanza)
{
    Stanza result{.name = std::string(stanza)};
    const auto& status = object_at(item, "status");
    result.status_code = static_cast<int>(std::min<std::uint64_t>(
        unsigned_at(status, "code", stanza), std::numeric_limits<int>::max()));
    result.status_message = string_at(status, "message", stanza);
    if (result.status_code == k_missing_stanza_path ||
        result.status_code == k_missing_stanza_data) {
        throw Error("process-failed",
                    fmt::format("pgbackrest has no stanza {} in its repository: {}", stanza,
                                result.status_message),
                    {.object = std::string(stanza)},
                    "check --stanza and the configuration file, or run `pgbackrest stanza-create` "
                    "for it");
    }
    // The history of databases the stanza has backed up (a stanza-upgrade adds one); the
    // current one has the highest id.
    std::vector<Database> databases;
    std::uint64_t current = 0;
    for (const auto& db : array_at(item, "db")) {
        Database database{.id = unsigned_at(db, "id", stanza),
                          .system_id = std::to_string(unsigned_at(db, "system-id", stanza)),
                          .version = string_at(db, "version", stanza)};
        current = std::max(current, database.id);
        databases.push_back(std::move(database));
    }
    for (const auto& archive : array_at(item, "archive")) {
        if (unsigned_at(object_at(archive, "database"), "id", stanza) == current) {
            result.archive_min = string_at(archive, "min", stanza);
            result.archive_max = string_at(archive, "max", stanza);
        }
    }
    for (const auto& backup : array_at(item, "backup")) {
        result.backups.push_back(parse_backup(backup, databases, stanza));
    }
    return result;
}

} // namespace

Stanza parse_info(std::string_view json_text, std::string_view stanza)
{
    auto document = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded() || !document.is_array()) {
        auto start = json_text.substr(0, 200);
        malformed(stanza, fmt::format("the output is not a JSON array: {}", start));
    }
    std::vector<std::string> names;
    for (const auto& item : document) {
        if (!item.is_object()) {
            malformed(stanza, "a stanza is not an object");
        }
        auto name = string_at(item, "name", stanza);
        if (name == stanza) {
            return parse_stanza(item, stanza);
        }
        names.push_back(std::move(name));
    }
    throw Error("process-failed",
                fmt::format("pgbackrest info lists no stanza {} (it lists: {})", stanza,
                            names.empty() ? std::string("none")
                                          : fmt::format("{}", fmt::join(names, ", "))),
                {.object = std::string(stanza)},
                "check --stanza and the pgBackRest configuration file");
}

} // namespace migsafe::snapshot::detail::pgbackrest
