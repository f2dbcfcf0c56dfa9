#pragma once

#include <migsafe/export.hpp>

#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace migsafe {

/// What kind of failure an error is; it decides the exit code (ARCHITECTURE.md, "Contracts").
enum class Category {
    usage,       ///< bad command-line usage, nothing done (exit 2)
    input,       ///< bad input file or value, nothing done (exit 2)
    environment, ///< something outside is unavailable, nothing done, retry may work (exit 3)
    failed,      ///< the operation failed and the database is as before (exit 4)
    partial,     ///< the operation failed part-way: state uncertain or partial (exit 5)
    internal,    ///< a bug in migsafe (exit 70)
};

/// What the database (or store) looks like after the error.
enum class State {
    unchanged,   ///< nothing was changed
    rolled_back, ///< changes were made and rolled back
    uncertain,   ///< changes may have been made; the message says how to finish
};

/// Where an error happened, as far as it is known. Every field is optional.
struct ErrorContext {
    std::string file{};       ///< input file at fault
    int line = 0;             ///< 1-based line in `file` (0: unknown)
    int column = 0;           ///< 1-based column in `line` (0: unknown)
    int statement_index = -1; ///< 0-based statement index in `file` (-1: unknown)
    std::string object{};     ///< database object or option at fault (`public.t`, `--db`)
    std::string sqlstate{};   ///< PostgreSQL SQLSTATE, when the server raised it
};

/// One row of the error table: a stable code, its category and a default hint.
/// docs/errors.md is generated from this table (see `error_table()`).
struct ErrorCodeInfo {
    std::string_view code;    ///< stable kebab-case code, e.g. `sql-syntax`
    Category category;        ///< decides the exit code
    State state;              ///< the state this error leaves behind by default
    bool retryable;           ///< whether running the same command again may succeed
    std::string_view summary; ///< one line: what the error means
    std::string_view hint;    ///< one sentence: what to do (the default hint)
};

/// The only exception type that leaves libmigsafe. Carries a stable `code` from the
/// error table, a lowercase `message` without a final period that names the file:line,
/// object or option at fault, a one-sentence `hint` and the context.
class MIGSAFE_API Error : public std::runtime_error {
public:
    /// Builds an error for `code` (which must be in `error_table()`; an unknown code is a
    /// bug and becomes `internal-unknown-error-code`). An empty `hint` takes the table's.
    Error(std::string_view code, std::string message, ErrorContext context = {},
          std::string hint = {});

    const std::string& code() const noexcept { return m_code; }
    Category category() const noexcept { return m_category; }
    const std::string& message() const noexcept { return m_message; }
    const std::string& hint() const noexcept { return m_hint; }
    const ErrorContext& context() const noexcept { return m_context; }
    bool retryable() const noexcept { return m_retryable; }
    State state() const noexcept { return m_state; }

    /// Returns a copy with a different state (e.g. rolled_back after a ROLLBACK).
    Error with_state(State state) const;

    /// `file:line:column: message` (as far as known), without the hint.
    std::string located_message() const;

private:
    std::string m_code;
    Category m_category;
    std::string m_message;
    std::string m_hint;
    ErrorContext m_context;
    bool m_retryable;
    State m_state;
};

/// The whole error table, sorted by code. Cost: none (static data).
MIGSAFE_API std::span<const ErrorCodeInfo> error_table() noexcept;

/// The table row for `code`, or nullopt.
MIGSAFE_API std::optional<ErrorCodeInfo> find_error_code(std::string_view code) noexcept;

/// The process exit code for a category (2, 3, 4, 5 or 70).
MIGSAFE_API int exit_code_for(Category category) noexcept;

/// The stable name of a category (`usage`, `input`, ...) and of a state.
MIGSAFE_API std::string_view to_string(Category category) noexcept;
MIGSAFE_API std::string_view to_string(State state) noexcept;

/// docs/errors.md, generated from `error_table()`.
MIGSAFE_API std::string render_error_table_markdown();

} // namespace migsafe
