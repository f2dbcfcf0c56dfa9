// Sessions over raw libpq: its result fields give the SQLSTATE, detail and hint directly,
// which libpqxx 6.4 folds into one message (docs/toolchain.md #8).
#include "platform/logging.hpp"
#include "platform/one_line.hpp"
#include "platform/sqlstate.hpp"

#include <migsafe/platform/conninfo.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/session.hpp>

#include <cerrno>
#include <memory>

#include <libpq-fe.h>
#include <poll.h>

namespace migsafe::platform {
namespace {

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

void log_notice(void* /*unused*/, const char* message)
{
    detail::log_debug("server notice: {}", one_line(message));
}

std::string field(const PGresult* result, int code)
{
    const char* value = result == nullptr ? nullptr : PQresultErrorField(result, code);
    return value == nullptr ? std::string() : std::string(value);
}

std::vector<const char*> param_pointers(const Params& params)
{
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& param : params) {
        values.push_back(param ? param->c_str() : nullptr);
    }
    return values;
}

long affected_rows(PGresult* result)
{
    const char* text = PQcmdTuples(result);
    return text == nullptr || *text == '\0' ? 0 : std::strtol(text, nullptr, 10);
}

} // namespace

struct Session::State {
    explicit State(ConnInfo given)
        : conninfo(std::move(given))
    {
    }
    State(const State&) = delete;
    State& operator=(const State&) = delete;
    State(State&&) = delete;
    State& operator=(State&&) = delete;

    PGconn* conn = nullptr;
    ConnInfo conninfo; ///< its masked text names the server in messages

    ~State() { PQfinish(conn); }

    [[noreturn]] void fail(const PGresult* result) const
    {
        std::string sqlstate = field(result, PG_DIAG_SQLSTATE);
        std::string primary = field(result, PG_DIAG_MESSAGE_PRIMARY);
        if (primary.empty()) {
            primary = one_line(PQerrorMessage(conn));
        }
        std::string detail_text = field(result, PG_DIAG_MESSAGE_DETAIL);
        std::string message = detail_text.empty()
                                  ? primary
                                  : fmt::format("{} (detail: {})", primary, one_line(detail_text));
        message = conninfo.mask_secrets_in(message);
        ErrorContext context{.sqlstate = sqlstate};
        if (PQstatus(conn) == CONNECTION_BAD || detail::sqlstate_means_connection_lost(sqlstate)) {
            throw Error("db-connection-lost",
                        fmt::format("lost the connection to {}: {}", conninfo.masked(), message),
                        context);
        }
        throw Error(detail::error_code_for_sqlstate(sqlstate), message, context,
                    field(result, PG_DIAG_MESSAGE_HINT));
    }

    /// Ends a COPY the caller did not expect, leaving the connection usable.
    void abandon_copy(ExecStatusType status) const
    {
        if (status == PGRES_COPY_IN) {
            PQputCopyEnd(conn, "not supported by migsafe");
        } else {
            char* buffer = nullptr;
            while (PQgetCopyData(conn, &buffer, 0) > 0) {
                PQfreemem(buffer);
            }
        }
        while (PGresult* rest = PQgetResult(conn)) {
            PQclear(rest);
        }
    }

    ResultPtr check(PGresult* raw) const
    {
        ResultPtr result(raw, &PQclear);
        auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
        if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK ||
            status == PGRES_EMPTY_QUERY) {
            return result;
        }
        if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
            abandon_copy(status);
            throw Error("db-query-failed",
                        "COPY FROM STDIN and COPY TO STDOUT cannot run through Session::exec or "
                        "query");
        }
        fail(result.get());
    }

    ResultPtr run(std::string_view sql, const Params& params) const
    {
        detail::log_debug("sql: {} ({} parameters)", sql, params.size());
        auto values = param_pointers(params);
        return check(PQexecParams(conn, std::string(sql).c_str(), static_cast<int>(values.size()),
                                  nullptr, values.data(), nullptr, nullptr, 0));
    }
};

Session::Session(std::unique_ptr<State> state)
    : m_state(std::move(state))
{
}
Session::Session(Session&& other) noexcept = default;
Session& Session::operator=(Session&& other) noexcept = default;
Session::~Session() = default;

Session Session::connect(std::string_view conninfo, const SessionOptions& options)
{
    return connect(ConnInfo::parse(conninfo), options);
}

Session Session::connect(const ConnInfo& conninfo, const SessionOptions& options)
{
    auto state = std::make_unique<State>(conninfo);
    const auto& masked = state->conninfo.masked();

    // Later keywords override earlier ones, including those inside the expanded conninfo.
    const std::string timeout = std::to_string(options.connect_timeout.count());
    std::vector<const char*> keys{"connect_timeout", "dbname", "application_name"};
    std::vector<const char*> values{timeout.c_str(), state->conninfo.text().c_str(),
                                    options.application_name.c_str()};
    if (!options.dbname.empty()) {
        keys.push_back("dbname");
        values.push_back(options.dbname.c_str());
    }
    keys.push_back(nullptr);
    values.push_back(nullptr);
    state->conn = PQconnectdbParams(keys.data(), values.data(), 1);
    if (state->conn == nullptr || PQstatus(state->conn) != CONNECTION_OK) {
        std::string reason =
            state->conn == nullptr ? "out of memory" : one_line(PQerrorMessage(state->conn));
        throw Error("db-connect-failed",
                    fmt::format("could not connect to {}: {}", masked,
                                state->conninfo.mask_secrets_in(reason)),
                    {.object = masked});
    }
    PQsetNoticeProcessor(state->conn, &log_notice, nullptr);
    detail::log_debug("connected to {} (server {}, pid {})", masked, PQserverVersion(state->conn),
                      PQbackendPID(state->conn));
    return Session(std::move(state));
}

