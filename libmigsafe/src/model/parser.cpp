// The whole text is parsed once: libpg_query's parse result both splits the statements
// (stmt_location/stmt_len, in bytes) and gives each one's tree, so a separate
// pg_query_split_with_parser call would only parse everything twice.
#include "model/source_text.hpp"
#include "model/transform.hpp"

#include <migsafe/model/parser.hpp>
#include <migsafe/platform/error.hpp>

#include <pg_query.h>

#include <memory>
#include <string>

namespace migsafe::model {
namespace {

struct ParseResultDeleter {
    void operator()(PgQueryParseResult* result) const
    {
        pg_query_free_parse_result(*result);
        delete result; // NOLINT(cppcoreguidelines-owning-memory)
    }
};
using ParseResultPtr = std::unique_ptr<PgQueryParseResult, ParseResultDeleter>;

[[noreturn]] void throw_syntax_error(std::string_view sql, const std::filesystem::path& file,
                                     const PgQueryError& error)
{
    // cursorpos is a 1-based character position; 0 means the parser gave none, which
    // happens for errors at the end of the input.
    const std::size_t offset =
        error.cursorpos > 0
            ? detail::byte_of_character(sql, static_cast<std::size_t>(error.cursorpos - 1))
            : sql.size();
    const auto position = detail::position_of_byte(sql, offset);
    throw Error("sql-syntax", error.message != nullptr ? error.message : "syntax error",
                {.file = file.string(), .line = position.line, .column = position.column});
}

std::string_view trim_right(std::string_view text)
{
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\t' ||
                             text.back() == '\r')) {
        text.remove_suffix(1);
    }
    return text;
}

} // namespace

std::vector<Statement> parse_sql(std::string_view sql, const std::filesystem::path& file)
{
    // Thread-safe: libpg_query keeps a memory context per thread and frees it itself when
    // the thread ends (calling pg_query_exit() too would free it twice).
    // libpg_query needs a NUL-terminated string.
    const std::string input(sql);
    ParseResultPtr result(new PgQueryParseResult(pg_query_parse(input.c_str())));
    if (result->error != nullptr) {
        throw_syntax_error(sql, file, *result->error);
    }
    const auto tree = detail::Json::parse(result->parse_tree);
    std::vector<Statement> statements;
    for (const auto& raw : tree.value("stmts", detail::Json::array())) {
        // Absent fields are zero (pitfalls #10): the first statement has no location, the
        // last one has no length when no `;` follows it.
        const auto location = raw.value("stmt_location", std::size_t{0});
        const auto length = raw.value("stmt_len", sql.size() - location);
        const auto start = detail::skip_space_and_comments(sql, location);
        const auto end = std::max(start, location + length);
        Statement statement;
        statement.sql = std::string(trim_right(sql.substr(start, end - start)));
        statement.file = file;
        const auto position = detail::position_of_byte(sql, start);
        statement.line = position.line;
        statement.column = position.column;
        detail::transform_statement(raw.value("stmt", detail::Json::object()), statement);
        statements.push_back(std::move(statement));
    }
    return statements;
}

} // namespace migsafe::model
