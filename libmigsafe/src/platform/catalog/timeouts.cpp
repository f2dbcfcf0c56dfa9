// lock_timeout and statement_timeout, set the same way everywhere.
#include "platform/catalog/timeouts.hpp"

#include <fmt/format.h>

#include <string>

namespace migsafe::platform::catalog {

void set_timeouts(Session& conn, SettingScope scope, std::optional<std::chrono::milliseconds> lock,
                  std::optional<std::chrono::milliseconds> statement)
{
    // Only integers are formatted into the text (no parameter can follow SET), and the
    // statement stays readable in the debug log, which is how a run shows the bounds it used.
    const char* set = scope == SettingScope::transaction ? "SET LOCAL" : "SET";
    std::string sql;
    if (lock) {
        sql += fmt::format("{} lock_timeout = {}", set, lock->count());
    }
    if (statement) {
        sql += fmt::format("{}{} statement_timeout = {}", sql.empty() ? "" : "; ", set,
                           statement->count());
    }
    if (!sql.empty()) {
        conn.exec(sql);
    }
}

} // namespace migsafe::platform::catalog
