#include "platform/catalog/syntax_queries.hpp"

#include <migsafe/model/syntax_check.hpp>
#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

#include <optional>

namespace migsafe::model {

void confirm_unparsed(Statement& statement, platform::Session& session)
{
    auto* unparsed = std::get_if<Unparsed>(&statement.details);
    if (unparsed == nullptr) {
        return;
    }
    const auto verdict = platform::catalog::server_syntax_check(session, statement.sql);
    if (verdict.accepted) {
        unparsed->accepted_by_server = session.server_version();
        return;
    }
    throw Error("sql-syntax",
                fmt::format("{}; the server, PostgreSQL {}, rejects it too: {}",
                            unparsed->parser_message, session.server_version() / 10000,
                            verdict.message),
                {.file = statement.file.string(),
                 .line = unparsed->error_line,
                 .column = unparsed->error_column});
}

int confirm_unparsed(std::span<std::vector<Statement>* const> files, std::string_view conninfo)
{
    std::optional<platform::Session> session;
    int asked = 0;
    for (auto* statements : files) {
        for (auto& statement : *statements) {
            if (statement.kind != StatementKind::unparsed) {
                continue;
            }
            if (!session) {
                session.emplace(platform::Session::connect(
                    conninfo, {.application_name = "migsafe (syntax check)"}));
            }
            confirm_unparsed(statement, *session);
            ++asked;
        }
    }
    return asked;
}

} // namespace migsafe::model
