// A tokenizer just good enough to find keywords in one statement; the real parse is
// libpg_query's (model/parser.hpp).
#include "plan/sql_text.hpp"

#include <migsafe/platform/identifier.hpp>

#include <algorithm>
#include <cctype>

namespace migsafe::plan::detail {
namespace {

bool word_char(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
}

std::string upper(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return out;
}

std::string lower(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// Skips a quoted run starting at `i` (on the opening `quote`); returns the index after it.
std::size_t skip_quoted(std::string_view sql, std::size_t i, char quote)
{
    for (++i; i < sql.size(); ++i) {
        if (sql[i] == quote) {
            if (i + 1 < sql.size() && sql[i + 1] == quote) {
                ++i;
                continue;
            }
            return i + 1;
        }
    }
    return sql.size();
}

} // namespace

std::vector<Word> words_of(std::string_view sql)
{
    std::vector<Word> words;
    std::size_t i = 0;
    while (i < sql.size()) {
        const char c = sql[i];
        if (std::isspace(static_cast<unsigned char>(c)) != 0) {
            ++i;
        } else if (sql.substr(i, 2) == "--") {
            i = std::min(sql.size(), sql.find('\n', i));
        } else if (sql.substr(i, 2) == "/*") {
            auto end = sql.find("*/", i + 2);
            i = end == std::string_view::npos ? sql.size() : end + 2;
        } else if (c == '\'') {
            i = skip_quoted(sql, i, '\'');
        } else if (c == '"') {
            auto end = skip_quoted(sql, i, '"');
            std::string quoted(sql.substr(i + 1, end - i - 2));
            words.push_back({quoted, i, quoted});
            i = end;
        } else if (word_char(c)) {
            auto start = i;
            while (i < sql.size() && word_char(sql[i])) {
                ++i;
            }
            words.push_back(
                {upper(sql.substr(start, i - start)), start, lower(sql.substr(start, i - start))});
        } else {
            words.push_back({std::string(1, c), i, std::string(1, c)});
            ++i;
        }
    }
    return words;
}

bool has_word(const std::vector<Word>& words, std::string_view word)
{
    return std::any_of(words.begin(), words.end(), [&](const Word& w) { return w.text == word; });
}

std::string insert_after(std::string_view sql, std::string_view after, std::string_view text)
{
    for (const auto& word : words_of(sql)) {
        if (word.text == after) {
            std::string out(sql);
            out.insert(word.offset + after.size(), text);
            return out;
        }
    }
    return std::string(sql);
}

std::string tail_from(std::string_view sql, std::string_view from)
{
    for (const auto& word : words_of(sql)) {
        if (word.text == from) {
            return std::string(sql.substr(word.offset));
        }
    }
    return {};
}

std::string relation_at(const std::vector<Word>& words, std::size_t& at)
{
    if (at >= words.size()) {
        return {};
    }
    if (at + 2 < words.size() && words[at + 1].text == ".") {
        std::string name = platform::qualified_name(words[at].identifier, words[at + 2].identifier);
        at += 3;
        return name;
    }
    return platform::qualified_name("public", words[at++].identifier);
}

std::size_t find_word(const std::vector<Word>& words, std::string_view word, std::size_t from)
{
    for (std::size_t i = from; i < words.size(); ++i) {
        if (words[i].text == word) {
            return i;
        }
    }
    return words.size();
}

std::string not_null_check_column(std::string_view sql)
{
    auto words = words_of(sql);
    for (std::size_t i = 0; i + 6 < words.size(); ++i) {
        if (words[i].text == "CHECK" && words[i + 1].text == "(" && words[i + 3].text == "IS" &&
            words[i + 4].text == "NOT" && words[i + 5].text == "NULL" && words[i + 6].text == ")") {
            return words[i + 2].identifier;
        }
    }
    return {};
}

} // namespace migsafe::plan::detail
