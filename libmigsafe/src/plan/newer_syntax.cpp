// Newer forms of ALTER TABLE, read from their words. Each form is matched whole: a word
// out of place means "not recognised", and the statement is planned as the worst case.
#include "plan/newer_syntax.hpp"

#include "plan/effects.hpp"

#include <migsafe/platform/identifier.hpp>

#include <fmt/format.h>

#include <span>
#include <string_view>

namespace migsafe::plan::detail {
namespace {

using Words = std::span<const model::Word>;

bool is(const model::Word& word, std::string_view text)
{
    return word.kind != model::Word::Kind::identifier && word.text == text;
}

bool is_name(const model::Word& word)
{
    return word.kind == model::Word::Kind::identifier || word.kind == model::Word::Kind::keyword;
}

/// Consumes `text` at `at` when it is there. Words that PostgreSQL 15 does not know as
/// keywords (VIRTUAL) are identifiers to its scanner: any kind matches.
bool take(Words words, std::size_t& at, std::string_view text)
{
    if (at < words.size() && words[at].kind != model::Word::Kind::other && words[at].text == text) {
        ++at;
        return true;
    }
    return false;
}

/// The words' text joined by spaces, from `from` to `to` (exclusive).
std::string joined(Words words, std::size_t from, std::size_t to)
{
    std::string out;
    for (std::size_t i = from; i < to && i < words.size(); ++i) {
        if (!out.empty() && words[i].text != "(" && words[i].text != ")" &&
            words[i - 1].text != "(") {
            out += ' ';
        }
        out += words[i].kind == model::Word::Kind::identifier ? platform::quote_ident(words[i].text)
                                                              : words[i].text;
    }
    return out;
}

/// Skips a balanced `( ... )` at `at`; false when there is none.
bool skip_parenthesised(Words words, std::size_t& at)
{
    if (at >= words.size() || words[at].text != "(") {
        return false;
    }
    int depth = 0;
    for (; at < words.size(); ++at) {
        depth += words[at].text == "(" ? 1 : words[at].text == ")" ? -1 : 0;
        if (depth == 0) {
            ++at;
            return true;
        }
    }
    return false;
}

/// `[CONSTRAINT c] NOT NULL col [NO INHERIT] [NOT VALID]` after ADD.
std::optional<NewerForm> not_null_constraint(Words words, std::size_t at, const std::string& table)
{
    std::string name;
    if (take(words, at, "constraint")) {
        if (at >= words.size() || !is_name(words[at])) {
            return std::nullopt;
        }
        name = words[at++].text;
    }
    if (!take(words, at, "not") || !take(words, at, "null") || at >= words.size() ||
        !is_name(words[at])) {
        return std::nullopt;
    }
    const std::string column = words[at++].text;
    if (take(words, at, "no") && !take(words, at, "inherit")) {
        return std::nullopt;
    }
    const bool not_valid = take(words, at, "not") && take(words, at, "valid");
    if (at != words.size()) {
        return std::nullopt;
    }
    NewerForm form{.since = 18, .name = "ADD CONSTRAINT ... NOT NULL", .table = table};
    // A NOT NULL constraint checks every row like SET NOT NULL; NOT VALID skips the check
    // like a CHECK constraint added NOT VALID. Both take AccessExclusiveLock.
    form.equivalent =
        not_valid
            ? fmt::format("ALTER TABLE {} ADD CONSTRAINT {} CHECK ({} IS NOT NULL) NOT VALID",
                          table,
                          platform::quote_ident(
                              name.empty() ? short_name(table) + "_" + column + "_not_null" : name),
                          platform::quote_ident(column))
            : fmt::format("ALTER TABLE {} ALTER COLUMN {} SET NOT NULL", table,
                          platform::quote_ident(column));
    if (not_valid) {
        form.name += " NOT VALID";
    }
    return form;
}

/// `ADD [COLUMN] [IF NOT EXISTS] c type GENERATED ALWAYS AS (expr) [VIRTUAL]`: virtual, the
/// default of PostgreSQL 18, changes only the catalog like a plain ADD COLUMN.
std::optional<NewerForm> virtual_column(Words words, std::size_t at, const std::string& table)
{
    take(words, at, "column");
    const std::size_t column_at = at;
    if (take(words, at, "if") && !(take(words, at, "not") && take(words, at, "exists"))) {
        return std::nullopt;
    }
    const std::size_t name_at = at;
    if (at >= words.size() || !is_name(words[at])) {
        return std::nullopt;
    }
    ++at;
    const std::size_t type_from = at;
    while (at < words.size() && !is(words[at], "generated")) {
        ++at;
    }
    const std::size_t type_to = at;
    if (type_to == type_from || !take(words, at, "generated") || !take(words, at, "always") ||
        !take(words, at, "as") || !skip_parenthesised(words, at)) {
        return std::nullopt;
    }
    take(words, at, "virtual");
    if (at != words.size()) {
        return std::nullopt;
    }
    return NewerForm{
        .since = 18,
        .name = "ADD COLUMN ... GENERATED ALWAYS AS (...) VIRTUAL",
        .table = table,
        .equivalent =
            fmt::format("ALTER TABLE {} ADD COLUMN {} {}", table,
                        joined(words, column_at == name_at ? name_at : column_at, name_at + 1),
                        joined(words, type_from, type_to)),
    };
}

} // namespace

std::optional<NewerForm> recognise_newer_form(const model::Unparsed& statement)
{
    const Words words(statement.words);
    std::size_t at = 0;
    if (!take(words, at, "alter") || !take(words, at, "table") || statement.relations.empty()) {
        return std::nullopt;
    }
    take(words, at, "if") && take(words, at, "exists");
    take(words, at, "only");
    // The table's name: `name` or `schema.name`.
    if (at >= words.size() || !is_name(words[at])) {
        return std::nullopt;
    }
    ++at;
    while (at + 1 < words.size() && words[at].text == "." && is_name(words[at + 1])) {
        at += 2;
    }
    take(words, at, "*");
    const std::string table = statement.relations.front().qualified();
    if (take(words, at, "add")) {
        const std::size_t action = at;
        if (auto form = not_null_constraint(words, at, table)) {
            return form;
        }
        return virtual_column(words, action, table);
    }
    if (take(words, at, "alter")) {
        take(words, at, "column");
        if (at < words.size() && is_name(words[at])) {
            ++at;
            if (take(words, at, "set") && take(words, at, "expression") && take(words, at, "as") &&
                skip_parenthesised(words, at) && at == words.size()) {
                return NewerForm{.since = 17,
                                 .name = "ALTER COLUMN ... SET EXPRESSION",
                                 .table = table,
                                 .rewrites = true};
            }
        }
    }
    return std::nullopt;
}

} // namespace migsafe::plan::detail
