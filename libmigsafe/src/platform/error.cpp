#include "platform/enum_names.hpp"

#include <migsafe/platform/assert.hpp>
#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

namespace migsafe {
namespace {

ErrorCodeInfo lookup_or_unknown(std::string_view code)
{
    if (auto info = find_error_code(code)) {
        return *info;
    }
    auto unknown = find_error_code("internal-unknown-error-code");
    return *unknown;
}

std::string compose_what(std::string_view code, const std::string& located)
{
    return fmt::format("{} [{}]", located, code);
}

std::string locate(const ErrorContext& context, const std::string& message)
{
    if (context.file.empty()) {
        return message;
    }
    std::string where = context.file;
    if (context.line > 0) {
        where += fmt::format(":{}", context.line);
        if (context.column > 0) {
            where += fmt::format(":{}", context.column);
        }
    }
    // The message may already name the file (callers often do): do not repeat it.
    if (message.starts_with(where)) {
        return message;
    }
    return fmt::format("{}: {}", where, message);
}

} // namespace

Error::Error(std::string_view code, std::string message, ErrorContext context, std::string hint)
    : std::runtime_error(compose_what(code, locate(context, message)))
    , m_code(find_error_code(code) ? std::string(code) : "internal-unknown-error-code")
    , m_category(lookup_or_unknown(code).category)
    , m_message(std::move(message))
    , m_hint(hint.empty() ? std::string(lookup_or_unknown(code).hint) : std::move(hint))
    , m_context(std::move(context))
    , m_retryable(lookup_or_unknown(code).retryable)
    , m_state(lookup_or_unknown(code).state)
{
    if (m_code != code) {
        m_message = fmt::format("unknown error code '{}': {}", code, m_message);
    }
}

Error Error::with_state(State state) const
{
    Error copy = *this;
    copy.m_state = state;
    return copy;
}

std::string Error::located_message() const
{
    return locate(m_context, m_message);
}

int exit_code_for(Category category) noexcept
{
    switch (category) {
    case Category::usage:
    case Category::input:
        return 2;
    case Category::environment:
        return 3;
    case Category::failed:
        return 4;
    case Category::partial:
        return 5;
    case Category::internal:
        return 70;
    }
    return 70;
}

constexpr platform::EnumNames<Category, 6> k_category_names{
    {{{Category::usage, "usage"},
      {Category::input, "input"},
      {Category::environment, "environment"},
      {Category::failed, "failed"},
      {Category::partial, "partial"},
      {Category::internal, "internal"}}}};
static_assert(k_category_names.unique());

std::string_view to_string(Category category) noexcept
{
    return k_category_names.name(category);
}

constexpr platform::EnumNames<State, 3> k_state_names{{{{State::unchanged, "unchanged"},
                                                        {State::rolled_back, "rolled_back"},
                                                        {State::uncertain, "uncertain"}}}};
static_assert(k_state_names.unique());

std::string_view to_string(State state) noexcept
{
    return k_state_names.name(state);
}

std::string render_error_table_markdown()
{
    std::string out =
        "# migsafe error codes\n\n"
        "Generated from `libmigsafe/src/platform/error_table.cpp` by "
        "`MIGSAFE_UPDATE_GOLDEN=1 ctest -R unit`; do not edit by hand.\n\n"
        "Every failure carries one of these codes (in the text after the message, and as\n"
        "`error.code` in `--json` output). The category decides the exit code.\n\n"
        "| code | category | exit | state | retry | meaning | hint |\n"
        "|---|---|---|---|---|---|---|\n";
    for (const auto& row : error_table()) {
        out +=
            fmt::format("| `{}` | {} | {} | {} | {} | {} | {} |\n", row.code,
                        to_string(row.category), exit_code_for(row.category), to_string(row.state),
                        row.retryable ? "yes" : "no", row.summary, row.hint);
    }
    return out;
}

namespace detail {
void assertion_failed(const char* condition, const char* file, int line)
{
    throw Error("internal-assertion",
                fmt::format("assertion `{}` failed at {}:{}", condition, file, line));
}
} // namespace detail

} // namespace migsafe
