// A file is split into statements first, then each statement is parsed on its own, so that
// memory holds one statement's parse tree at a time (a tree and its JSON are 20 to 100
// times the size of the SQL) and the limits below name the statement at fault.
//
// Splitting: libpg_query's scanner split is cheap but does not know `BEGIN ATOMIC ... END`
// bodies and skips text it cannot start a statement with; when its pieces do not cover the
// file, or a piece does not parse on its own, the parser's split (one full parse without a
// tree) decides instead. When the parser rejects the file too, the scanner's pieces stand,
// and each piece the grammar rejects becomes an `unparsed` statement: newer syntax (or a
// typo) that the planner treats as the worst case and the server judges (docs/plan.md).
// Only text the scanner cannot split at all (an unterminated quote or comment) is a
// `sql-syntax` error here.
//
// Stack: libpg_query writes its tree recursively, one frame per level of nesting, and
// `SELECT 1+1+...` nests once per operator; a statement of k_max_statement_bytes can nest
// half a million levels. Parsing therefore runs on a thread with a stack sized for that,
// and trees nested deeper than k_max_nesting_depth are refused before migsafe's own
// (recursive) readers see them.
#include "model/source_text.hpp"
#include "model/transform.hpp"
#include "model/unparsed.hpp"
#include "platform/json_depth.hpp"

#include <migsafe/model/parser.hpp>
#include <migsafe/platform/assert.hpp>
#include <migsafe/platform/error.hpp>

#include <fmt/format.h>
#include <pg_query.h>

#include <exception>
#include <memory>
#include <optional>
#include <string>

#include <pthread.h>

