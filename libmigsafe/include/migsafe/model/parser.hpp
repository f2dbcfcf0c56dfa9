#pragma once

#include <migsafe/export.hpp>
#include <migsafe/model/statement.hpp>

#include <filesystem>
#include <string_view>
#include <vector>

namespace migsafe::model {

/// Parses `sql` (the text of `file`) with PostgreSQL's own parser (libpg_query, PostgreSQL
/// 15 grammar) into statements, in order, each with the 1-based line and column of its
/// first token (leading whitespace and comments skipped). `file` is only used in
/// locations and messages. PL/pgSQL bodies (DO, CREATE FUNCTION) stay opaque text.
/// Throws `sql-syntax` (exit 2) with `file:line:column` of the parser's error position and
/// the parser's message. Cost: one parse of the whole text, about 1 MB/s.
MIGSAFE_API std::vector<Statement> parse_sql(std::string_view sql,
                                             const std::filesystem::path& file);

} // namespace migsafe::model
