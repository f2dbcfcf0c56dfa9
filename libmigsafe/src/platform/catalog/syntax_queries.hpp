#pragma once
// The server's parser asked about one statement, without running it.

#include <migsafe/platform/session.hpp>

#include <string>
#include <string_view>

namespace migsafe::platform::catalog {

/// What the server's parser says of a statement.
struct SyntaxVerdict {
    bool accepted = false;
    std::string message{}; ///< the server's message when it rejects the statement
};

/// Asks the server whether its grammar accepts `statement`, without running or analysing
/// it: inside a transaction that is rolled back, the statement becomes the body of a
/// temporary SQL function with a polymorphic argument, which PostgreSQL only parses (it
/// cannot analyse a body whose types it does not know yet). No lock is taken on any
/// relation the statement names. Throws the session's errors for anything but a syntax
/// error (SQLSTATE 42601), e.g. when the role may not create temporary objects.
SyntaxVerdict server_syntax_check(Session& conn, std::string_view statement);

} // namespace migsafe::platform::catalog
