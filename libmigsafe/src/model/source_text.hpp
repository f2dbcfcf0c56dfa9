#pragma once

// Positions in SQL source text: libpg_query reports statement starts as byte offsets and
// error positions as 1-based character positions; migsafe reports 1-based line:column in
// characters.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string_view>

namespace migsafe::model::detail {

struct SourcePosition {
    int line = 1;
    int column = 1;
};

/// Line and column (1-based, columns in UTF-8 characters) of byte `offset` in `text`.
SourcePosition position_of_byte(std::string_view text, std::size_t offset);

/// Positions of increasing byte offsets in one text, in time linear in the text: each call
/// scans on from the previous offset (an earlier offset rescans from the start).
class PositionCursor {
public:
    explicit PositionCursor(std::string_view text)
        : m_text(text)
    {
    }
    SourcePosition at(std::size_t offset);

private:
    std::string_view m_text;
    std::size_t m_offset = 0;
    SourcePosition m_position{};
};

/// Byte offset of the first byte of `text` that does not start or continue a valid UTF-8
/// sequence (overlong forms, surrogates and code points past U+10FFFF are invalid), or
/// nothing when all of `text` is valid.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);

/// Throws `input-invalid-utf8` naming `file`:line:column and the byte when `text` is not
/// valid UTF-8.
void require_utf8(std::string_view text, const std::filesystem::path& file);

/// Byte offset of the 0-based character index `index` in `text` (clamped to its size).
std::size_t byte_of_character(std::string_view text, std::size_t index);

/// Byte offset of the first token at or after `offset`: skips whitespace, `--` line
/// comments and (nested) `/* */` block comments.
std::size_t skip_space_and_comments(std::string_view text, std::size_t offset);

} // namespace migsafe::model::detail