namespace migsafe::model {
namespace {

/// The longest statement parsed, in bytes (its text, comments included).
constexpr std::size_t k_max_statement_bytes = std::size_t{1} << 20;
/// The deepest parse tree accepted, in levels of its JSON form (about three per level of
/// an expression: 1000 nested operators or function calls).
constexpr std::size_t k_max_nesting_depth = 3000;
/// The parsing thread's stack: about 120 bytes per level of nesting, for the deepest tree
/// a statement of k_max_statement_bytes can give (two bytes per level), with room to spare.
constexpr std::size_t k_parse_stack_bytes = std::size_t{256} << 20;

struct ParseResultDeleter {
    void operator()(PgQueryParseResult* result) const
    {
        pg_query_free_parse_result(*result);
        delete result; // NOLINT(cppcoreguidelines-owning-memory)
    }
};
using ParseResultPtr = std::unique_ptr<PgQueryParseResult, ParseResultDeleter>;

struct SplitResultDeleter {
    void operator()(PgQuerySplitResult* result) const
    {
        pg_query_free_split_result(*result);
        delete result; // NOLINT(cppcoreguidelines-owning-memory)
    }
};
using SplitResultPtr = std::unique_ptr<PgQuerySplitResult, SplitResultDeleter>;

/// One statement's bytes in the file.
struct Span {
    std::size_t location = 0;
    std::size_t length = 0;
};

/// Where in `sql` the parser stopped, for an error in the text starting at byte `base`.
detail::SourcePosition error_position(std::string_view sql, std::size_t base,
                                      const PgQueryError& error)
{
    // cursorpos is a 1-based character position in the text parsed (which starts at byte
    // `base` of the file); 0 means the parser gave none, which happens for errors at the
    // end of the input.
    const auto text = sql.substr(base);
    const std::size_t offset =
        base + (error.cursorpos > 0
                    ? detail::byte_of_character(text, static_cast<std::size_t>(error.cursorpos - 1))
                    : text.size());
    return detail::position_of_byte(sql, offset);
}

std::string message_of(const PgQueryError& error)
{
    return error.message != nullptr ? error.message : "syntax error";
}

[[noreturn]] void throw_syntax_error(std::string_view sql, std::size_t base,
                                     const std::filesystem::path& file, const PgQueryError& error)
{
    const auto position = error_position(sql, base, error);
    throw Error("sql-syntax", message_of(error),
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

std::vector<Span> spans_of(const PgQuerySplitResult& result)
{
    std::vector<Span> spans;
    spans.reserve(static_cast<std::size_t>(result.n_stmts));
    for (int i = 0; i < result.n_stmts; ++i) {
        spans.push_back({static_cast<std::size_t>(result.stmts[i]->stmt_location),
                         static_cast<std::size_t>(result.stmts[i]->stmt_len)});
    }
    return spans;
}

/// Whether `spans` (in order) leave nothing but whitespace, comments and `;` between them.
bool covers(std::string_view sql, const std::vector<Span>& spans)
{
    std::size_t at = 0;
    for (std::size_t i = 0; i <= spans.size(); ++i) {
        const auto end = i < spans.size() ? spans[i].location : sql.size();
        if (end < at || end > sql.size()) {
            return false;
        }
        for (at = detail::skip_space_and_comments(sql, at); at < end && sql[at] == ';';) {
            at = detail::skip_space_and_comments(sql, at + 1);
        }
        if (at < end) {
            return false;
        }
        if (i < spans.size()) {
            at = end + spans[i].length;
        }
    }
    return true;
}

/// The statements of `input` by the scanner's split, or nothing when that split cannot be
/// trusted for this text (see the file comment).
std::optional<std::vector<Span>> scanner_spans(const std::string& input)
{
    SplitResultPtr result(new PgQuerySplitResult(pg_query_split_with_scanner(input.c_str())));
    if (result->error != nullptr) {
        return std::nullopt;
    }
    auto spans = spans_of(*result);
    if (!covers(input, spans)) {
        return std::nullopt;
    }
    return spans;
}

/// The statements of `input` by the parser's split. Throws `sql-syntax`.
std::vector<Span> parser_spans(const std::string& input, const std::filesystem::path& file)
{
    SplitResultPtr result(new PgQuerySplitResult(pg_query_split_with_parser(input.c_str())));
    if (result->error != nullptr) {
        throw_syntax_error(input, 0, file, *result->error);
    }
    return spans_of(*result);
}

class FileParser {
public:
    FileParser(std::string_view sql, const std::filesystem::path& file)
        : m_sql(sql)
        , m_file(file)
        , m_positions(sql)
    {
    }

    std::vector<Statement> run()
    {
        // libpg_query needs NUL-terminated strings.
        const std::string input(m_sql);
        auto spans = scanner_spans(input);
        if (!spans) {
            return statements(parser_spans(input, m_file), Split::parser);
        }
        try {
            return statements(*spans, Split::scanner);
        } catch (const NeedsParserSplit&) {
            m_positions = detail::PositionCursor(m_sql);
        }
        try {
            return statements(parser_spans(input, m_file), Split::parser);
        } catch (const Error& error) {
            if (error.code() != "sql-syntax") {
                throw;
            }
            m_positions = detail::PositionCursor(m_sql);
        }
        return statements(*spans, Split::scanner_lenient);
    }

private:
    /// `scanner`: the scanner's pieces, until one does not parse. `parser`: the parser's
    /// split, which throws at the first syntax error. `scanner_lenient`: the scanner's
    /// pieces, a piece the grammar rejects kept as `unparsed`.
    enum class Split { scanner, parser, scanner_lenient };
    struct NeedsParserSplit {};

    std::vector<Statement> statements(const std::vector<Span>& spans, Split split)
    {
        std::vector<Statement> out;
        out.reserve(spans.size());
        for (const auto& span : spans) {
            const auto location = std::min(span.location, m_sql.size());
            const auto length = std::min(span.length, m_sql.size() - location);
            out.push_back(statement(location, length, split));
        }
        return out;
    }

    Statement statement(std::size_t location, std::size_t length, Split split)
    {
        const auto start = detail::skip_space_and_comments(m_sql, location);
        const auto end = std::max(start, location + length);
        Statement statement;
        statement.file = m_file;
        const auto position = m_positions.at(start);
        statement.line = position.line;
        statement.column = position.column;
        if (length > k_max_statement_bytes) {
            throw Error(
                "sql-limit-exceeded",
                fmt::format("the statement is {} bytes long, over the limit of {} bytes", length,
                            k_max_statement_bytes),
                {.file = m_file.string(), .line = position.line, .column = position.column});
        }
        const std::string text(m_sql.substr(location, length));
        ParseResultPtr result(new PgQueryParseResult(pg_query_parse(text.c_str())));
        if (result->error != nullptr) {
            if (split == Split::scanner) {
                throw NeedsParserSplit{};
            }
            if (split == Split::parser) {
                throw_syntax_error(m_sql, location, m_file, *result->error);
            }
            auto kept = unparsed(std::move(statement), location, start, end, *result->error);
            if (detail::rejected_by_every_version(kept.as<Unparsed>())) {
                throw_syntax_error(m_sql, location, m_file, *result->error);
            }
            return kept;
        }
        const std::string_view tree_text(result->parse_tree);
        if (platform::json_nesting_depth(tree_text) > k_max_nesting_depth) {
            throw Error(
                "sql-limit-exceeded",
                fmt::format("the statement nests deeper than the limit of {} levels of "
                            "its parse tree",
                            k_max_nesting_depth),
                {.file = m_file.string(), .line = position.line, .column = position.column});
        }
        const auto tree = detail::Json::parse(tree_text);
        const auto& raws = tree.value("stmts", detail::Json::array());
        if (raws.size() != 1) {
            if (split == Split::scanner) {
                throw NeedsParserSplit{};
            }
            MIGSAFE_ASSERT(raws.size() == 1); // the parser's split gives one statement each
        }
        statement.sql = std::string(trim_right(m_sql.substr(start, end - start)));
        detail::transform_statement(raws.front().value("stmt", detail::Json::object()), statement);
        return statement;
    }

    Statement unparsed(Statement statement, std::size_t location, std::size_t start,
                       std::size_t end, const PgQueryError& error) const
    {
        statement.sql = std::string(trim_right(m_sql.substr(start, end - start)));
        statement.kind = StatementKind::unparsed;
        Unparsed details = detail::read_unparsed(statement.sql);
        details.parser_message = message_of(error);
        const auto position = error_position(m_sql, location, error);
        details.error_line = position.line;
        details.error_column = position.column;
        statement.details = std::move(details);
        return statement;
    }

    std::string_view m_sql;
    const std::filesystem::path& m_file;
    detail::PositionCursor m_positions;
};

/// Runs `work` on a thread with a stack of `stack_bytes` and returns its result (or
/// rethrows its exception). Runs it on the calling thread when no such thread can be made.
template <typename Result, typename Work>
Result on_large_stack(std::size_t stack_bytes, Work work)
{
    struct Job {
        Work* work;
        std::optional<Result> result;
        std::exception_ptr failure;
    } job{&work, std::nullopt, nullptr};
    const auto body = [](void* arg) -> void* {
        auto* running = static_cast<Job*>(arg);
        try {
            running->result.emplace((*running->work)());
        } catch (...) {
            running->failure = std::current_exception();
        }
        return nullptr;
    };
    pthread_attr_t attributes;
    pthread_t thread{};
    bool started = false;
    if (::pthread_attr_init(&attributes) == 0) {
        started = ::pthread_attr_setstacksize(&attributes, stack_bytes) == 0 &&
                  ::pthread_create(&thread, &attributes, body, &job) == 0;
        ::pthread_attr_destroy(&attributes);
    }
    if (!started) {
        return work();
    }
    ::pthread_join(thread, nullptr);
    if (job.failure) {
        std::rethrow_exception(job.failure);
    }
    return std::move(*job.result);
}

} // namespace

std::vector<Statement> parse_sql(std::string_view sql, const std::filesystem::path& file)
{
    detail::require_utf8(sql, file);
    // Thread-safe: libpg_query keeps a memory context per thread and frees it itself when
    // the thread ends (calling pg_query_exit() too would free it twice).
    return on_large_stack<std::vector<Statement>>(k_parse_stack_bytes,
                                                  [&] { return FileParser(sql, file).run(); });
}

} // namespace migsafe::model
