// migsafe.history: its DDL, its reads and its writes (all of the history's SQL).
#include "model/version_format.hpp"
#include "platform/enum_names.hpp"
#include "workflow/history_store.hpp"

#include <migsafe/platform/error.hpp>
#include <migsafe/workflow/history.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>

namespace migsafe::workflow {
namespace {

// The columns, in the order every read and write uses.
constexpr const char* k_columns =
    "version, name, file, checksum, phase, transactional, status, statements_total, "
    "statements_applied, statement_checksums, started_at, finished_at, duration_ms, "
    "applied_by, client_host, client_user, migsafe_version, run_id, attempts, snapshot_id, "
    "integrity_before, integrity_after, objects_before, backfill, error, provenance";

constexpr const char* k_create_table = R"(
CREATE TABLE IF NOT EXISTS migsafe.history (
    version             text PRIMARY KEY,
    name                text NOT NULL,
    file                text NOT NULL,
    checksum            text NOT NULL,
    phase               text NOT NULL,
    transactional       boolean NOT NULL,
    status              text NOT NULL
        CONSTRAINT history_status_check
        CHECK (status IN ('applied', 'failed', 'partial', 'adopted')),
    statements_total    integer NOT NULL,
    statements_applied  integer NOT NULL,
    statement_checksums jsonb NOT NULL DEFAULT '[]',
    started_at          timestamptz NOT NULL,
    finished_at         timestamptz,
    duration_ms         bigint NOT NULL DEFAULT 0,
    applied_by          text NOT NULL DEFAULT current_user,
    client_host         text NOT NULL DEFAULT '',
    client_user         text NOT NULL DEFAULT '',
    migsafe_version     text NOT NULL,
    run_id              text NOT NULL,
    attempts            integer NOT NULL DEFAULT 1,
    snapshot_id         text,
    integrity_before    jsonb,
    integrity_after     jsonb,
    objects_before      jsonb,
    backfill            jsonb,
    error               text,
    provenance          jsonb
))";

// Tables created by earlier migsafe versions are brought up to date in place: the version
// becomes text (Flyway's dotted versions), `adopted` becomes a status, `provenance` a
// column. Each step is a no-op when already done; the table is small, so the rewrite of
// the type change is quick.
constexpr const char* k_upgrade_table = R"(
DO $upgrade$
BEGIN
    IF (SELECT atttypid FROM pg_catalog.pg_attribute
        WHERE attrelid = 'migsafe.history'::regclass AND attname = 'version')
       <> 'text'::regtype THEN
        ALTER TABLE migsafe.history ALTER COLUMN version TYPE text USING version::text;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_attribute
                   WHERE attrelid = 'migsafe.history'::regclass AND attname = 'provenance'
                     AND NOT attisdropped) THEN
        ALTER TABLE migsafe.history ADD COLUMN provenance jsonb;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_constraint
                   WHERE conrelid = 'migsafe.history'::regclass
                     AND conname = 'history_status_check'
                     AND pg_catalog.pg_get_constraintdef(oid) LIKE '%adopted%') THEN
        ALTER TABLE migsafe.history DROP CONSTRAINT IF EXISTS history_status_check;
        ALTER TABLE migsafe.history ADD CONSTRAINT history_status_check
            CHECK (status IN ('applied', 'failed', 'partial', 'adopted'));
    END IF;
END
$upgrade$)";

std::string text_of(const platform::Value& value)
{
    return value.value_or("");
}

template <class Integer>
Integer number_of(const platform::Value& value)
{
    Integer out{};
    if (value) {
        std::from_chars(value->data(), value->data() + value->size(), out);
    }
    return out;
}

platform::Value json_or_null(const std::string& text)
{
    return text.empty() ? platform::Value{} : platform::Value{text};
}

model::Version version_of(const std::string& text)
{
    auto version = model::Version::parse(text);
    if (!version) {
        throw Error("apply-history-invalid",
                    "migsafe.history has a row with the version '" + text +
                        "', which is no migration version",
                    {.object = "migsafe.history"},
                    "delete or correct that row: versions look like 3 or 1.2.10");
    }
    return *version;
}

