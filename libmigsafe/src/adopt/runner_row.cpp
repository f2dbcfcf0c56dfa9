// Reading another runner's rows into RunnerRow (the SQL is in the catalog layer).
#include "platform/catalog/runner_history_queries.hpp"
#include "platform/enum_names.hpp"

#include <migsafe/adopt/runner_row.hpp>
#include <migsafe/platform/assert.hpp>

#include <array>
#include <charconv>

namespace migsafe::adopt {
namespace {

namespace catalog = platform::catalog;

std::string text(const platform::Value& value)
{
    return value.value_or("");
}

std::int64_t number(const platform::Value& value)
{
    std::int64_t n = 0;
    if (value) {
        std::from_chars(value->data(), value->data() + value->size(), n);
    }
    return n;
}

/// A boolean column as text (`true`, or `t` from older servers' casts).
bool is_true(const platform::Value& value)
{
    return value == "true" || value == "t";
}

/// Prisma's folder is `<timestamp>_<name>`: the part after the first `_`.
std::string prisma_name(std::string_view folder)
{
    auto underscore = folder.find('_');
    return underscore == std::string_view::npos ? std::string()
                                                : std::string(folder.substr(underscore + 1));
}

RunnerRow prisma_row(catalog::RunnerHistoryRecord& record)
{
    const auto& v =
        record.values; // id, checksum, name, logs, started, finished, rolled back, steps
    RunnerRow row{.tool = Tool::prisma, .version = text(v[2]), .checksum = text(v[1])};
    row.name = prisma_name(row.version);
    row.started_at = text(v[4]);
    row.applied_at = text(v[5]);
    row.logs = text(v[3]);
    if (v[6]) {
        row.state = RowState::rolled_back;
    } else if (!v[5]) {
        row.state = RowState::unfinished;
    }
    return row;
}

RunnerRow flyway_row(catalog::RunnerHistoryRecord& record)
{
    // installed_rank, version, description, type, script, checksum, installed_by,
    // installed_on, execution_time, success
    const auto& v = record.values;
    RunnerRow row{
        .tool = Tool::flyway, .version = text(v[1]), .name = text(v[2]), .checksum = text(v[5])};
    row.rank = number(v[0]);
    row.type = text(v[3]);
    row.script = text(v[4]);
    row.applied_by = text(v[6]);
    row.applied_at = text(v[7]);
    row.execution_time_ms = number(v[8]);
    if (row.type == "SCHEMA" || row.type == "DELETE") {
        row.state = RowState::marker;
    } else if (row.type == "BASELINE") {
        row.state = RowState::baseline;
    } else if (!is_true(v[9])) {
        row.state = RowState::failed;
    }
    return row;
}

} // namespace

constexpr platform::EnumNames<RowState, 7> k_row_state_names{
    {{{RowState::applied, "applied"},
      {RowState::failed, "failed"},
      {RowState::unfinished, "unfinished"},
      {RowState::rolled_back, "rolled-back"},
      {RowState::dirty, "dirty"},
      {RowState::baseline, "baseline"},
      {RowState::marker, "marker"}}}};
static_assert(k_row_state_names.unique());

std::string_view to_string(RowState state) noexcept
{
    return k_row_state_names.name(state);
}

std::vector<RunnerRow> read_rows(platform::Session& session, const HistoryTable& table)
{
    MIGSAFE_ASSERT(table.is_tools);
    std::vector<catalog::RunnerHistoryRecord> records;
    switch (table.tool) {
    case Tool::prisma:
        records = catalog::prisma_history(session, table.schema, table.table);
        break;
    case Tool::flyway:
        records = catalog::flyway_history(session, table.schema, table.table);
        break;
    case Tool::golang_migrate:
        records = catalog::golang_migrate_history(session, table.schema, table.table);
        break;
    case Tool::dbmate:
    case Tool::rails:
        records = catalog::version_history(session, table.schema, table.table);
        break;
    case Tool::diesel:
        records = catalog::diesel_history(session, table.schema, table.table);
        break;
    }
    std::vector<RunnerRow> rows;
    rows.reserve(records.size());
    for (auto& record : records) {
        RunnerRow row;
        switch (table.tool) {
        case Tool::prisma:
            row = prisma_row(record);
            break;
        case Tool::flyway:
            row = flyway_row(record);
            break;
        case Tool::golang_migrate:
            row = {.tool = Tool::golang_migrate, .version = text(record.values[0])};
            if (is_true(record.values[1])) {
                row.state = RowState::dirty;
            }
            break;
        case Tool::dbmate:
        case Tool::rails:
            row = {.tool = table.tool, .version = text(record.values[0])};
            break;
        case Tool::diesel:
            row = {.tool = Tool::diesel, .version = text(record.values[0])};
            row.applied_at = text(record.values[1]);
            break;
        }
        row.row_json = std::move(record.row_json);
        rows.push_back(std::move(row));
    }
    return rows;
}

} // namespace migsafe::adopt
