// Reading `pg_restore -l`: lines such as
//   3345; 0 16390 TABLE DATA public accounts postgres
// (dump id; catalog table oid, object oid, kind, schema, name, owner). Comment lines start
// with `;`.
#include "snapshot/archive_list.hpp"

#include <sstream>
#include <vector>

namespace migsafe::snapshot::detail {

std::map<std::string, ArchiveTable> table_data_files(std::string_view listing)
{
    std::map<std::string, ArchiveTable> out;
    std::istringstream lines{std::string(listing)};
    std::string line;
    while (std::getline(lines, line)) {
        std::istringstream words(line);
        std::vector<std::string> parts;
        for (std::string word; words >> word;) {
            parts.push_back(word);
        }
        // id; tableoid oid TABLE DATA schema name owner
        if (parts.size() != 8 || parts[3] != "TABLE" || parts[4] != "DATA" || parts[0].size() < 2 ||
            parts[0].back() != ';') {
            continue;
        }
        auto id = parts[0].substr(0, parts[0].size() - 1);
        if (id.find_first_not_of("0123456789") != std::string::npos) {
            continue;
        }
        out[id + ".dat"] = {.schema = parts[5], .name = parts[6]};
    }
    return out;
}

} // namespace migsafe::snapshot::detail
