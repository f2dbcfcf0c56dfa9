#include "model/source_text.hpp"

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
