// Reading the tables' JSON description (see catalog_objects.hpp).
#include "compensate/catalog_objects.hpp"

#include <migsafe/platform/error.hpp>
#include <migsafe/platform/identifier.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace migsafe::compensate::detail {
namespace {

template <class T>
const T* find_named(const std::vector<T>& items, std::string_view name)
{
    auto found = std::find_if(items.begin(), items.end(),
                              [name](const T& item) { return item.name == name; });
    return found == items.end() ? nullptr : &*found;
}

std::string text_of(const nlohmann::json& value, const char* key)
{
    const auto found = value.find(key);
    return found != value.end() && found->is_string() ? found->get<std::string>() : std::string();
}

bool flag_of(const nlohmann::json& value, const char* key, bool otherwise)
{
    const auto found = value.find(key);
    return found != value.end() && found->is_boolean() ? found->get<bool>() : otherwise;
}

Table table_of(const nlohmann::json& value)
{
    Table table;
    table.kind = text_of(value, "kind");
    table.definition = text_of(value, "definition");
    for (const auto& column : value.value("columns", nlohmann::json::array())) {
        Column out{.name = text_of(column, "name"),
                   .type = text_of(column, "type"),
                   .not_null = flag_of(column, "not_null", false)};
        if (column.contains("default") && column["default"].is_string()) {
            out.default_expression = column["default"].get<std::string>();
        }
        table.columns.push_back(std::move(out));
    }
    for (const auto& constraint : value.value("constraints", nlohmann::json::array())) {
        table.constraints.push_back({.name = text_of(constraint, "name"),
                                     .type = text_of(constraint, "type"),
                                     .definition = text_of(constraint, "definition"),
                                     .validated = flag_of(constraint, "validated", true)});
    }
    for (const auto& index : value.value("indexes", nlohmann::json::array())) {
        table.indexes.push_back({.name = text_of(index, "name"),
                                 .definition = text_of(index, "definition"),
                                 .valid = flag_of(index, "valid", true)});
    }
    return table;
}

/// The table's key, its display form (platform::qualified_name): from its `schema` and
/// `name` fields, or (objects_before written by older versions) from the JSON key, whose
/// unquoted parts are taken as written.
std::string key_of(const std::string& key, const nlohmann::json& value)
{
    const auto schema = value.find("schema");
    const auto name = value.find("name");
    if (schema != value.end() && schema->is_string() && name != value.end() && name->is_string()) {
        return platform::qualified_name(schema->get<std::string>(), name->get<std::string>());
    }
    const auto pair = platform::split_qualified_name(key);
    return pair ? platform::qualified_name(pair->first, pair->second) : key;
}

} // namespace

const Column* Table::column(std::string_view name) const
{
    return find_named(columns, name);
}

const Constraint* Table::constraint(std::string_view name) const
{
    return find_named(constraints, name);
}

const Index* Table::index(std::string_view name) const
{
    return find_named(indexes, name);
}

std::string Table::primary_key_columns() const
{
    for (const auto& constraint : constraints) {
        // pg_get_constraintdef: `PRIMARY KEY (a, "B")`, possibly followed by INCLUDE (...):
        // the names inside are already quoted by PostgreSQL.
        constexpr std::string_view k_prefix = "PRIMARY KEY (";
        if (constraint.type != "p" || constraint.definition.rfind(k_prefix, 0) != 0) {
            continue;
        }
        auto end = constraint.definition.find(')', k_prefix.size());
        if (end != std::string::npos) {
            return constraint.definition.substr(k_prefix.size(), end - k_prefix.size());
        }
    }
    return {};
}

Objects parse_objects(std::string_view json, std::string_view what)
{
    Objects out;
    if (json.empty()) {
        return out;
    }
    nlohmann::json document;
    try {
        document = nlohmann::json::parse(json);
    } catch (const nlohmann::json::exception& e) {
        throw Error("compensate-objects-malformed",
                    fmt::format("{} is not JSON: {}", what, e.what()),
                    {.object = std::string(what)});
    }
    if (!document.is_object()) {
        throw Error("compensate-objects-malformed",
                    fmt::format("{} is not a JSON object of tables", what),
                    {.object = std::string(what)});
    }
    for (const auto& [name, value] : document.items()) {
        if (!value.is_object()) {
            throw Error("compensate-objects-malformed",
                        fmt::format("{}: the entry of {} is not an object", what, name),
                        {.object = std::string(what)});
        }
        out.emplace(key_of(name, value), table_of(value));
    }
    return out;
}

} // namespace migsafe::compensate::detail
