#pragma once
// Private: reading UTF-8 byte by byte, for the writers that must not pass invalid
// sequences on (JSON, JUnit XML).

#include <cstddef>
#include <string_view>

namespace migsafe::platform {

/// U+FFFD, what an invalid byte becomes.
inline constexpr std::string_view k_utf8_replacement = "\xEF\xBF\xBD";

/// Length of the valid UTF-8 sequence starting at text[i] (a byte >= 0x80), or 0 when the
/// bytes there are not one (RFC 3629: no overlong forms, no surrogates, nothing past
/// U+10FFFF).
std::size_t utf8_length(std::string_view text, std::size_t i);

} // namespace migsafe::platform
