// libpg_query's scanner gives its tokens as a protobuf ScanResult; an unterminated quote or
// comment is an error with the 1-based character position where it opened, and nothing
// else. Scanning the text before that position again gives the tokens before it, which is
// what a reader of an unfinished statement wants.
#include "model/scan.hpp"

#include "model/source_text.hpp"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace migsafe::model::detail {
namespace {

struct ScanResultDeleter {
    void operator()(PgQueryScanResult* result) const
    {
        pg_query_free_scan_result(*result);
        delete result; // NOLINT(cppcoreguidelines-owning-memory)
    }
};

struct ScanTokensDeleter {
    void operator()(PgQuery__ScanResult* tokens) const
    {
        pg_query__scan_result__free_unpacked(tokens, nullptr);
    }
};

Token::Kind kind_of(const PgQuery__ScanToken& token)
{
    switch (token.keyword_kind) {
    case PG_QUERY__KEYWORD_KIND__RESERVED_KEYWORD:
        return Token::Kind::reserved_keyword;
    case PG_QUERY__KEYWORD_KIND__NO_KEYWORD:
        break;
    default:
        return Token::Kind::keyword;
    }
    switch (token.token) {
    case PG_QUERY__TOKEN__IDENT:
        return Token::Kind::identifier;
    case PG_QUERY__TOKEN__SCONST:
    case PG_QUERY__TOKEN__USCONST:
    case PG_QUERY__TOKEN__BCONST:
    case PG_QUERY__TOKEN__XCONST:
        return Token::Kind::string;
    default:
        return Token::Kind::other;
    }
}

/// The tokens of `text`, or the scanner's error position (1-based, in characters; 0 when
/// it gave none).
struct Scanned {
    std::vector<Token> tokens;
    bool failed = false;
    int error_position = 0;
};

Scanned scan_once(std::string_view text)
{
    Scanned out;
    const std::string input(text); // NUL-terminated
    std::unique_ptr<PgQueryScanResult, ScanResultDeleter> scanned(
        new PgQueryScanResult(pg_query_scan(input.c_str())));
    if (scanned->error != nullptr) {
        out.failed = true;
        out.error_position = scanned->error->cursorpos;
        return out;
    }
    std::unique_ptr<PgQuery__ScanResult, ScanTokensDeleter> tokens(pg_query__scan_result__unpack(
        nullptr, scanned->pbuf.len, reinterpret_cast<const std::uint8_t*>(scanned->pbuf.data)));
    if (tokens == nullptr) {
        out.failed = true;
        return out;
    }
    out.tokens.reserve(tokens->n_tokens);
    for (std::size_t i = 0; i < tokens->n_tokens; ++i) {
        const PgQuery__ScanToken& token = *tokens->tokens[i];
        if (token.token == PG_QUERY__TOKEN__SQL_COMMENT ||
            token.token == PG_QUERY__TOKEN__C_COMMENT || token.start < 0 ||
            token.end > static_cast<std::int32_t>(input.size()) || token.end < token.start) {
            continue;
        }
        out.tokens.push_back({.kind = kind_of(token),
                              .start = static_cast<std::size_t>(token.start),
                              .end = static_cast<std::size_t>(token.end)});
    }
    return out;
}

} // namespace

bool Token::is_keyword(std::string_view text, std::string_view word) const
{
    if (kind != Kind::reserved_keyword && kind != Kind::keyword) {
        return false;
    }
    const auto spelled = in(text);
    if (spelled.size() != word.size()) {
        return false;
    }
    // Keywords are ASCII: compare without the locale.
    const auto lower = [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c;
    };
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (lower(spelled[i]) != lower(word[i])) {
            return false;
        }
    }
    return true;
}

Tokens scan(std::string_view text)
{
    auto scanned = scan_once(text);
    if (!scanned.failed) {
        return {.tokens = std::move(scanned.tokens), .complete = true};
    }
    // Unterminated: the error points at where the quote or comment opened.
    if (scanned.error_position <= 1) {
        return {.tokens = {}, .complete = false};
    }
    const auto opened =
        byte_of_character(text, static_cast<std::size_t>(scanned.error_position - 1));
    auto before = scan_once(text.substr(0, opened));
    return {.tokens = before.failed ? std::vector<Token>{} : std::move(before.tokens),
            .complete = false};
}

namespace {

std::optional<Token> first_keyword(std::string_view sql, std::string_view keyword)
{
    for (const auto& token : scan(sql).tokens) {
        if (token.is_keyword(sql, keyword)) {
            return token;
        }
    }
    return std::nullopt;
}

} // namespace

std::vector<std::string> names_as_written(std::string_view sql)
{
    std::vector<std::string> names;
    for (const auto& token : scan(sql).tokens) {
        if (token.kind != Token::Kind::identifier) {
            continue;
        }
        const auto text = token.in(sql);
        std::string name;
        if (text.starts_with('"')) {
            for (std::size_t i = 1; i + 1 < text.size(); ++i) {
                name += text[i];
                if (text[i] == '"' && text[i + 1] == '"') {
                    ++i; // `""` is one `"`
                }
            }
        } else {
            for (const char c : text) {
                name += c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c;
            }
        }
        names.push_back(std::move(name));
    }
    return names;
}

std::string insert_after_keyword(std::string_view sql, std::string_view keyword,
                                 std::string_view text)
{
    std::string out(sql);
    if (const auto found = first_keyword(sql, keyword)) {
        out.insert(found->end, text);
    }
    return out;
}

std::string text_from_keyword(std::string_view sql, std::string_view keyword)
{
    const auto found = first_keyword(sql, keyword);
    return !found ? std::string() : std::string(sql.substr(found->start));
}

} // namespace migsafe::model::detail
