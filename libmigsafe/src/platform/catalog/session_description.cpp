// Reading the columns of k_session_description_columns.
#include "platform/catalog/session_description.hpp"

namespace migsafe::platform::catalog {

SessionDescription session_description(const std::vector<Value>& row)
{
    return {.pid = row.at(0).value_or("?"),
            .user = row.at(1).value_or("?"),
            .application = row.at(2).value_or(""),
            .client = row.at(3).value_or("?"),
            .connected_since = row.at(4).value_or("?")};
}

} // namespace migsafe::platform::catalog
