#include "model/parse_tree.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace migsafe::model::detail {
namespace {

// Built-in functions whose volatility decides whether ADD COLUMN ... DEFAULT rewrites.
constexpr std::array<std::string_view, 11> k_volatile_functions{
    "random",           "clock_timestamp",  "timeofday",         "gen_random_uuid",
    "uuid_generate_v1", "uuid_generate_v4", "nextval",           "txid_current",
    "setseed",          "random_normal",    "uuid_generate_v1mc"};
constexpr std::array<std::string_view, 4> k_stable_functions{
    "now", "transaction_timestamp", "statement_timestamp", "current_setting"};

// pg_catalog names the parser substitutes for the SQL spellings.
constexpr std::array<std::pair<std::string_view, std::string_view>, 10> k_type_names{{
    {"int8", "bigint"},
    {"int4", "integer"},
    {"int2", "smallint"},
    {"float8", "double precision"},
    {"float4", "real"},
    {"bool", "boolean"},
    {"bpchar", "char"},
    {"timestamptz", "timestamptz"},
    {"varchar", "varchar"},
    {"numeric", "numeric"},
}};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& names, std::string_view name)
{
    return std::find(names.begin(), names.end(), name) != names.end();
}

int rank(DefaultKind kind)
{
    switch (kind) {
    case DefaultKind::none:
    case DefaultKind::constant:
        return 0;
    case DefaultKind::stable:
        return 1;
    case DefaultKind::other:
        return 2;
    case DefaultKind::volatile_function:
        return 3;
    }
    return 2;
}

DefaultKind worst(DefaultKind a, DefaultKind b)
{
    return rank(a) >= rank(b) ? a : b;
}

DefaultKind classify_all(const Json& list)
{
    DefaultKind result = DefaultKind::constant;
    if (list.is_array()) {
        for (const auto& item : list) {
            result = worst(result, classify_default(item));
        }
    }
    return result;
}

DefaultKind classify_call(const Json& call)
{
    const auto names = string_values(call.value("funcname", Json::array()));
    const std::string name = names.empty() ? "" : names.back();
    const DefaultKind args = classify_all(call.value("args", Json::array()));
    if (contains(k_volatile_functions, name)) {
        return DefaultKind::volatile_function;
    }
    if (contains(k_stable_functions, name)) {
        return worst(DefaultKind::stable, args);
    }
    return worst(DefaultKind::other, args);
}

std::string typmods_display(const Json& typmods)
{
    std::string out;
    for (const auto& mod : typmods) {
        const auto& value = mod.value("A_Const", Json::object()).value("ival", Json::object());
        out += (out.empty() ? "(" : ",") + std::to_string(value.value("ival", 0));
    }
    return out.empty() ? out : out + ")";
}

} // namespace

