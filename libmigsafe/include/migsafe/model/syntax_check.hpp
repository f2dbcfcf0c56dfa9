#pragma once

/// A live server's parser as the judge of statements PostgreSQL 15's parser rejects
/// (`StatementKind::unparsed`): newer syntax that server accepts, or a typo that fails the
/// plan or the run before anything is done.

#include <migsafe/export.hpp>
#include <migsafe/model/statement.hpp>
#include <migsafe/platform/session.hpp>

#include <span>
#include <string_view>
#include <vector>

namespace migsafe::model {

/// Asks `session`'s server whether its grammar accepts `statement` (an unparsed one; any
/// other is left alone), without running it: no lock is taken on what it names. Accepted:
/// sets `Unparsed::accepted_by_server` to the server's version. Rejected: throws
/// `sql-syntax` (exit 2) at the statement's file:line:column with both parsers' messages.
/// Throws the session's errors when the server cannot be asked (e.g. no TEMP privilege).
MIGSAFE_API void confirm_unparsed(Statement& statement, platform::Session& session);

/// `confirm_unparsed` for every unparsed statement of `files`, on one connection to
/// `conninfo`, opened only when there is such a statement. Returns how many were asked.
MIGSAFE_API int confirm_unparsed(std::span<std::vector<Statement>* const> files,
                                 std::string_view conninfo);

} // namespace migsafe::model
