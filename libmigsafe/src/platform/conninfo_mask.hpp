#pragma once
// Private: the secrets of a connection string as written, for ConnInfo (conninfo.cpp).

#include <string>
#include <string_view>
#include <vector>

namespace migsafe::detail {

/// Every spelling (raw and decoded) of every secret (`password`, `sslpassword`, also in a
/// dbname that is itself a connection string) in `conninfo` as written, empty ones left
/// out. Works on text that does not parse.
std::vector<std::string> secrets_as_written(std::string_view conninfo);

} // namespace migsafe::detail
