// Assembles model::CatalogFacts from the catalog rows (platform/catalog).
#include "platform/catalog/catalog_facts_queries.hpp"

#include <migsafe/model/catalog_facts.hpp>
#include <migsafe/platform/session.hpp>

#include <algorithm>
#include <cctype>
#include <regex>

namespace migsafe::model {
namespace {

namespace catalog = platform::catalog;

Volatility to_volatility(char provolatile)
{
    switch (provolatile) {
    case 'i':
        return Volatility::immutable;
    case 's':
        return Volatility::stable;
    default:
        return Volatility::volatile_;
    }
}

// The column of `CHECK ((c IS NOT NULL))` (pg_get_constraintdef's form), else empty.
std::string not_null_check_column(const std::string& definition)
{
    static const std::regex k_form(R"re(^CHECK \(\(("(?:[^"]|"")+"|[^ ()]+) IS NOT NULL\)\)$)re");
    std::smatch match;
    if (!std::regex_match(definition, match, k_form)) {
        return {};
    }
    std::string column = match[1].str();
    if (column.size() >= 2 && column.front() == '"') {
        std::string unquoted;
        for (std::size_t i = 1; i + 1 < column.size(); ++i) {
            unquoted += column[i];
            if (column[i] == '"') {
                ++i; // "" stands for one quote
            }
        }
        column = unquoted;
    }
    return column;
}

} // namespace

const ColumnFacts* TableFacts::column(std::string_view column_name) const noexcept
{
    const auto at = std::find_if(columns.begin(), columns.end(),
                                 [&](const ColumnFacts& c) { return c.name == column_name; });
    return at == columns.end() ? nullptr : &*at;
}

const TableFacts* CatalogFacts::table(std::string_view qualified) const noexcept
{
    const auto at = tables.find(std::string(qualified));
    return at == tables.end() ? nullptr : &at->second;
}

std::optional<Volatility> CatalogFacts::volatility(std::string_view name) const
{
    std::string key(name);
    if (key.find('.') == std::string::npos) {
        key = "pg_catalog." + key;
    }
    const auto at = functions.find(key);
    if (at == functions.end()) {
        return std::nullopt;
    }
    return at->second;
}

const TableFacts* CatalogFacts::table_of_index(std::string_view qualified) const noexcept
{
    for (const auto& [name, table] : tables) {
        for (const auto& index : table.indexes) {
            if (index.name == qualified) {
                return &table;
            }
        }
    }
    return nullptr;
}

std::vector<ForeignKeyFacts> CatalogFacts::foreign_keys_of(std::string_view qualified) const
{
    std::vector<ForeignKeyFacts> found;
    for (const auto& key : foreign_keys) {
        if (key.table == qualified || key.referenced == qualified) {
            found.push_back(key);
        }
    }
    return found;
}

namespace {

// Whether `name` appears in `text` as a whole identifier (not inside another word).
bool names_word(const std::string& text, const std::string& name)
{
    auto identifier = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
    };
    for (auto at = text.find(name); at != std::string::npos; at = text.find(name, at + 1)) {
        const auto end = at + name.size();
        if ((at == 0 || !identifier(text[at - 1])) &&
            (end == text.size() || !identifier(text[end]))) {
            return true;
        }
    }
    return false;
}

} // namespace

CatalogFacts load_catalog_facts(std::string_view conninfo)
{
    return load_catalog_facts(platform::ConnInfo::parse(conninfo));
}

CatalogFacts load_catalog_facts(const platform::ConnInfo& conninfo)
{
    auto session = platform::Session::connect(conninfo, {.application_name = "migsafe plan"});
    CatalogFacts facts;
    facts.server_version = session.server_version();
    catalog::begin_read_only(session);
    std::map<std::string, TableFacts*> by_oid;
    for (const auto& row : catalog::user_tables(session)) {
        auto& table = facts.tables[row.qualified];
        table = {.name = row.qualified,
                 .rows = row.reltuples,
                 .pages = row.relpages,
                 .bytes = row.total_bytes,
                 .kind = row.kind,
                 .unlogged = row.unlogged,
                 .tablespace = row.tablespace,
                 .access_method = row.access_method};
        by_oid[row.oid] = &table;
    }
    for (const auto& row : catalog::user_columns(session)) {
        if (auto at = by_oid.find(row.table_oid); at != by_oid.end()) {
            at->second->columns.push_back({.name = row.name,
                                           .type = row.type,
                                           .not_null = row.not_null,
                                           .domain = row.domain,
                                           .domain_base = row.domain_base});
        }
    }
    for (const auto& row : catalog::validated_checks(session)) {
        const auto at = by_oid.find(row.table_oid);
        if (at != by_oid.end()) {
            at->second->validated_checks.push_back(row.name);
            for (auto& column : at->second->columns) {
                column.checked = column.checked || names_word(row.definition, column.name);
            }
        }
        const std::string name = not_null_check_column(row.definition);
        if (at == by_oid.end() || name.empty()) {
            continue;
        }
        for (auto& column : at->second->columns) {
            if (column.name == name) {
                column.validated_not_null_check = true;
            }
        }
    }
    for (const auto& row : catalog::user_indexes(session)) {
        if (auto at = by_oid.find(row.table_oid); at != by_oid.end()) {
            at->second->indexes.push_back({.name = row.qualified,
                                           .columns = row.columns,
                                           .unique = row.unique,
                                           .primary = row.primary,
                                           .valid = row.valid,
                                           .partial = row.partial});
        }
    }
    for (auto& [name, table] : facts.tables) {
        std::sort(table.indexes.begin(), table.indexes.end(),
                  [](const IndexFacts& a, const IndexFacts& b) { return a.name < b.name; });
    }
    for (auto& row : catalog::matview_reads(session)) {
        if (auto at = by_oid.find(row.table_oid); at != by_oid.end()) {
            at->second->reads.push_back(std::move(row.qualified));
        }
    }
    for (auto& row : catalog::table_children(session)) {
        if (auto at = by_oid.find(row.table_oid); at != by_oid.end()) {
            at->second->children.push_back(std::move(row.qualified));
        }
    }
    for (auto& row : catalog::view_dependents(session)) {
        if (auto at = by_oid.find(row.table_oid); at != by_oid.end()) {
            at->second->views.push_back(std::move(row.qualified));
        }
    }
    for (auto& row : catalog::foreign_keys(session)) {
        facts.foreign_keys.push_back({.name = std::move(row.name),
                                      .table = std::move(row.table),
                                      .columns = std::move(row.columns),
                                      .referenced = std::move(row.referenced),
                                      .referenced_columns = std::move(row.referenced_columns),
                                      .validated = row.validated});
    }
    for (const auto& row : catalog::functions(session)) {
        const auto volatility = to_volatility(row.volatility);
        auto [at, inserted] = facts.functions.emplace(row.qualified, volatility);
        if (!inserted && volatility > at->second) {
            at->second = volatility;
        }
    }
    catalog::end_read_only(session);
    return facts;
}

} // namespace migsafe::model
