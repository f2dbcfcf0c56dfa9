#pragma once

#include <migsafe/export.hpp>
#include <migsafe/platform/conninfo.hpp>
#include <migsafe/platform/identifier.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::platform {

/// One value of a row or a parameter: nullopt is SQL NULL; text format otherwise.
using Value = std::optional<std::string>;
/// Query parameters, sent apart from the SQL text as `$1`, `$2`, ...
using Params = std::vector<Value>;

/// The rows a query returned, in text format.
struct QueryResult {
    std::vector<std::string> columns{};     ///< column names, in order
    std::vector<std::vector<Value>> rows{}; ///< one vector per row, one value per column
    long affected = 0;                      ///< rows inserted, updated or deleted (else 0)
};

/// How to connect.
struct SessionOptions {
    /// Sent as `application_name` (shows in pg_stat_activity), overriding the conninfo's.
    std::string application_name{"migsafe"};
    /// Connect to this database instead of the conninfo's (empty: keep it).
    std::string dbname{};
    /// Give up connecting after this long (libpq's `connect_timeout`, whole seconds).
    std::chrono::seconds connect_timeout{10};
};

/// A database session (one libpq connection). Not thread-safe; move-only. Every failure
/// throws `migsafe::Error` with the SQLSTATE in its context:
/// - `db-lock-timeout` (55P03), `db-statement-timeout` (57014),
///   `db-serialization-failure` (40001), `db-deadlock` (40P01),
/// - `db-connection-lost` when the connection broke (class 08, 57P01-57P03, or libpq's
///   connection status),
/// - `db-query-failed` for anything else, with the server's message, detail and hint.
/// Passwords never appear in messages or logs.
class MIGSAFE_API Session {
public:
    /// Opens a connection from a libpq conninfo or URL. Throws `db-conninfo-invalid` (it
    /// does not parse) or `db-connect-failed` (the message shows the conninfo with the
    /// password masked). Cost: one connection round trip.
    static Session connect(std::string_view conninfo, const SessionOptions& options = {});
    /// Opens a connection from a parsed conninfo (no parsing again). Throws
    /// `db-connect-failed` like the text form.
    static Session connect(const ConnInfo& conninfo, const SessionOptions& options = {});

    Session(Session&& other) noexcept;
    Session& operator=(Session&& other) noexcept;
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;
    ~Session();

    /// Runs `sql` through the simple query protocol: it may hold several statements, but
    /// no parameters. Returns the last statement's affected row count.
    long exec(std::string_view sql);
    /// Runs one statement with `params` bound to `$1`, `$2`, ... (never pasted into the
    /// SQL). Returns the affected row count.
    long exec_params(std::string_view sql, const Params& params);
    /// Runs one statement with `params` and returns its rows.
    QueryResult query(std::string_view sql, const Params& params = {});
    /// The first column of the first row, or nullopt when there is no row or it is NULL.
    Value query_value(std::string_view sql, const Params& params = {});
    /// Runs `COPY ... TO STDOUT` and calls `on_row` with each row's text (without its
    /// newline) as it arrives, so a table is never held in memory. Returns the number of
    /// rows. Throws like `query`; an exception from `on_row` leaves the session unusable.
    std::uint64_t copy_out(std::string_view sql,
                           const std::function<void(std::string_view)>& on_row);

    /// A notification received on a channel this session LISTENs to.
    struct Notification {
        std::string channel;
        std::string payload;
    };
    /// Waits up to `timeout` for notifications (after `LISTEN channel`) and returns those
    /// that arrived, or none on timeout. Throws `db-connection-lost` when the connection
    /// broke meanwhile. Cost: one poll() on the socket; no query is sent.
    std::vector<Notification> wait_for_notifications(std::chrono::milliseconds timeout);

    /// The server version as libpq reports it, e.g. 150018 for 15.18.
    int server_version() const;
    /// The server process id of this session (for pg_terminate_backend, pg_locks).
    int backend_pid() const;
    /// A function that asks the server to cancel whatever this session is running
    /// (libpq's PQcancel), callable from another thread or an interrupt cleanup; it never
    /// throws and does nothing once the statement is over. It stays usable after the
    /// session is closed (the server then has nothing to cancel).
    std::function<void()> canceller() const;
    /// The conninfo this session was opened with, password masked.
    const std::string& redacted_conninfo() const;
    /// The conninfo this session was opened with (to open a sibling session, hand a child
    /// program the connection, or reach another database of the same server).
    const ConnInfo& conninfo() const;

private:
    struct State;
    explicit Session(std::unique_ptr<State> state);
    std::unique_ptr<State> m_state;
};

/// `text` as a SQL string literal: single quotes doubled, and the `E'...'` form with
/// doubled backslashes when it holds a backslash (safe whatever
/// `standard_conforming_strings` says). Pure; no connection needed.
MIGSAFE_API std::string quote_literal(std::string_view text);

/// `conninfo` (key=value or URL) with its dbname replaced by `dbname`, as key=value pairs
/// (`ConnInfo::other_database`). Throws `db-conninfo-invalid`.
MIGSAFE_API std::string conninfo_with_dbname(std::string_view conninfo, std::string_view dbname);

} // namespace migsafe::platform