HistoryEntry entry_of(const std::vector<platform::Value>& row)
{
    HistoryEntry entry;
    entry.version = version_of(text_of(row.at(0)));
    entry.name = text_of(row.at(1));
    entry.file = text_of(row.at(2));
    entry.checksum = text_of(row.at(3));
    entry.phase = text_of(row.at(4));
    entry.transactional = text_of(row.at(5)) == "t";
    auto status = parse_history_status(text_of(row.at(6)));
    if (!status) {
        throw Error("apply-history-invalid",
                    fmt::format("migsafe.history: version {} has an unknown status '{}'",
                                entry.version.text(), text_of(row.at(6))),
                    {.object = "migsafe.history"});
    }
    entry.status = *status;
    entry.statements_total = number_of<int>(row.at(7));
    entry.statements_applied = number_of<int>(row.at(8));
    for (const auto& hash : nlohmann::json::parse(row.at(9).value_or("[]"))) {
        entry.statement_checksums.push_back(hash.get<std::string>());
    }
    entry.started_at = text_of(row.at(10));
    entry.finished_at = text_of(row.at(11));
    entry.duration_ms = number_of<std::int64_t>(row.at(12));
    entry.applied_by = text_of(row.at(13));
    entry.client_host = text_of(row.at(14));
    entry.client_user = text_of(row.at(15));
    entry.migsafe_version = text_of(row.at(16));
    entry.run_id = text_of(row.at(17));
    entry.attempts = number_of<int>(row.at(18));
    entry.snapshot_id = text_of(row.at(19));
    entry.integrity_before = text_of(row.at(20));
    entry.integrity_after = text_of(row.at(21));
    entry.objects_before = text_of(row.at(22));
    entry.backfill = text_of(row.at(23));
    entry.error = text_of(row.at(24));
    entry.provenance = text_of(row.at(25));
    return entry;
}

} // namespace

constexpr platform::EnumNames<HistoryStatus, 4> k_history_status_names{
    {{{HistoryStatus::applied, "applied"},
      {HistoryStatus::failed, "failed"},
      {HistoryStatus::partial, "partial"},
      {HistoryStatus::adopted, "adopted"}}}};
static_assert(k_history_status_names.unique());

std::string_view to_string(HistoryStatus status) noexcept
{
    return k_history_status_names.name(status);
}

std::optional<HistoryStatus> parse_history_status(std::string_view text) noexcept
{
    return k_history_status_names.value(text);
}

std::vector<HistoryEntry> read_history(platform::Session& session)
{
    auto exists =
        session.query_value("SELECT pg_catalog.to_regclass('migsafe.history') IS NOT NULL");
    if (exists.value_or("f") != "t") {
        return {};
    }
    // Timestamps in UTC whatever the session's TimeZone; JSON columns as text; booleans in
    // their output form 't' / 'f' (a ::text cast would give 'true' / 'false').
    auto result = session.query(
        "SELECT version::text, name, file, checksum, phase, transactional, status, "
        "statements_total, statements_applied, statement_checksums::text, "
        "to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
        "to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
        "duration_ms, applied_by, client_host, client_user, migsafe_version, run_id, attempts, "
        "snapshot_id, integrity_before::text, integrity_after::text, objects_before::text, "
        "backfill::text, error, "
        // A table migsafe 0.1 created has no provenance column until apply upgrades it.
        "NULLIF((pg_catalog.to_jsonb(h) -> 'provenance')::text, 'null') FROM migsafe.history h");
    std::vector<HistoryEntry> entries;
    entries.reserve(result.rows.size());
    for (const auto& row : result.rows) {
        entries.push_back(entry_of(row));
    }
    // The text column sorts 10 before 2: order by the versions themselves.
    std::sort(entries.begin(), entries.end(),
              [](const HistoryEntry& a, const HistoryEntry& b) { return a.version < b.version; });
    return entries;
}