long Session::exec(std::string_view sql)
{
    detail::log_debug("sql: {}", sql);
    auto result = m_state->check(PQexec(m_state->conn, std::string(sql).c_str()));
    return affected_rows(result.get());
}

long Session::exec_params(std::string_view sql, const Params& params)
{
    return affected_rows(m_state->run(sql, params).get());
}

std::uint64_t Session::copy_out(std::string_view sql,
                                const std::function<void(std::string_view)>& on_row)
{
    // PQgetCopyData hands out one row per call: the integrity engine hashes rows as they
    // arrive without buffering a table.
    detail::log_debug("sql: {}", sql);
    PGconn* conn = m_state->conn;
    ResultPtr start(PQexec(conn, std::string(sql).c_str()), &PQclear);
    if (PQresultStatus(start.get()) != PGRES_COPY_OUT) {
        m_state->check(start.release()); // throws the server's error
        throw Error("db-query-failed", "not a COPY ... TO STDOUT: " + std::string(sql));
    }
    std::uint64_t rows = 0;
    for (;;) {
        char* buffer = nullptr;
        const int length = PQgetCopyData(conn, &buffer, 0);
        if (length < 0) {
            break;
        }
        std::unique_ptr<char, decltype(&PQfreemem)> owned(buffer, &PQfreemem);
        auto size = static_cast<std::size_t>(length);
        if (size > 0 && buffer[size - 1] == '\n') {
            --size;
        }
        on_row(std::string_view(buffer, size));
        ++rows;
    }
    auto end = m_state->check(PQgetResult(conn)); // the COPY's own outcome
    while (PGresult* rest = PQgetResult(conn)) {
        PQclear(rest);
    }
    return rows;
}

QueryResult Session::query(std::string_view sql, const Params& params)
{
    auto result = m_state->run(sql, params);
    QueryResult out;
    const int columns = PQnfields(result.get());
    const int rows = PQntuples(result.get());
    for (int c = 0; c < columns; ++c) {
        out.columns.emplace_back(PQfname(result.get(), c));
    }
    out.rows.reserve(static_cast<std::size_t>(rows));
    for (int r = 0; r < rows; ++r) {
        auto& row = out.rows.emplace_back();
        row.reserve(static_cast<std::size_t>(columns));
        for (int c = 0; c < columns; ++c) {
            if (PQgetisnull(result.get(), r, c) != 0) {
                row.emplace_back(std::nullopt);
            } else {
                row.emplace_back(
                    std::string(PQgetvalue(result.get(), r, c),
                                static_cast<std::size_t>(PQgetlength(result.get(), r, c))));
            }
        }
    }
    out.affected = affected_rows(result.get());
    return out;
}

Value Session::query_value(std::string_view sql, const Params& params)
{
    auto result = query(sql, params);
    if (result.rows.empty() || result.rows.front().empty()) {
        return std::nullopt;
    }
    return result.rows.front().front();
}

int Session::server_version() const
{
    return PQserverVersion(m_state->conn);
}

std::vector<Session::Notification>
Session::wait_for_notifications(std::chrono::milliseconds timeout)
{
    const auto take = [this] {
        std::vector<Notification> out;
        while (PGnotify* notify = PQnotifies(m_state->conn)) {
            out.push_back(Notification{notify->relname, notify->extra});
            PQfreemem(notify);
        }
        return out;
    };
    const auto lost = [this] {
        return Error("db-connection-lost",
                     fmt::format("lost the connection to {} while waiting for notifications: {}",
                                 m_state->conninfo.masked(),
                                 m_state->conninfo.mask_secrets_in(
                                     one_line(PQerrorMessage(m_state->conn)))));
    };
    if (auto ready = take(); !ready.empty()) {
        return ready;
    }
    pollfd socket{PQsocket(m_state->conn), POLLIN, 0};
    if (socket.fd < 0) {
        throw lost();
    }
    const int polled = ::poll(&socket, 1, static_cast<int>(timeout.count()));
    if (polled < 0 && errno != EINTR) {
        throw lost();
    }
    if (polled > 0 &&
        (PQconsumeInput(m_state->conn) == 0 || PQstatus(m_state->conn) == CONNECTION_BAD)) {
        throw lost();
    }
    return take();
}

int Session::backend_pid() const
{
    return PQbackendPID(m_state->conn);
}

std::function<void()> Session::canceller() const
{
    std::shared_ptr<PGcancel> cancel(PQgetCancel(m_state->conn), &PQfreeCancel);
    return [cancel] {
        if (cancel) {
            char error[256] = {};
            PQcancel(cancel.get(), error, sizeof error);
        }
    };
}

const std::string& Session::redacted_conninfo() const
{
    return m_state->conninfo.masked();
}

const ConnInfo& Session::conninfo() const
{
    return m_state->conninfo;
}

std::string quote_literal(std::string_view text)
{
    const bool backslash = text.find('\\') != std::string_view::npos;
    std::string out = backslash ? "E'" : "'";
    for (char c : text) {
        out += c;
        if (c == '\'' || (backslash && c == '\\')) {
            out += c;
        }
    }
    return out + "'";
}

std::string conninfo_with_dbname(std::string_view conninfo, std::string_view dbname)
{
    return ConnInfo::parse(conninfo).other_database(dbname).text();
}

} // namespace migsafe::platform
