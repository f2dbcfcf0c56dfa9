#pragma once
// Private: who runs migsafe, for the history's client_host and client_user columns.

#include <string>

namespace migsafe::platform {

/// This machine's host name (gethostname), or "" when it cannot be read.
std::string host_name();

/// The operating-system user migsafe runs as (the effective uid's name, else $USER), or "".
std::string os_user();

} // namespace migsafe::platform
