// The statements the planner reads besides tables, indexes and data: maintenance (REINDEX,
// CLUSTER, VACUUM, ANALYZE, REFRESH), LOCK, COMMENT, ALTER DOMAIN / TYPE, and objects that
// belong to a table (policies, triggers, ALTER INDEX, a sequence's OWNED BY).
#include "model/transform.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <utility>

namespace migsafe::model::detail {
namespace {

std::vector<std::string> option_names(const Json& options)
{
    std::vector<std::string> names;
    for (const auto& option : options) {
        names.push_back(text_field(option.value("DefElem", Json::object()), "defname"));
    }
    return names;
}

bool has(const std::vector<std::string>& names, std::string_view name)
{
    return std::find(names.begin(), names.end(), name) != names.end();
}

Maintenance reindex(const Json& reindex)
{
    static constexpr std::array<std::pair<std::string_view, Maintenance::Object>, 5> k_objects{{
        {"REINDEX_OBJECT_INDEX", Maintenance::Object::index},
        {"REINDEX_OBJECT_TABLE", Maintenance::Object::table},
        {"REINDEX_OBJECT_SCHEMA", Maintenance::Object::schema},
        {"REINDEX_OBJECT_SYSTEM", Maintenance::Object::system},
        {"REINDEX_OBJECT_DATABASE", Maintenance::Object::database},
    }};
    Maintenance details{.verb = Maintenance::Verb::reindex};
    const auto kind = text_field(reindex, "kind");
    for (const auto& [name, object] : k_objects) {
        if (kind == name) {
            details.object = object;
        }
    }
    if (reindex.contains("relation")) {
        details.relations.push_back(relation_of(reindex["relation"]));
    }
    details.options = option_names(reindex.value("params", Json::array()));
    details.concurrently = has(details.options, "concurrently");
    return details;
}

Maintenance cluster(const Json& cluster)
{
    Maintenance details{.verb = Maintenance::Verb::cluster};
    if (cluster.contains("relation")) {
        details.relations.push_back(relation_of(cluster["relation"]));
    }
    details.options = option_names(cluster.value("params", Json::array()));
    return details;
}

Maintenance vacuum(const Json& vacuum)
{
    Maintenance details{.verb = flag_field(vacuum, "is_vacuumcmd") ? Maintenance::Verb::vacuum
                                                                   : Maintenance::Verb::analyze};
    for (const auto& rel : vacuum.value("rels", Json::array())) {
        details.relations.push_back(relation_of(
            rel.value("VacuumRelation", Json::object()).value("relation", Json::object())));
    }
    details.options = option_names(vacuum.value("options", Json::array()));
    details.full = has(details.options, "full");
    return details;
}

Maintenance refresh(const Json& refresh)
{
    Maintenance details{.verb = Maintenance::Verb::refresh};
    details.relations.push_back(relation_of(refresh.value("relation", Json::object())));
    details.concurrently = flag_field(refresh, "concurrent");
    return details;
}

LockTable lock_table(const Json& lock)
{
    LockTable details;
    for (const auto& relation : lock.value("relations", Json::array())) {
        details.tables.push_back(relation_of(relation.value("RangeVar", Json::object())));
    }
    details.mode = lock.value("mode", 8);
    return details;
}

CommentOn comment_on(const Json& comment)
{
    CommentOn details;
    const auto type = text_field(comment, "objtype");
    details.object_type = lowercase_object_type(type);
    const auto names = string_values(comment.value("object", Json::object())
                                         .value("List", Json::object())
                                         .value("items", Json::array()));
    if (type == "OBJECT_TABLE" && !names.empty()) {
        details.table = relation_of_names(comment["object"]["List"]["items"]);
    } else if (type == "OBJECT_COLUMN" && names.size() >= 2) {
        // [schema,] table, column: the table is the parts before the column.
        details.table = names.size() >= 3
                            ? RelationName{names[names.size() - 3], names[names.size() - 2]}
                            : RelationName{"public", names[names.size() - 2]};
    }
    return details;
}

/// A value as an SQL string literal: `it's` -> `'it''s'`.
std::string literal(std::string_view value)
{
    std::string out = "'";
    for (char c : value) {
        out += c;
        if (c == '\'') {
            out += '\'';
        }
    }
    return out + "'";
}

AlterType alter_enum(const Json& alter)
{
    AlterType details;
    details.name = relation_of_names(alter.value("typeName", Json::array()));
    if (alter.contains("oldVal")) {
        details.action = AlterType::Action::rename_value;
        details.value = text_field(alter, "newVal");
    } else {
        details.action = AlterType::Action::add_value;
        details.value = literal(text_field(alter, "newVal"));
        details.placed = alter.contains("newValNeighbor");
    }
    return details;
}

AlterType alter_domain(const Json& alter)
{
    AlterType details{.domain = true};
    details.name = relation_of_names(alter.value("typeName", Json::array()));
    const auto subtype = text_field(alter, "subtype");
    const auto& constraint = alter.value("def", Json::object()).value("Constraint", Json::object());
    if (subtype == "C" && text_field(constraint, "contype") == "CONSTR_CHECK") {
        details.action = AlterType::Action::add_check;
        details.not_valid = flag_field(constraint, "skip_validation");
    } else if (subtype == "V") {
        details.action = AlterType::Action::validate_constraint;
    } else if (subtype == "O") {
        details.action = AlterType::Action::set_not_null;
    }
    return details;
}

/// The type an ALTER of another shape names (OWNER TO, SET SCHEMA, ADD ATTRIBUTE, SET (...)).
AlterType alter_type_other(const RelationName& name, bool domain)
{
    return AlterType{.domain = domain, .name = name};
}

std::optional<RelationName> owned_by(const Json& options)
{
    for (const auto& option : options) {
        const auto& elem = option.value("DefElem", Json::object());
        if (text_field(elem, "defname") != "owned_by") {
            continue;
        }
        const auto parts = string_values(elem.value("arg", Json::object())
                                             .value("List", Json::object())
                                             .value("items", Json::array()));
        if (parts.size() == 3) {
            return RelationName{parts[0], parts[1]};
        }
        if (parts.size() == 2) {
            return RelationName{"public", parts[0]};
        }
    }
    return std::nullopt;
}

bool names_object(const Json& node, const char* key, std::string_view type)
{
    return text_field(node, key) == type;
}

RelationName object_name(const Json& node)
{
    const auto& object = node.value("object", Json::object());
    return object.contains("List") ? relation_of_names(object["List"].value("items", Json::array()))
                                   : relation_of_names(Json::array({object}));
}

} // namespace

std::string lowercase_object_type(std::string type)
{
    if (type.starts_with("OBJECT_")) {
        type.erase(0, 7);
    }
    std::transform(type.begin(), type.end(), type.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return type;
}

bool transform_misc(std::string_view type, const Json& body, Statement& statement)
{
    using Object = TableObject::Object;
    if (type == "ReindexStmt") {
        statement.details = reindex(body);
    } else if (type == "ClusterStmt") {
        statement.details = cluster(body);
    } else if (type == "VacuumStmt") {
        statement.details = vacuum(body);
    } else if (type == "RefreshMatViewStmt") {
        statement.details = refresh(body);
    } else if (type == "LockStmt") {
        statement.details = lock_table(body);
    } else if (type == "CommentStmt") {
        statement.details = comment_on(body);
    } else if (type == "AlterEnumStmt") {
        statement.details = alter_enum(body);
    } else if (type == "AlterDomainStmt") {
        statement.details = alter_domain(body);
    } else if ((type == "AlterOwnerStmt" || type == "AlterObjectSchemaStmt") &&
               (names_object(body, "objectType", "OBJECT_TYPE") ||
                names_object(body, "objectType", "OBJECT_DOMAIN"))) {
        statement.details =
            alter_type_other(object_name(body), names_object(body, "objectType", "OBJECT_DOMAIN"));
    } else if (type == "AlterTypeStmt") {
        statement.details =
            alter_type_other(relation_of_names(body.value("typeName", Json::array())), false);
    } else if (type == "AlterTableStmt" && names_object(body, "objtype", "OBJECT_TYPE")) {
        statement.details =
            alter_type_other(relation_of(body.value("relation", Json::object())), false);
    } else if ((type == "AlterTableStmt" || type == "AlterObjectDependsStmt") &&
               (names_object(body, "objtype", "OBJECT_INDEX") ||
                names_object(body, "objectType", "OBJECT_INDEX"))) {
        statement.details = TableObject{
            .object = Object::index, .table = relation_of(body.value("relation", Json::object()))};
    } else if (type == "AlterTableMoveAllStmt" && names_object(body, "objtype", "OBJECT_INDEX")) {
        statement.details = TableObject{.object = Object::index}; // ALTER INDEX ALL IN TABLESPACE
    } else if (type == "AlterSeqStmt") {
        statement.details = TableObject{.object = Object::sequence,
                                        .table = owned_by(body.value("options", Json::array()))};
    } else if (type == "CreatePolicyStmt" || type == "AlterPolicyStmt") {
        statement.details = TableObject{.object = Object::policy,
                                        .create = type == "CreatePolicyStmt",
                                        .table = relation_of(body.value("table", Json::object()))};
    } else if (type == "CreateTrigStmt") {
        statement.details =
            TableObject{.object = Object::trigger,
                        .create = true,
                        .table = relation_of(body.value("relation", Json::object()))};
    } else if (statement.kind == StatementKind::other &&
               (type.starts_with("Create") || type == "DefineStmt" || type == "RuleStmt")) {
        statement.details = CreateOther{};
    } else {
        return false;
    }
    return true;
}

} // namespace migsafe::model::detail
