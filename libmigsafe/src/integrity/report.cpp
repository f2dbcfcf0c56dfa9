// The report value type: names and the sequence rule. JSON lives in report_json.cpp.
#include <migsafe/integrity/report.hpp>

#include <algorithm>

namespace migsafe::integrity {
namespace {

bool is_plain_identifier(std::string_view part)
{
    if (part.empty() || !((part[0] >= 'a' && part[0] <= 'z') || part[0] == '_')) {
        return false;
    }
    return std::all_of(part.begin(), part.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
    });
}

std::string display_part(std::string_view part)
{
    if (is_plain_identifier(part)) {
        return std::string(part);
    }
    std::string quoted = "\"";
    for (char c : part) {
        quoted += c;
        if (c == '"') {
            quoted += '"';
        }
    }
    quoted += '"';
    return quoted;
}

} // namespace

std::string qualified_name(std::string_view schema, std::string_view name)
{
    return display_part(schema) + "." + display_part(name);
}

std::string_view to_string(TableKind kind) noexcept
{
    switch (kind) {
    case TableKind::table:
        return "table";
    case TableKind::partition:
        return "partition";
    case TableKind::partitioned:
        return "partitioned";
    }
    return "table";
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
