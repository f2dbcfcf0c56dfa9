#pragma once
// Private: finding the top-level clauses of an UPDATE's text and AND-ing a predicate into
// it, so that each batch runs the migration's own statement on one key range.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace migsafe::backfill::detail {

/// Byte offsets of the top-level (outside parentheses, brackets, strings, quoted
/// identifiers, dollar quotes and comments) keywords of one UPDATE statement.
struct ClausePositions {
    std::optional<std::size_t> where{};     ///< the `W` of WHERE
    std::optional<std::size_t> returning{}; ///< the `R` of RETURNING
    /// Where the statement ends: its first top-level `;`, else the text's size.
    std::size_t end = 0;
};

/// Scans `sql` with PostgreSQL's own lexer (model/scan.hpp: strings, E'' escapes, quoted
/// identifiers, dollar quotes, nested comments, keywords in any case) and returns where its
/// top-level WHERE and RETURNING are. A quote or comment left open runs to the end of the
/// text. Cost: one pass over the text.
ClausePositions find_clauses(std::string_view sql);

/// `sql` (one UPDATE) with `predicate` AND-ed with its top-level WHERE condition (or added
/// as its WHERE), before any RETURNING. The original condition is kept in parentheses and
/// every splice point starts on a new line, so that a trailing `--` comment in the original
/// never swallows the predicate. Text after a top-level `;` is dropped.
std::string splice_predicate(std::string_view sql, std::string_view predicate);

} // namespace migsafe::backfill::detail
