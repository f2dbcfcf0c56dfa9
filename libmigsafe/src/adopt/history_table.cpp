// Locating a runner's history table and telling runners apart by its columns.
#include "platform/catalog/runner_history_queries.hpp"

#include <migsafe/adopt/history_table.hpp>
#include <migsafe/platform/identifier.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace migsafe::adopt {
namespace {

namespace catalog = platform::catalog;

struct Column {
    std::string name, type;
};

std::vector<Column> split_columns(const std::vector<std::string>& columns)
{
    std::vector<Column> out;
    for (const auto& text : columns) {
        auto space = text.find(' ');
        out.push_back({text.substr(0, space),
                       space == std::string::npos ? std::string() : text.substr(space + 1)});
    }
    return out;
}

bool has_all(const std::set<std::string>& names, std::initializer_list<const char*> wanted)
{
    return std::all_of(wanted.begin(), wanted.end(),
                       [&](const char* name) { return names.count(name) != 0; });
}

std::string type_of(const std::vector<Column>& columns, std::string_view name)
{
    for (const auto& column : columns) {
        if (column.name == name) {
            return column.type;
        }
    }
    return {};
}

bool is_text_type(std::string_view type)
{
    return type.starts_with("character varying") || type == "text" ||
           type.starts_with("character(");
}

bool is_integer_type(std::string_view type)
{
    return type == "bigint" || type == "integer" || type == "smallint" || type == "numeric";
}

/// The (schema, table) places to look at, in order, without duplicates.
std::vector<std::pair<std::string, std::string>> places(platform::Session& session, Tool tool,
                                                        const LocateOptions& options)
{
    const std::string table =
        options.table.empty() ? std::string(default_history_table(tool)) : options.table;
    std::vector<std::pair<std::string, std::string>> out;
    if (!options.schema.empty()) {
        out.emplace_back(options.schema, table);
        return out;
    }
    if (auto current = catalog::current_schema_name(session); !current.empty()) {
        out.emplace_back(current, table);
    }
    if (out.empty() || out.front().first != "public") {
        out.emplace_back("public", table);
    }
    return out;
}

} // namespace

std::string HistoryTable::qualified() const
{
    return platform::qualified_name(schema, table);
}

std::optional<Tool> tool_of_columns(const std::vector<std::string>& columns,
                                    bool has_ar_internal_metadata)
{
    const auto split = split_columns(columns);
    std::set<std::string> names;
    for (const auto& column : split) {
        names.insert(column.name);
    }
    if (has_all(names, {"id", "checksum", "finished_at", "migration_name", "logs", "rolled_back_at",
                        "started_at", "applied_steps_count"})) {
        return Tool::prisma;
    }
    if (has_all(names, {"installed_rank", "version", "description", "type", "script", "checksum",
                        "installed_by", "installed_on", "execution_time", "success"})) {
        return Tool::flyway;
    }
    if (names == std::set<std::string>{"version", "dirty"} &&
        is_integer_type(type_of(split, "version")) && type_of(split, "dirty") == "boolean") {
        return Tool::golang_migrate;
    }
    if (names == std::set<std::string>{"version", "run_on"} &&
        is_text_type(type_of(split, "version"))) {
        return Tool::diesel;
    }
    if (names == std::set<std::string>{"version"} && is_text_type(type_of(split, "version"))) {
        return has_ar_internal_metadata ? Tool::rails : Tool::dbmate;
    }
    return std::nullopt;
}

std::vector<std::string> history_places(platform::Session& session, Tool tool,
                                        const LocateOptions& options)
{
    std::vector<std::string> out;
    for (const auto& [schema, table] : places(session, tool, options)) {
        out.push_back(platform::qualified_name(schema, table));
    }
    return out;
}

std::optional<HistoryTable> locate_history(platform::Session& session, Tool tool,
                                           const LocateOptions& options)
{
    for (const auto& [schema, table] : places(session, tool, options)) {
        auto columns = catalog::table_columns(session, schema, table);
        if (!columns) {
            continue;
        }
        HistoryTable found{.tool = tool, .schema = schema, .table = table};
        for (const auto& column : *columns) {
            found.columns.push_back(column.name + " " + column.type);
        }
        auto owner = tool_of_columns(found.columns, false);
        if (owner == Tool::dbmate && // the same columns as Rails': ar_internal_metadata decides
            catalog::table_columns(session, schema, "ar_internal_metadata").has_value()) {
            owner = Tool::rails;
        }
        found.is_tools = owner == tool;
        if (!found.is_tools) {
            std::string owner_note;
            if (owner == Tool::dbmate && tool == Tool::rails) {
                owner_note = " (dbmate's: there is no ar_internal_metadata beside it)";
            } else if (owner) {
                owner_note = fmt::format(" ({}'s)", to_string(*owner));
            }
            found.mismatch = fmt::format(
                "{} is not {}'s: its columns are {}{}", found.qualified(), to_string(tool),
                found.columns.empty() ? std::string("none")
                                      : fmt::format("{}", fmt::join(found.columns, ", ")),
                owner_note);
        }
        return found;
    }
    return std::nullopt;
}

std::vector<HistoryTable> detect_histories(platform::Session& session, const LocateOptions& options)
{
    std::vector<HistoryTable> found;
    for (auto tool : all_tools()) {
        if (auto table = locate_history(session, tool, options); table && table->is_tools) {
            found.push_back(std::move(*table));
        }
    }
    return found;
}

} // namespace migsafe::adopt