namespace detail {

void ensure_history(platform::Session& session)
{
    session.exec("CREATE SCHEMA IF NOT EXISTS migsafe");
    session.exec(k_create_table);
    session.exec(k_upgrade_table);
}

void record(platform::Session& session, const HistoryEntry& entry, bool finished)
{
    nlohmann::json hashes = entry.statement_checksums;
    std::string sql = fmt::format(
        "INSERT INTO migsafe.history ({0}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
        "$10::jsonb, $11::timestamptz, "
        "CASE WHEN $25::boolean THEN COALESCE($26::timestamptz, pg_catalog.clock_timestamp()) END, "
        "$12, COALESCE($27, current_user), $13, $14, $15, $16, $17, $18, "
        "$19::jsonb, $20::jsonb, $21::jsonb, $22::jsonb, $23, $24::jsonb) "
        "ON CONFLICT (version) DO UPDATE SET (name, file, checksum, phase, transactional, "
        "status, statements_total, statements_applied, statement_checksums, started_at, "
        "finished_at, duration_ms, applied_by, client_host, client_user, migsafe_version, "
        "run_id, attempts, snapshot_id, integrity_before, integrity_after, objects_before, "
        "backfill, error, provenance) = (EXCLUDED.name, EXCLUDED.file, EXCLUDED.checksum, "
        "EXCLUDED.phase, "
        "EXCLUDED.transactional, EXCLUDED.status, EXCLUDED.statements_total, "
        "EXCLUDED.statements_applied, EXCLUDED.statement_checksums, EXCLUDED.started_at, "
        "EXCLUDED.finished_at, EXCLUDED.duration_ms, EXCLUDED.applied_by, "
        "EXCLUDED.client_host, EXCLUDED.client_user, EXCLUDED.migsafe_version, "
        "EXCLUDED.run_id, EXCLUDED.attempts, EXCLUDED.snapshot_id, EXCLUDED.integrity_before, "
        "EXCLUDED.integrity_after, EXCLUDED.objects_before, EXCLUDED.backfill, EXCLUDED.error, "
        "EXCLUDED.provenance)",
        k_columns);
    // An adopted row keeps who and when from the other runner's row, where it has them.
    const bool adopted = entry.status == HistoryStatus::adopted;
    session.exec_params(sql,
                        {entry.version.text(),
                         entry.name,
                         entry.file,
                         entry.checksum,
                         entry.phase,
                         entry.transactional ? "true" : "false",
                         std::string(to_string(entry.status)),
                         std::to_string(entry.statements_total),
                         std::to_string(entry.statements_applied),
                         hashes.dump(),
                         entry.started_at,
                         std::to_string(entry.duration_ms),
                         entry.client_host,
                         entry.client_user,
                         entry.migsafe_version,
                         entry.run_id,
                         std::to_string(entry.attempts),
                         entry.snapshot_id.empty() ? platform::Value{} : entry.snapshot_id,
                         json_or_null(entry.integrity_before),
                         json_or_null(entry.integrity_after),
                         json_or_null(entry.objects_before),
                         json_or_null(entry.backfill),
                         entry.error.empty() ? platform::Value{} : entry.error,
                         json_or_null(entry.provenance),
                         finished ? "true" : "false",
                         adopted && !entry.finished_at.empty() ? platform::Value{entry.finished_at}
                                                               : platform::Value{},
                         adopted && !entry.applied_by.empty() ? platform::Value{entry.applied_by}
                                                              : platform::Value{}});
}

void record_progress(platform::Session& session, const model::Version& version,
                     int statements_applied)
{
    session.exec_params("UPDATE migsafe.history SET statements_applied = $2 WHERE version = $1",
                        {version.text(), std::to_string(statements_applied)});
}

void record_checkpoint(platform::Session& session, const model::Version& version,
                       const std::string& checkpoint_json)
{
    session.exec_params("UPDATE migsafe.history SET backfill = $2::jsonb WHERE version = $1",
                        {version.text(), checkpoint_json});
}

void record_status(platform::Session& session, const model::Version& version, HistoryStatus status,
                   const std::string& error)
{
    session.exec_params("UPDATE migsafe.history SET status = $2, error = $3 WHERE version = $1",
                        {version.text(), std::string(to_string(status)),
                         error.empty() ? platform::Value{} : error});
}

void forget(platform::Session& session, const model::Version& version)
{
    session.exec_params("DELETE FROM migsafe.history WHERE version = $1", {version.text()});
}

} // namespace detail
} // namespace migsafe::workflow
