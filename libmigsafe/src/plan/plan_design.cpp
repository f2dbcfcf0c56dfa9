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

// MS-DES-06: the first relation named after TABLE (or ON, for an index) has no schema.
void check_qualified(const model::Statement& statement, Effects& effects)
{
    const auto words = words_of(statement.sql);
    const bool index = statement.kind == model::StatementKind::create_index;
    std::size_t at = find_word(words, index ? "ON" : "TABLE") + 1;
    while (at < words.size() && (words[at].text == "IF" || words[at].text == "NOT" ||
                                 words[at].text == "EXISTS" || words[at].text == "ONLY")) {
        ++at;
    }
    if (at < words.size() && (at + 1 >= words.size() || words[at + 1].text != ".")) {
        effects.find("MS-DES-06",
                     fmt::format("{} is not schema-qualified: it resolves through search_path",
                                 words[at].identifier),
                     fmt::format("-- write public.{} (or its schema)", words[at].identifier));
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
    if (statement.get_if<model::CreateTable>() != nullptr ||
        statement.get_if<model::AlterTable>() != nullptr ||
        statement.get_if<model::CreateIndex>() != nullptr) {
        check_qualified(statement, effects);
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
