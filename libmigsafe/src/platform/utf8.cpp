#include "platform/utf8.hpp"

namespace migsafe::platform {

std::size_t utf8_length(std::string_view text, std::size_t i)
{
    const auto byte = [&](std::size_t k) {
        return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0U;
    };
    const auto continuation = [&](std::size_t k) { return (byte(k) & 0xC0U) == 0x80U; };
    const unsigned lead = byte(0);
    const unsigned second = byte(1);
    if (lead >= 0xC2 && lead <= 0xDF) {
        return continuation(1) ? 2 : 0;
    }
    if (lead >= 0xE0 && lead <= 0xEF) {
        const bool second_ok = lead == 0xE0   ? second >= 0xA0 && second <= 0xBF
                               : lead == 0xED ? second >= 0x80 && second <= 0x9F
                                              : continuation(1);
        return second_ok && continuation(2) ? 3 : 0;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        const bool second_ok = lead == 0xF0   ? second >= 0x90 && second <= 0xBF
                               : lead == 0xF4 ? second >= 0x80 && second <= 0x8F
                                              : continuation(1);
        return second_ok && continuation(2) && continuation(3) ? 4 : 0;
    }
    return 0;
}

} // namespace migsafe::platform
