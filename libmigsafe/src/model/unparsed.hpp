#pragma once

// The statements PostgreSQL 15's grammar rejects, read from their tokens alone.

#include <migsafe/model/statement.hpp>

#include <string_view>

namespace migsafe::model::detail {

/// The words of `text` (one statement) by libpg_query's scanner, and the relations and
/// names they give (see model::Unparsed). The parser's message and position are left for
/// the caller. A text the scanner itself cannot read (an unterminated quote) gives the
/// words read before it.
Unparsed read_unparsed(std::string_view text);

/// True when no PostgreSQL grammar, old or new, can accept `statement`'s words: it is
/// empty, starts with a word that is not a keyword (`SELEC`), has a name where ALTER,
/// CREATE or DROP need a keyword (`ALTER TABLEE`), or its parentheses do not balance.
/// Anything else may be newer syntax.
bool rejected_by_every_version(const Unparsed& statement);

} // namespace migsafe::model::detail
