#pragma once

#include <migsafe/export.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace migsafe {

/// Reads a duration written like `500ms`, `10s`, `5m`, `24h`, `30d` (a bare number is
/// seconds). `option` names the option in the error. Throws `input-invalid-duration`.
MIGSAFE_API std::chrono::milliseconds parse_duration(std::string_view text,
                                                     std::string_view option = {});

/// Reads a duration that bounds a wait (`--lock-timeout`, `--wait`): like `parse_duration`,
/// but an empty text or a zero duration is refused, since PostgreSQL and migsafe read 0 as
/// "no bound" and the wait would be endless. Throws `usage-invalid-option` naming
/// `option`, and `input-invalid-duration`.
MIGSAFE_API std::chrono::milliseconds parse_bound(std::string_view text, std::string_view option);

/// The shortest exact form of `duration` in the same units (`1500ms`, `2s`, `24h`).
MIGSAFE_API std::string format_duration(std::chrono::milliseconds duration);

} // namespace migsafe
