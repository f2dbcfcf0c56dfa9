// ALTER TABLE: one action per AlterTableCmd, named by its `subtype`.
#include "model/transform.hpp"

#include <array>
#include <string_view>
#include <utility>

namespace migsafe::model::detail {
namespace {

using Kind = AlterTableAction::Kind;

// Subtypes whose action needs nothing but the column or object name.
constexpr std::array<std::pair<std::string_view, Kind>, 20> k_simple_subtypes{{
    {"AT_DropColumn", Kind::drop_column},
    {"AT_SetNotNull", Kind::set_not_null},
    {"AT_DropNotNull", Kind::drop_not_null},
    {"AT_ValidateConstraint", Kind::validate_constraint},
    {"AT_DropConstraint", Kind::drop_constraint},
    {"AT_SetTableSpace", Kind::set_tablespace},
    {"AT_SetLogged", Kind::set_logged},
    {"AT_SetUnLogged", Kind::set_unlogged},
    {"AT_EnableTrig", Kind::enable_trigger},
    {"AT_EnableAlwaysTrig", Kind::enable_trigger},
    {"AT_EnableReplicaTrig", Kind::enable_trigger},
    {"AT_EnableTrigAll", Kind::enable_trigger},
    {"AT_EnableTrigUser", Kind::enable_trigger},
    {"AT_DisableTrig", Kind::disable_trigger},
    {"AT_DisableTrigAll", Kind::disable_trigger},
    {"AT_DisableTrigUser", Kind::disable_trigger},
    {"AT_SetRelOptions", Kind::set_storage_parameters},
    {"AT_ResetRelOptions", Kind::set_storage_parameters},
    {"AT_ReplaceRelOptions", Kind::set_storage_parameters},
    {"AT_ColumnDefault", Kind::drop_default}, // a SET DEFAULT is recognised by its `def`
}};

// `other` actions the planner tells apart.
constexpr std::array<std::pair<std::string_view, AlterTableAction::Other>, 12> k_other_subtypes{{
    {"AT_SetAccessMethod", AlterTableAction::Other::set_access_method},
    {"AT_DropInherit", AlterTableAction::Other::no_inherit},
    {"AT_ReplicaIdentity", AlterTableAction::Other::replica_identity},
    {"AT_EnableRowSecurity", AlterTableAction::Other::row_security},
    {"AT_DisableRowSecurity", AlterTableAction::Other::row_security},
    {"AT_ForceRowSecurity", AlterTableAction::Other::row_security},
    {"AT_NoForceRowSecurity", AlterTableAction::Other::row_security},
    {"AT_SetStatistics", AlterTableAction::Other::set_statistics},
    {"AT_ClusterOn", AlterTableAction::Other::cluster},
    {"AT_DropCluster", AlterTableAction::Other::cluster},
    {"AT_SetOptions", AlterTableAction::Other::column_options},
    {"AT_ResetOptions", AlterTableAction::Other::column_options},
}};

// Kinds whose `name` field is a column rather than a constraint, trigger or tablespace.
bool names_column(Kind kind)
{
    return kind == Kind::drop_column || kind == Kind::set_not_null || kind == Kind::drop_not_null ||
           kind == Kind::drop_default || kind == Kind::set_default ||
           kind == Kind::alter_column_type;
}

AlterTableAction transform_command(const Json& command)
{
    AlterTableAction action;
    const auto subtype = text_field(command, "subtype");
    const auto& def = command.value("def", Json::object());
    for (const auto& [name, kind] : k_simple_subtypes) {
        if (subtype == name) {
            action.kind = kind;
        }
    }
    if (subtype == "AT_AddColumn") {
        action.kind = Kind::add_column;
        action.column_definition = column_of(def.value("ColumnDef", Json::object()));
        action.column = action.column_definition->name;
    } else if (subtype == "AT_AlterColumnType") {
        action.kind = Kind::alter_column_type;
        const auto& column = def.value("ColumnDef", Json::object());
        action.new_type = type_display(column.value("typeName", Json::object()));
        action.has_using = column.contains("raw_default");
    } else if (subtype == "AT_ColumnDefault" && !def.empty()) {
        action.kind = Kind::set_default;
        action.default_kind = classify_default(def);
    } else if (subtype == "AT_AddConstraint") {
        action.kind = Kind::add_constraint;
        action.constraint = constraint_of(def.value("Constraint", Json::object()));
        action.name = action.constraint->name;
    } else if (subtype == "AT_AttachPartition" || subtype == "AT_DetachPartition") {
        const auto& partition = def.value("PartitionCmd", Json::object());
        action.kind =
            subtype == "AT_AttachPartition" ? Kind::attach_partition : Kind::detach_partition;
        action.name = relation_of(partition.value("name", Json::object())).qualified();
        action.concurrently = flag_field(partition, "concurrent");
    }
    for (const auto& [name, other] : k_other_subtypes) {
        if (action.kind == Kind::other && subtype == name) {
            action.other = other;
        }
    }
    if (action.other == AlterTableAction::Other::no_inherit) {
        action.name = relation_of(def.value("RangeVar", Json::object())).qualified();
    }
    action.cascade = text_field(command, "behavior") == "DROP_CASCADE";
    if (names_column(action.kind)) {
        action.column = text_field(command, "name");
    } else if (action.name.empty()) {
        action.name = text_field(command, "name");
    }
    action.if_exists = flag_field(command, "missing_ok");
    return action;
}

} // namespace

AlterTable transform_alter_table(const Json& alter)
{
    AlterTable details;
    details.table = relation_of(alter.value("relation", Json::object()));
    details.schema_written = alter.value("relation", Json::object()).contains("schemaname");
    details.if_exists = flag_field(alter, "missing_ok");
    for (const auto& command : alter.value("cmds", Json::array())) {
        details.actions.push_back(
            transform_command(command.value("AlterTableCmd", Json::object())));
    }
    return details;
}

std::optional<AlterTable> transform_table_rename(const Json& rename)
{
    const auto type = text_field(rename, "renameType");
    const auto relation_type = text_field(rename, "relationType");
    AlterTableAction action;
    if (type == "OBJECT_TABLE") {
        action.kind = Kind::rename_table;
    } else if (type == "OBJECT_COLUMN" && relation_type == "OBJECT_TABLE") {
        action.kind = Kind::rename_column;
        action.column = text_field(rename, "subname");
    } else if (type == "OBJECT_TABCONSTRAINT") {
        action.kind = Kind::rename_constraint;
        action.old_name = text_field(rename, "subname");
    } else {
        return std::nullopt;
    }
    action.name = text_field(rename, "newname");
    AlterTable details;
    details.table = relation_of(rename.value("relation", Json::object()));
    details.schema_written = rename.value("relation", Json::object()).contains("schemaname");
    details.if_exists = flag_field(rename, "missing_ok");
    details.actions.push_back(std::move(action));
    return details;
}

} // namespace migsafe::model::detail
