// JsonWriter: nlohmann's dump(2) layout, written as it goes.
#include "platform/json_writer.hpp"

#include <migsafe/platform/assert.hpp>

#include <array>
#include <charconv>

namespace migsafe::platform {
namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD"; // U+FFFD

/// Length of the valid UTF-8 sequence starting at text[i] (a byte >= 0x80), or 0 when the
/// bytes there are not one (RFC 3629: no overlong forms, no surrogates, nothing past
/// U+10FFFF).
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
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (levels_.empty()) {
        return;
    }
    Level& level = levels_.back();
    out_ += level.empty ? "\n" : ",\n";
    level.empty = false;
    out_.append(2 * levels_.size(), ' ');
}

void JsonWriter::open(char bracket)
{
    before_value();
    out_ += bracket;
    levels_.push_back({});
}

void JsonWriter::close(char bracket)
{
    MIGSAFE_ASSERT(!levels_.empty() && !after_key_);
    const bool empty = levels_.back().empty;
    levels_.pop_back();
    if (!empty) {
        out_ += '\n';
        out_.append(2 * levels_.size(), ' ');
    }
    out_ += bracket;
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
    MIGSAFE_ASSERT(!levels_.empty() && !after_key_);
    before_value();
    append_string(out_, name);
    out_ += ": ";
    after_key_ = true;
}

void JsonWriter::value(std::string_view text)
{
    before_value();
    append_string(out_, text);
}

void JsonWriter::value(std::int64_t number)
{
    before_value();
    std::array<char, 24> digits{};
    const auto result = std::to_chars(digits.data(), digits.data() + digits.size(), number);
    out_.append(digits.data(), result.ptr);
}

void JsonWriter::value(bool flag)
{
    before_value();
    out_ += flag ? "true" : "false";
}

void JsonWriter::null()
{
    before_value();
    out_ += "null";
}

} // namespace migsafe::platform
