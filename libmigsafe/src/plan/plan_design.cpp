// The opt-in schema-design lints (MS-DES): column types, identifier length, wide indexes.
#include "model/scan.hpp"
#include "plan/effects.hpp"

#include <fmt/format.h>

namespace migsafe::plan::detail {
namespace {

constexpr std::size_t k_max_identifier = 63;

// The parser has already truncated long names, so read them from the SQL text.
void check_identifiers(const model::Statement& statement, Effects& effects)
{
    for (const auto& name : model::detail::names_as_written(statement.sql)) {
        if (name.size() > k_max_identifier) {
            effects.find("MS-DES-05",
                         fmt::format("identifier {} is {} bytes: PostgreSQL truncates it to 63",
                                     name, name.size()),
                         "-- use a name of at most 63 bytes");
        }
    }
}

void check_column(const std::string& table, const model::ColumnDefinition& column, Effects& effects)
{
    const std::string where = table + "." + column.name;
    const bool key = column.name == "id" || column.name.ends_with("_id");
    if (key && (column.type == "integer" || column.type == "smallint")) {
        effects.find("MS-DES-01", fmt::format("{} is {}: 32-bit keys run out", where, column.type),
                     fmt::format("-- declare {} bigint", column.name));
    }
    if (column.type == "serial" || column.type == "bigserial" || column.type == "smallserial") {
        effects.find("MS-DES-02", fmt::format("{} is {}", where, column.type),
                     fmt::format("-- declare {} bigint GENERATED ALWAYS AS IDENTITY", column.name));
    }
    if (column.type.starts_with("varchar(") || column.type.starts_with("char")) {
        effects.find(
            "MS-DES-03",
            fmt::format("{} is {}: changing the limit later takes a lock", where, column.type),
            fmt::format("-- declare {} text with a CHECK on its length", column.name));
    }
    if (column.type == "timestamp") {
        effects.find("MS-DES-04", where + " is timestamp without time zone",
                     fmt::format("-- declare {} timestamptz", column.name));
    }
}

// MS-DES-06: the table created, altered or indexed has no schema written.
void check_qualified(const model::RelationName& table, bool schema_written, Effects& effects)
{
    if (!schema_written) {
        effects.find(
            "MS-DES-06",
            fmt::format("{} is not schema-qualified: it resolves through search_path", table.name),
            fmt::format("-- write public.{} (or its schema)", table.name));
    }
}

// MS-DES-10: the same column twice in CREATE TABLE.
void check_duplicates(const model::CreateTable& create, Effects& effects)
{
    for (std::size_t i = 0; i < create.columns.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
            if (create.columns[i].name == create.columns[j].name) {
                effects.find("MS-DES-10",
                             fmt::format("column {} appears twice in CREATE TABLE {}: the "
                                         "statement fails",
                                         create.columns[i].name, create.table.qualified()),
                             "-- remove the duplicate column");
            }
        }
    }
}

} // namespace

void plan_design(const model::Statement& statement, Context& /*context*/, Effects& effects)
{
    check_identifiers(statement, effects);
    if (const auto* create = statement.get_if<model::CreateTable>()) {
        check_qualified(create->table, create->schema_written, effects);
    } else if (const auto* alter = statement.get_if<model::AlterTable>()) {
        check_qualified(alter->table, alter->schema_written, effects);
    } else if (const auto* index = statement.get_if<model::CreateIndex>()) {
        check_qualified(index->table, index->schema_written, effects);
    }
    if (const auto* create = statement.get_if<model::CreateTable>()) {
        check_duplicates(*create, effects);
        for (const auto& column : create->columns) {
            check_column(create->table.qualified(), column, effects);
        }
    } else if (const auto* alter = statement.get_if<model::AlterTable>()) {
        for (const auto& action : alter->actions) {
            if (action.column_definition) {
                check_column(alter->table.qualified(), *action.column_definition, effects);
            }
        }
    } else if (const auto* index = statement.get_if<model::CreateIndex>()) {
        if (!index->unique && index->columns.size() > 3) {
            effects.find("MS-DES-07",
                         fmt::format("index {} on {} has {} columns", index->name,
                                     index->table.qualified(), index->columns.size()),
                         "-- index fewer columns, or move the rest to INCLUDE (...)");
        }
    }
}

} // namespace migsafe::plan::detail