std::string text_field(const Json& node, const char* key)
{
    const auto it = node.find(key);
    return it != node.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool flag_field(const Json& node, const char* key)
{
    const auto it = node.find(key);
    return it != node.end() && it->is_boolean() && it->get<bool>();
}

std::string string_value(const Json& node)
{
    const auto it = node.find("String");
    return it != node.end() ? text_field(*it, "sval") : std::string();
}

std::vector<std::string> string_values(const Json& list)
{
    std::vector<std::string> values;
    for (const auto& item : list) {
        values.push_back(string_value(item));
    }
    return values;
}

RelationName relation_of(const Json& range_var)
{
    RelationName name;
    name.name = text_field(range_var, "relname");
    if (auto schema = text_field(range_var, "schemaname"); !schema.empty()) {
        name.schema = std::move(schema);
    }
    return name;
}

RelationName relation_of_names(const Json& names)
{
    auto parts = string_values(names);
    RelationName name;
    if (!parts.empty()) {
        name.name = parts.back();
    }
    if (parts.size() >= 2) {
        name.schema = parts[parts.size() - 2];
    }
    return name;
}

std::string type_display(const Json& type_name)
{
    auto names = string_values(type_name.value("names", Json::array()));
    std::string display;
    if (names.size() == 2 && names.front() == "pg_catalog") {
        display = names.back();
        for (const auto& [internal, sql] : k_type_names) {
            if (display == internal) {
                display = sql;
            }
        }
    } else {
        for (const auto& part : names) {
            display += (display.empty() ? "" : ".") + part;
        }
    }
    display += typmods_display(type_name.value("typmods", Json::array()));
    if (type_name.contains("arrayBounds")) {
        display += "[]";
    }
    return display;
}

DefaultKind classify_default(const Json& expr)
{
    if (!expr.is_object() || expr.empty()) {
        return DefaultKind::other;
    }
    const auto first = expr.begin();
    const std::string& type = first.key();
    const Json& body = first.value();
    if (type == "A_Const") {
        return DefaultKind::constant;
    }
    if (type == "SQLValueFunction") {
        return DefaultKind::stable;
    }
    if (type == "TypeCast") {
        return classify_default(body.value("arg", Json::object()));
    }
    if (type == "FuncCall") {
        return classify_call(body);
    }
    if (type == "A_Expr") {
        return worst(classify_default(body.value("lexpr", Json::object({{"A_Const", {}}}))),
                     classify_default(body.value("rexpr", Json::object({{"A_Const", {}}}))));
    }
    if (type == "A_ArrayExpr") {
        return classify_all(body.value("elements", Json::array()));
    }
    if (type == "CoalesceExpr" || type == "BoolExpr") {
        return classify_all(body.value("args", Json::array()));
    }
    return DefaultKind::other;
}

namespace {

void collect_calls(const Json& node, std::vector<std::string>& names)
{
    if (node.is_object()) {
        for (const auto& [key, value] : node.items()) {
            if (key == "FuncCall" && value.is_object()) {
                std::string name;
                for (const auto& part : string_values(value.value("funcname", Json::array()))) {
                    name += (name.empty() ? "" : ".") + part;
                }
                if (!name.empty()) {
                    names.push_back(name);
                }
            }
            collect_calls(value, names);
        }
    } else if (node.is_array()) {
        for (const auto& item : node) {
            collect_calls(item, names);
        }
    }
}

} // namespace

std::vector<std::string> called_functions(const Json& expr)
{
    std::vector<std::string> names;
    collect_calls(expr, names);
    return names;
}

Constraint constraint_of(const Json& constraint)
{
    static const std::array<std::pair<std::string_view, Constraint::Kind>, 6> k_kinds{{
        {"CONSTR_PRIMARY", Constraint::Kind::primary_key},
        {"CONSTR_UNIQUE", Constraint::Kind::unique},
        {"CONSTR_FOREIGN", Constraint::Kind::foreign_key},
        {"CONSTR_CHECK", Constraint::Kind::check},
        {"CONSTR_EXCLUSION", Constraint::Kind::exclusion},
        {"CONSTR_NOTNULL", Constraint::Kind::not_null},
    }};
    Constraint result;
    const auto type = text_field(constraint, "contype");
    for (const auto& [name, kind] : k_kinds) {
        if (type == name) {
            result.kind = kind;
        }
    }
    result.name = text_field(constraint, "conname");
    result.not_valid = flag_field(constraint, "skip_validation");
    result.using_index = text_field(constraint, "indexname");
    if (constraint.contains("keys")) {
        result.columns = string_values(constraint["keys"]);
    } else if (constraint.contains("fk_attrs")) {
        result.columns = string_values(constraint["fk_attrs"]);
    } else if (constraint.contains("exclusions")) {
        for (const auto& pair : constraint["exclusions"]) {
            const auto& items = pair.value("List", Json::object()).value("items", Json::array());
            if (!items.empty()) {
                result.columns.push_back(
                    text_field(items.front().value("IndexElem", Json::object()), "name"));
            }
        }
    }
    if (constraint.contains("pktable")) {
        result.references = relation_of(constraint["pktable"]);
    }
    if (constraint.contains("pk_attrs")) {
        result.referenced_columns = string_values(constraint["pk_attrs"]);
    }
    // CHECK (column IS NOT NULL): the column, as a NOT NULL would name it.
    const auto& test =
        constraint.value("raw_expr", Json::object()).value("NullTest", Json::object());
    const auto& fields = test.value("arg", Json::object())
                             .value("ColumnRef", Json::object())
                             .value("fields", Json::array());
    if (result.kind == Constraint::Kind::check &&
        text_field(test, "nulltesttype") == "IS_NOT_NULL" && fields.size() == 1) {
        result.not_null_check_column = string_value(fields.front());
    }
    return result;
}

ColumnDefinition column_of(const Json& column_def)
{
    ColumnDefinition column;
    column.name = text_field(column_def, "colname");
    column.type = type_display(column_def.value("typeName", Json::object()));
    for (const auto& node : column_def.value("constraints", Json::array())) {
        const auto& body = node.value("Constraint", Json::object());
        const auto type = text_field(body, "contype");
        if (type == "CONSTR_NOTNULL") {
            column.not_null = true;
        } else if (type == "CONSTR_DEFAULT") {
            column.default_kind = classify_default(body.value("raw_expr", Json::object()));
            column.default_functions = called_functions(body.value("raw_expr", Json::object()));
        } else if (type == "CONSTR_GENERATED") {
            column.generated = true;
        } else if (type == "CONSTR_IDENTITY") {
            column.identity = true;
        } else if (type == "CONSTR_PRIMARY" || type == "CONSTR_UNIQUE" ||
                   type == "CONSTR_FOREIGN" || type == "CONSTR_CHECK") {
            auto constraint = constraint_of(body);
            if (constraint.columns.empty()) {
                constraint.columns.push_back(column.name);
            }
            column.constraints.push_back(std::move(constraint));
        }
    }
    return column;
}

} // namespace migsafe::model::detail
