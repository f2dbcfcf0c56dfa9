// The report value type: names and the sequence rule. JSON lives in report_json.cpp.
#include "platform/enum_names.hpp"

#include <migsafe/integrity/report.hpp>
#include <migsafe/platform/identifier.hpp>

#include <algorithm>

namespace migsafe::integrity {

std::string qualified_name(std::string_view schema, std::string_view name)
{
    return platform::qualified_name(schema, name);
}

constexpr platform::EnumNames<TableKind, 3> k_table_kind_names{
    {{{TableKind::table, "table"},
      {TableKind::partition, "partition"},
      {TableKind::partitioned, "partitioned"}}}};
static_assert(k_table_kind_names.unique());

std::string_view to_string(TableKind kind) noexcept
{
    return k_table_kind_names.name(kind);
}

std::string TableReport::qualified_name() const
{
    return integrity::qualified_name(schema, name);
}

std::string SequenceReport::qualified_name() const
{
    return integrity::qualified_name(schema, name);
}

bool SequenceReport::behind() const
{
    // Unknown positions (an unreadable sequence, an empty column) are not reported.
    if (!column_max || !last_value || increment < 0) {
        return false;
    }
    // The next value handed out is last_value itself until it has been called once.
    return is_called ? *column_max > *last_value : *column_max >= *last_value;
}

const TableReport* IntegrityReport::find_table(std::string_view qualified) const
{
    auto it = std::find_if(tables.begin(), tables.end(), [&](const TableReport& table) {
        return table.qualified_name() == qualified;
    });
    return it == tables.end() ? nullptr : &*it;
}

} // namespace migsafe::integrity
