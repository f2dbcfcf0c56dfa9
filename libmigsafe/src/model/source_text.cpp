#include "model/source_text.hpp"

#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace migsafe::model::detail {
namespace {

bool is_continuation_byte(char c)
{
    return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U;
}

} // namespace

SourcePosition position_of_byte(std::string_view text, std::size_t offset)
{
    SourcePosition position;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++position.line;
            position.column = 1;
        } else if (!is_continuation_byte(text[i])) {
            ++position.column;
        }
    }
    return position;
}

SourcePosition PositionCursor::at(std::size_t offset)
{
    if (offset < m_offset) {
        m_offset = 0;
        m_position = {};
    }
    const auto end = std::min(offset, m_text.size());
    for (; m_offset < end; ++m_offset) {
        if (m_text[m_offset] == '\n') {
            ++m_position.line;
            m_position.column = 1;
        } else if (!is_continuation_byte(m_text[m_offset])) {
            ++m_position.column;
        }
    }
    return m_position;
}

std::optional<std::size_t> first_invalid_utf8(std::string_view text)
{
    const auto byte = [&text](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    std::size_t i = 0;
    while (i < text.size()) {
        const unsigned char lead = byte(i);
        if (lead < 0x80U) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        unsigned char low = 0x80U; // bounds of the second byte (no overlongs, surrogates)
        unsigned char high = 0xBFU;
        if (lead >= 0xC2U && lead <= 0xDFU) {
            length = 2;
        } else if (lead >= 0xE0U && lead <= 0xEFU) {
            length = 3;
            low = lead == 0xE0U ? 0xA0U : 0x80U;
            high = lead == 0xEDU ? 0x9FU : 0xBFU;
        } else if (lead >= 0xF0U && lead <= 0xF4U) {
            length = 4;
            low = lead == 0xF0U ? 0x90U : 0x80U;
            high = lead == 0xF4U ? 0x8FU : 0xBFU;
        } else {
            return i;
        }
        if (i + 1 >= text.size() || byte(i + 1) < low || byte(i + 1) > high) {
            return i;
        }
        for (std::size_t k = 2; k < length; ++k) {
            if (i + k >= text.size() || !is_continuation_byte(text[i + k])) {
                return i;
            }
        }
        i += length;
    }
    return std::nullopt;
}

void require_utf8(std::string_view text, const std::filesystem::path& file)
{
    const auto bad = first_invalid_utf8(text);
    if (!bad) {
        return;
    }
    const auto position = position_of_byte(text, *bad);
    throw Error("input-invalid-utf8",
                fmt::format("not valid UTF-8: byte 0x{:02x} at offset {}",
                            static_cast<unsigned char>(text[*bad]), *bad),
                {.file = file.string(), .line = position.line, .column = position.column});
}

std::size_t byte_of_character(std::string_view text, std::size_t index)
{
    std::size_t characters = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (is_continuation_byte(text[i])) {
            continue;
        }
        if (characters == index) {
            return i;
        }
        ++characters;
    }
    return text.size();
}

std::size_t skip_space_and_comments(std::string_view text, std::size_t offset)
{
    std::size_t i = offset;
    while (i < text.size()) {
        if (std::isspace(static_cast<unsigned char>(text[i])) != 0) {
            ++i;
        } else if (text.substr(i, 2) == "--") {
            const auto end = text.find('\n', i);
            i = end == std::string_view::npos ? text.size() : end + 1;
        } else if (text.substr(i, 2) == "/*") {
            // Block comments nest in PostgreSQL.
            int depth = 0;
            do {
                if (text.substr(i, 2) == "/*") {
                    ++depth;
                    i += 2;
                } else if (text.substr(i, 2) == "*/") {
                    --depth;
                    i += 2;
                } else {
                    ++i;
                }
            } while (depth > 0 && i < text.size());
        } else {
            break;
        }
    }
    return i;
}

} // namespace migsafe::model::detail
