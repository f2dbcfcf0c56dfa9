// Reading a statement PostgreSQL 15's grammar rejects. The scanner (PostgreSQL's lexer)
// still reads newer syntax, because new features mostly reuse existing token kinds;
// only the words' meaning is guessed here, conservatively: a name counts as a relation
// where only a relation can stand in any version's grammar (after TABLE, INTO, FROM, ...).
#include "model/unparsed.hpp"

#include "model/scan.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace migsafe::model::detail {
namespace {

std::string lowercase(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    return out;
}

/// `"a""b"` -> `a"b`.
std::string unquote(std::string_view quoted)
{
    std::string out;
    for (std::size_t i = 1; i + 1 < quoted.size(); ++i) {
        out += quoted[i];
        if (quoted[i] == '"' && quoted[i + 1] == '"') {
            ++i;
        }
    }
    return out;
}

Word word_of(std::string_view text, const Token& token)
{
    switch (token.kind) {
    case Token::Kind::reserved_keyword:
        return {.kind = Word::Kind::reserved_keyword, .text = lowercase(text)};
    case Token::Kind::keyword:
        return {.kind = Word::Kind::keyword, .text = lowercase(text)};
    case Token::Kind::identifier:
        return {.kind = Word::Kind::identifier,
                .text = text.starts_with('"') ? unquote(text) : lowercase(text)};
    case Token::Kind::string:
    case Token::Kind::other:
        break;
    }
    return {.kind = Word::Kind::other, .text = std::string(text)};
}

bool is_name(const Word& word)
{
    return word.kind == Word::Kind::identifier || word.kind == Word::Kind::keyword;
}

bool is_other(const Word& word, std::string_view text)
{
    return word.kind == Word::Kind::other && word.text == text;
}

/// The qualified name starting at `at` (`a`, `a.b`, `db.a.b`), and the index after it.
std::optional<std::pair<RelationName, std::size_t>> name_at(const std::vector<Word>& words,
                                                            std::size_t at)
{
    if (at >= words.size() || !is_name(words[at])) {
        return std::nullopt;
    }
    std::vector<std::string> parts{words[at].text};
    std::size_t next = at + 1;
    while (next + 1 < words.size() && is_other(words[next], ".") && is_name(words[next + 1])) {
        parts.push_back(words[next + 1].text);
        next += 2;
    }
    // `a.b(` is a function call and `a.b.c` past three parts a column: not relations.
    if (parts.size() > 3 || (next < words.size() && is_other(words[next], "("))) {
        return std::pair{RelationName{}, next};
    }
    RelationName name = parts.size() == 1 ? RelationName{"public", parts[0]}
                                          : RelationName{parts[parts.size() - 2], parts.back()};
    return std::pair{std::move(name), next};
}

/// Keywords after which, in every version's grammar, the next name is a relation.
constexpr auto k_before_relation =
    std::to_array<std::string_view>({"table", "into", "from", "join", "update", "references",
                                     "truncate", "partition", "view", "lock"});
/// Words that may stand between such a keyword and the relation.
constexpr auto k_skipped = std::to_array<std::string_view>(
    {"if", "not", "exists", "only", "lateral", "materialized", "table"});

template <std::size_t N>
bool among(const std::array<std::string_view, N>& list, const Word& word)
{
    return word.kind != Word::Kind::identifier &&
           std::find(list.begin(), list.end(), word.text) != list.end();
}

void add_unique(std::vector<RelationName>& list, RelationName name)
{
    if (!name.name.empty() && std::find(list.begin(), list.end(), name) == list.end()) {
        list.push_back(std::move(name));
    }
}

void find_names(Unparsed& out)
{
    const auto& words = out.words;
    // `ON` names a relation in CREATE INDEX/TRIGGER/POLICY/RULE, GRANT ... ON, but a
    // condition in a join or a MERGE.
    const std::string verb = words.empty() ? std::string() : words.front().text;
    bool condition = verb != "create" && verb != "alter" && verb != "drop" && verb != "grant" &&
                     verb != "revoke";
    for (std::size_t i = 0; i < words.size(); ++i) {
        const Word& word = words[i];
        const bool keyword = word.kind != Word::Kind::identifier;
        condition = condition || (keyword && (word.text == "join" || word.text == "using"));
        const bool on_relation = keyword && word.text == "on" && !condition;
        // USING names the source of a MERGE or DELETE, an access method elsewhere.
        const bool using_relation =
            keyword && word.text == "using" && (verb == "merge" || verb == "delete");
        if (among(k_before_relation, word) || on_relation || using_relation) {
            std::size_t at = i + 1;
            while (at < words.size() && among(k_skipped, words[at])) {
                ++at;
            }
            // MERGE's `WHEN MATCHED THEN UPDATE SET`: no relation after UPDATE there.
            if (at < words.size() && words[at].kind != Word::Kind::identifier &&
                words[at].text == "set") {
                continue;
            }
            if (auto found = name_at(words, at)) {
                add_unique(out.relations, found->first);
            }
        }
    }
    for (std::size_t i = 0; i < words.size();) {
        auto found = name_at(words, i);
        if (!found) {
            ++i;
            continue;
        }
        add_unique(out.names, found->first);
        i = std::max(found->second, i + 1);
    }
}

} // namespace

Unparsed read_unparsed(std::string_view text)
{
    Unparsed out;
    const auto scanned = scan(text);
    if (!scanned.complete) {
        return out;
    }
    for (const auto& token : scanned.tokens) {
        out.words.push_back(word_of(token.in(text), token));
    }
    find_names(out);
    return out;
}

bool rejected_by_every_version(const Unparsed& statement)
{
    const auto& words = statement.words;
    const auto keyword = [](const Word& word) {
        return word.kind == Word::Kind::keyword || word.kind == Word::Kind::reserved_keyword;
    };
    if (words.empty() || !keyword(words.front())) {
        return true;
    }
    const std::string& verb = words.front().text;
    if ((verb == "alter" || verb == "create" || verb == "drop") &&
        (words.size() < 2 || !keyword(words[1]))) {
        return true;
    }
    int depth = 0;
    for (const auto& word : words) {
        depth += is_other(word, "(") ? 1 : is_other(word, ")") ? -1 : 0;
        if (depth < 0) {
            return true;
        }
    }
    return depth != 0;
}

} // namespace migsafe::model::detail
