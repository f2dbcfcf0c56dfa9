#include "platform/catalog/syntax_queries.hpp"

#include "platform/transaction_control.hpp"

#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

namespace migsafe::platform::catalog {
namespace {

/// A dollar-quote tag that does not occur in `text`.
std::string dollar_tag(std::string_view text)
{
    for (int n = 0;; ++n) {
        auto tag = fmt::format("$migsafe_syntax_{}$", n);
        if (text.find(tag) == std::string_view::npos) {
            return tag;
        }
    }
}

} // namespace

SyntaxVerdict server_syntax_check(Session& conn, std::string_view statement)
{
    const auto tag = dollar_tag(statement);
    begin_transaction(conn);
    SyntaxVerdict verdict{.accepted = true};
    try {
        conn.exec("SET LOCAL check_function_bodies = on");
        conn.exec(fmt::format("CREATE FUNCTION pg_temp.migsafe_syntax_check(anyelement) RETURNS "
                              "void LANGUAGE sql AS {0}\n{1}\n{0}",
                              tag, statement));
    } catch (const Error& error) {
        rollback_transaction(conn);
        if (error.context().sqlstate != "42601") {
            throw;
        }
        verdict = {.accepted = false, .message = error.message()};
        return verdict;
    }
    rollback_transaction(conn);
    return verdict;
}

} // namespace migsafe::platform::catalog
