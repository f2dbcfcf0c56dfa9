#include "platform/enum_names.hpp"

#include <migsafe/model/statement.hpp>

namespace migsafe::model {

std::string_view to_string(StatementKind kind) noexcept
{
    using enum StatementKind;
    static constexpr platform::EnumNames<StatementKind, 29> k_names{{{
        {create_table, "create_table"},
        {alter_table, "alter_table"},
        {create_index, "create_index"},
        {drop_index, "drop_index"},
        {drop_table, "drop_table"},
        {drop_other, "drop_other"},
        {create_type, "create_type"},
        {alter_type, "alter_type"},
        {create_function, "create_function"},
        {create_trigger, "create_trigger"},
        {create_view, "create_view"},
        {create_sequence, "create_sequence"},
        {create_schema, "create_schema"},
        {create_extension, "create_extension"},
        {do_block, "do_block"},
        {insert, "insert"},
        {update, "update"},
        {delete_rows, "delete"},
        {select, "select"},
        {truncate, "truncate"},
        {vacuum, "vacuum"},
        {set, "set"},
        {transaction, "transaction"},
        {comment, "comment"},
        {grant, "grant"},
        {rename, "rename"},
        {lock, "lock"},
        {other, "other"},
        {unparsed, "unparsed"},
    }}};
    static_assert(k_names.unique());
    return k_names.name(kind);
}

std::string_view to_string(DefaultKind kind) noexcept
{
    using enum DefaultKind;
    static constexpr platform::EnumNames<DefaultKind, 5> k_names{{{
        {none, "none"},
        {constant, "constant"},
        {stable, "stable"},
        {volatile_function, "volatile"},
        {other, "other"},
    }}};
    static_assert(k_names.unique());
    return k_names.name(kind);
}

std::string_view to_string(AlterTableAction::Kind kind) noexcept
{
    using enum AlterTableAction::Kind;
    static constexpr platform::EnumNames<AlterTableAction::Kind, 22> k_names{{{
        {add_column, "add_column"},
        {drop_column, "drop_column"},
        {alter_column_type, "alter_column_type"},
        {set_not_null, "set_not_null"},
        {drop_not_null, "drop_not_null"},
        {set_default, "set_default"},
        {drop_default, "drop_default"},
        {add_constraint, "add_constraint"},
        {validate_constraint, "validate_constraint"},
        {drop_constraint, "drop_constraint"},
        {rename_column, "rename_column"},
        {rename_table, "rename_table"},
        {rename_constraint, "rename_constraint"},
        {set_tablespace, "set_tablespace"},
        {set_logged, "set_logged"},
        {set_unlogged, "set_unlogged"},
        {attach_partition, "attach_partition"},
        {detach_partition, "detach_partition"},
        {enable_trigger, "enable_trigger"},
        {disable_trigger, "disable_trigger"},
        {set_storage_parameters, "set_storage_parameters"},
        {other, "other"},
    }}};
    static_assert(k_names.unique());
    return k_names.name(kind);
}

std::optional<RelationName> Statement::target_table() const
{
    if (const auto* create = get_if<CreateTable>()) {
        return create->table;
    }
    if (const auto* alter = get_if<AlterTable>()) {
        return alter->table;
    }
    if (const auto* index = get_if<CreateIndex>()) {
        return index->table;
    }
    if (const auto* change = get_if<DataChange>()) {
        return change->table;
    }
    if (const auto* insert_into = get_if<Insert>()) {
        return insert_into->table;
    }
    if (const auto* drop = get_if<DropTable>(); drop != nullptr && drop->tables.size() == 1) {
        return drop->tables.front();
    }
    if (const auto* trunc = get_if<Truncate>(); trunc != nullptr && trunc->tables.size() == 1) {
        return trunc->tables.front();
    }
    return std::nullopt;
}

} // namespace migsafe::model
