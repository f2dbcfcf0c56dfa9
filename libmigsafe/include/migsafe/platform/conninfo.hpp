#pragma once

#include <migsafe/export.hpp>

#include <string>
#include <string_view>

namespace migsafe {

/// Removes the password from a libpq connection string, in either form: a URL
/// (`postgresql://user:secret@host/db?password=x`) or `key=value` pairs
/// (`password=secret`, quoted or not). The password is replaced by `***`; everything else
/// is kept, so the result still says which server and user were meant. Use it on every
/// connection string that is printed, logged, stored in a manifest or put in an error.
MIGSAFE_API std::string redact_conninfo(std::string_view conninfo);

/// Replaces every occurrence of the password found in `conninfo` inside `text` by `***`
/// (for server or libpq messages that may echo it). Returns `text` unchanged when the
/// connection string has no password.
MIGSAFE_API std::string redact_secret_in(std::string_view text, std::string_view conninfo);

} // namespace migsafe
