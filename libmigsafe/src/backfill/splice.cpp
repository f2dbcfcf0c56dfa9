// What is at the top level of one statement, from PostgreSQL's own lexer (model/scan.hpp):
// a WHERE inside a string, a quoted identifier, a dollar quote or a comment is no token.
#include "backfill/splice.hpp"

#include "model/scan.hpp"

namespace migsafe::backfill::detail {

ClausePositions find_clauses(std::string_view sql)
{
    ClausePositions positions;
    positions.end = sql.size();
    int depth = 0;
    // An unterminated quote or comment runs to the end: the tokens before it are all.
    for (const auto& token : model::detail::scan(sql).tokens) {
        if (token.is(sql, "(") || token.is(sql, "[")) {
            ++depth;
        } else if (token.is(sql, ")") || token.is(sql, "]")) {
            --depth;
        } else if (token.is(sql, ";") && depth == 0) {
            positions.end = token.start;
            return positions;
        } else if (depth == 0) {
            if (!positions.where && !positions.returning && token.is_keyword(sql, "WHERE")) {
                positions.where = token.start;
            } else if (!positions.returning && token.is_keyword(sql, "RETURNING")) {
                positions.returning = token.start;
            }
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
