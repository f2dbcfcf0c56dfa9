// A small lexer, just enough to know what is at the top level of one statement. It follows
// PostgreSQL's scan.l for the tokens that can hide a keyword: strings, quoted identifiers,
// dollar quotes and comments.
#include "backfill/splice.hpp"

#include <cctype>

namespace migsafe::backfill::detail {
namespace {

bool is_ident_start(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return std::isalpha(u) != 0 || c == '_' || u >= 0x80;
}

bool is_ident_char(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return is_ident_start(c) || std::isdigit(u) != 0 || c == '$';
}

bool equals_ignoring_case(std::string_view word, std::string_view keyword)
{
    if (word.size() != keyword.size()) {
        return false;
    }
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (std::toupper(static_cast<unsigned char>(word[i])) != keyword[i]) {
            return false;
        }
    }
    return true;
}

// The position just after a quoted token that opens at `i` with `quote`; a doubled quote
// stays inside. `backslash_escapes` is for E'' strings.
std::size_t skip_quoted(std::string_view sql, std::size_t i, char quote, bool backslash_escapes)
{
    ++i;
    while (i < sql.size()) {
        if (backslash_escapes && sql[i] == '\\') {
            i += 2;
            continue;
        }
        if (sql[i] == quote) {
            if (i + 1 < sql.size() && sql[i + 1] == quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        ++i;
    }
    return sql.size();
}

// The tag of a dollar quote opening at `i` (`$$` or `$tag$`), or nullopt when `$` starts
// something else (a parameter `$1`).
std::optional<std::string_view> dollar_tag(std::string_view sql, std::size_t i)
{
    std::size_t j = i + 1;
    if (j < sql.size() && !is_ident_start(sql[j]) && sql[j] != '$') {
        return std::nullopt;
    }
    while (j < sql.size() && sql[j] != '$') {
        if (!is_ident_char(sql[j])) {
            return std::nullopt;
        }
        ++j;
    }
    if (j >= sql.size()) {
        return std::nullopt;
    }
    return sql.substr(i, j - i + 1);
}

std::size_t skip_block_comment(std::string_view sql, std::size_t i)
{
    int depth = 0;
    while (i < sql.size()) {
        if (sql.substr(i, 2) == "/*") {
            ++depth;
            i += 2;
        } else if (sql.substr(i, 2) == "*/") {
            i += 2;
            if (--depth == 0) {
                return i;
            }
        } else {
            ++i;
        }
    }
    return sql.size();
}

} // namespace

ClausePositions find_clauses(std::string_view sql)
{
    ClausePositions positions;
    positions.end = sql.size();
    int depth = 0;
    std::size_t i = 0;
    while (i < sql.size()) {
        const char c = sql[i];
        if (c == '\'') {
            i = skip_quoted(sql, i, '\'', false);
        } else if (c == '"') {
            i = skip_quoted(sql, i, '"', false);
        } else if (c == '-' && sql.substr(i, 2) == "--") {
            const auto newline = sql.find('\n', i);
            i = newline == std::string_view::npos ? sql.size() : newline + 1;
        } else if (c == '/' && sql.substr(i, 2) == "/*") {
            i = skip_block_comment(sql, i);
        } else if (c == '$') {
            if (const auto tag = dollar_tag(sql, i)) {
                const auto close = sql.find(*tag, i + tag->size());
                i = close == std::string_view::npos ? sql.size() : close + tag->size();
            } else {
                ++i;
            }
        } else if (c == '(' || c == '[') {
            ++depth;
            ++i;
        } else if (c == ')' || c == ']') {
            --depth;
            ++i;
        } else if (c == ';' && depth == 0) {
            positions.end = i;
            return positions;
        } else if (is_ident_start(c)) {
            std::size_t j = i;
            while (j < sql.size() && is_ident_char(sql[j])) {
                ++j;
            }
            const auto word = sql.substr(i, j - i);
            // E'...' (and e'...') is a string with backslash escapes; U&'...', B'...' and
            // X'...' follow the standard quoting.
            if (j < sql.size() && sql[j] == '\'' && word.size() == 1 &&
                (word[0] == 'E' || word[0] == 'e')) {
                i = skip_quoted(sql, j, '\'', true);
                continue;
            }
            if (depth == 0) {
                if (!positions.where && !positions.returning &&
                    equals_ignoring_case(word, "WHERE")) {
                    positions.where = i;
                } else if (!positions.returning && equals_ignoring_case(word, "RETURNING")) {
                    positions.returning = i;
                }
            }
            i = j;
        } else if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
            // Numbers like 1e5 or 0x1F must not start a keyword.
            while (i < sql.size() && is_ident_char(sql[i])) {
                ++i;
            }
        } else {
            ++i;
        }
    }
    return positions;
}

std::string splice_predicate(std::string_view sql, std::string_view predicate)
{
    const auto positions = find_clauses(sql);
    const auto body_end = positions.returning.value_or(positions.end);
    std::string out;
    out.reserve(sql.size() + predicate.size() + 32);
    if (positions.where) {
        const auto condition_start = *positions.where + 5; // after WHERE
        out.append(sql.substr(0, condition_start));
        out.append(" (");
        out.append(sql.substr(condition_start, body_end - condition_start));
        out.append("\n) AND (");
    } else {
        out.append(sql.substr(0, body_end));
        out.append("\nWHERE (");
    }
    out.append(predicate);
    out.append(")");
    if (positions.returning) {
        out.append("\n");
        out.append(sql.substr(*positions.returning, positions.end - *positions.returning));
    }
    return out;
}

} // namespace migsafe::backfill::detail
