// The opt-in schema-design lints (MS-DES): column types, identifier length, wide indexes.
#include "plan/effects.hpp"
#include "plan/sql_text.hpp"

#include <fmt/format.h>

namespace migsafe::plan::detail {
namespace {

constexpr std::size_t k_max_identifier = 63;

// The parser has already truncated long names, so read them from the SQL text.
void check_identifiers(const model::Statement& statement, Effects& effects)
{
    for (const auto& word : words_of(statement.sql)) {
        if (word.identifier.size() > k_max_identifier) {
            effects.find("MS-DES-05",
                         fmt::format("identifier {} is {} bytes: PostgreSQL truncates it to 63",
                                     word.identifier, word.identifier.size()),
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

} // namespace

void plan_design(const model::Statement& statement, Context&, Effects& effects)
{
    check_identifiers(statement, effects);
    if (const auto* create = statement.get_if<model::CreateTable>()) {
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
