#pragma once

// PostgreSQL's lexer over one text, through libpg_query's scanner: the only tokenizer of
// SQL in migsafe. The parse tree answers what a statement means; tokens are for what the
// tree does not keep: where a word stands in the text (to splice text into a statement)
// and the words of a statement the grammar rejects.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::model::detail {

/// One token of a text, as PostgreSQL's scanner reads it; comments are left out.
struct Token {
    enum class Kind {
        reserved_keyword, ///< a reserved keyword of PostgreSQL 15 (`WHERE`, `TABLE`)
        keyword,          ///< another keyword of PostgreSQL 15 (`RETURNING` is reserved)
        identifier,       ///< a name that is not a keyword, quoted or not
        string,           ///< a string constant: `'x'`, `E'x'`, `$$x$$`, `B'1'`, `X'1F'`
        other,            ///< numbers, parameters, operators, punctuation
    };
    Kind kind = Kind::other;
    std::size_t start = 0; ///< byte offset of its first byte in the text scanned
    std::size_t end = 0;   ///< byte offset just after its last byte

    /// Its text in `text` (the text that was scanned).
    std::string_view in(std::string_view text) const { return text.substr(start, end - start); }
    /// True when it is a keyword (reserved or not) spelled `word` in any case.
    bool is_keyword(std::string_view text, std::string_view word) const;
    /// True when it is the operator or punctuation `symbol` (`(`, `;`, `.`, `::`).
    bool is(std::string_view text, std::string_view symbol) const
    {
        return kind == Kind::other && in(text) == symbol;
    }
};

/// The tokens of `text`.
struct Tokens {
    std::vector<Token> tokens;
    /// False when the scanner stopped at an unterminated quote, dollar quote or comment:
    /// `tokens` are the ones before it, and the rest of the text is inside it.
    bool complete = true;
};

/// Scans `text` with libpg_query's scanner (PostgreSQL 15's scan.l): strings, E'' escapes,
/// quoted identifiers, dollar quotes, nested comments and keywords as the server reads
/// them. Cost: one pass over the text (two when it ends inside a quote or comment).
Tokens scan(std::string_view text);

/// The names `sql` writes, as PostgreSQL reads them before truncating them to 63 bytes
/// (unquoted ones lowercased, quoted ones without their quotes), in order. The parse tree
/// holds the truncated names only.
std::vector<std::string> names_as_written(std::string_view sql);

/// `sql` with `text` inserted right after its first keyword `keyword` (any case; a quoted
/// name, a string or a comment is no keyword), for writing a fix from the original
/// statement; `sql` unchanged when it has none.
std::string insert_after_keyword(std::string_view sql, std::string_view keyword,
                                 std::string_view text);

/// `sql` from its first keyword `keyword` to the end; empty when it has none.
std::string text_from_keyword(std::string_view sql, std::string_view keyword);

} // namespace migsafe::model::detail
