#pragma once

// Small helpers over a statement's SQL text, for what the statement model does not type
// (REINDEX, CLUSTER, REFRESH, ALTER DOMAIN, ...) and for writing fixes from the original.

#include <string>
#include <string_view>
#include <vector>

namespace migsafe::plan::detail {

/// A keyword or identifier of `sql`, uppercased, with its offset in `sql`. String
/// literals, quoted identifiers' quotes and comments are skipped; punctuation is a
/// one-character word.
struct Word {
    std::string text; ///< uppercased (quoted identifiers as written)
    std::size_t offset = 0;
    std::string identifier; ///< as PostgreSQL folds it: lowercase unless quoted
};

/// The words of `sql`, in order.
std::vector<Word> words_of(std::string_view sql);

/// True when the uppercase `word` appears in `words`.
bool has_word(const std::vector<Word>& words, std::string_view word);

/// `sql` with `text` inserted right after the first occurrence of the uppercase word
/// `after`; `sql` unchanged when there is none.
std::string insert_after(std::string_view sql, std::string_view after, std::string_view text);

/// `sql` from the first occurrence of the uppercase word `from` to the end; empty when
/// there is none.
std::string tail_from(std::string_view sql, std::string_view from);

/// The schema-qualified relation named by the words at `at` (`name` or `schema . name`);
/// advances `at` past it. Empty when `at` is past the end.
std::string relation_at(const std::vector<Word>& words, std::size_t& at);

/// The index of the first word equal to `word` at or after `from`, or `words.size()`.
std::size_t find_word(const std::vector<Word>& words, std::string_view word, std::size_t from = 0);

/// The column of a `CHECK (c IS NOT NULL)` in `sql`, or empty.
std::string not_null_check_column(std::string_view sql);

} // namespace migsafe::plan::detail
