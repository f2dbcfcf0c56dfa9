#pragma once

// Positions in SQL source text: libpg_query reports statement starts as byte offsets and
// error positions as 1-based character positions; migsafe reports 1-based line:column in
// characters.

#include <cstddef>
#include <string_view>

namespace migsafe::model::detail {

struct SourcePosition {
    int line = 1;
    int column = 1;
};

/// Line and column (1-based, columns in UTF-8 characters) of byte `offset` in `text`.
SourcePosition position_of_byte(std::string_view text, std::size_t offset);

/// Byte offset of the 0-based character index `index` in `text` (clamped to its size).
std::size_t byte_of_character(std::string_view text, std::size_t index);

/// Byte offset of the first token at or after `offset`: skips whitespace, `--` line
/// comments and (nested) `/* */` block comments.
std::size_t skip_space_and_comments(std::string_view text, std::size_t offset);

} // namespace migsafe::model::detail
