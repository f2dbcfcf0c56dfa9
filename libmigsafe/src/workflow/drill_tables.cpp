// Which table of a report an integrity difference is about.
#include "workflow/drill_tables.hpp"

#include <set>

namespace migsafe::workflow::detail {

const integrity::TableReport* table_of(const integrity::Difference& d,
                                       const integrity::IntegrityReport& report)
{
    for (const auto& table : report.tables) {
        auto name = table.qualified_name();
        if (d.object == name || d.object.starts_with(name + ".")) {
            return &table;
        }
    }
    return nullptr;
}

std::vector<std::string> differing_tables(const std::vector<integrity::Difference>& differences,
                                          const integrity::IntegrityReport& report)
{
    std::set<std::string> tables;
    for (const auto& difference : differences) {
        const auto* table = table_of(difference, report);
        tables.insert(table != nullptr ? table->qualified_name() : difference.object);
    }
    return {tables.begin(), tables.end()};
}

} // namespace migsafe::workflow::detail
