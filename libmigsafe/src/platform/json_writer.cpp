// JsonWriter: nlohmann's dump(2) layout, written as it goes.
#include "platform/json_writer.hpp"

#include "platform/utf8.hpp"

#include <migsafe/platform/assert.hpp>

#include <array>
#include <charconv>

namespace migsafe::platform {
namespace {

using platform::utf8_length;
constexpr std::string_view k_replacement = platform::k_utf8_replacement;

/// Bytes that cannot be copied as they are: quote, backslash, controls, non-ASCII.
constexpr std::array<bool, 256> k_special = [] {
    std::array<bool, 256> special{};
    for (std::size_t c = 0; c < special.size(); ++c) {
        special[c] = c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
    }
    return special;
}();

void append_escape(std::string& out, unsigned char c)
{
    switch (c) {
    case '"':
        out += "\\\"";
        return;
    case '\\':
        out += "\\\\";
        return;
    case '\b':
        out += "\\b";
        return;
    case '\f':
        out += "\\f";
        return;
    case '\n':
        out += "\\n";
        return;
    case '\r':
        out += "\\r";
        return;
    case '\t':
        out += "\\t";
        return;
    default: {
        constexpr std::string_view k_hex = "0123456789abcdef";
        out += "\\u00";
        out += k_hex[c >> 4U];
        out += k_hex[c & 0xFU];
    }
    }
}

} // namespace

void JsonWriter::append_string(std::string& out, std::string_view text)
{
    out += '"';
    std::size_t run = 0; // start of the bytes copied as they are
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (!k_special[c]) {
            ++i;
            continue;
        }
        if (c >= 0x80) {
            if (const std::size_t length = utf8_length(text, i); length > 0) {
                i += length;
                continue;
            }
        }
        out.append(text.substr(run, i - run));
        if (c >= 0x80) {
            out += k_replacement;
        } else {
            append_escape(out, c);
        }
        run = ++i;
    }
    out.append(text.substr(run));
    out += '"';
}

void JsonWriter::before_value()
{
    if (m_after_key) {
        m_after_key = false;
        return;
    }
    if (m_levels.empty()) {
        return;
    }
    Level& level = m_levels.back();
    m_out += level.empty ? "\n" : ",\n";
    level.empty = false;
    m_out.append(2 * m_levels.size(), ' ');
}

void JsonWriter::open(char bracket)
{
    before_value();
    m_out += bracket;
    m_levels.push_back({});
}

void JsonWriter::close(char bracket)
{
    MIGSAFE_ASSERT(!m_levels.empty() && !m_after_key);
    const bool empty = m_levels.back().empty;
    m_levels.pop_back();
    if (!empty) {
        m_out += '\n';
        m_out.append(2 * m_levels.size(), ' ');
    }
    m_out += bracket;
}

void JsonWriter::begin_object()
{
    open('{');
}

void JsonWriter::end_object()
{
    close('}');
}

void JsonWriter::begin_array()
{
    open('[');
}

void JsonWriter::end_array()
{
    close(']');
}

void JsonWriter::key(std::string_view name)
{
    MIGSAFE_ASSERT(!m_levels.empty() && !m_after_key);
    before_value();
    append_string(m_out, name);
    m_out += ": ";
    m_after_key = true;
}

void JsonWriter::value(std::string_view text)
{
    before_value();
    append_string(m_out, text);
}

void JsonWriter::value(std::int64_t number)
{
    before_value();
    std::array<char, 24> digits{};
    const auto result = std::to_chars(digits.data(), digits.data() + digits.size(), number);
    m_out.append(digits.data(), result.ptr);
}

void JsonWriter::value(bool flag)
{
    before_value();
    m_out += flag ? "true" : "false";
}

void JsonWriter::null()
{
    before_value();
    m_out += "null";
}

} // namespace migsafe::platform
