// libpq directly: PQgetCopyData hands out one COPY row per call, which lets the integrity
// engine hash rows as they arrive without buffering a table.
#include "platform/catalog/pg_connection.hpp"

#include "platform/sqlstate.hpp"

#include <migsafe/platform/conninfo.hpp>
#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

#include <array>

#include <libpq-fe.h>

namespace migsafe::platform::catalog {

struct PgConnection::State {
    PGconn* conn = nullptr;
    std::string conninfo;
    ~State()
    {
        if (conn != nullptr) {
            PQfinish(conn);
        }
    }
};

namespace {

struct ResultDeleter {
    void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

std::string trimmed(std::string text)
{
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    return text;
}

[[noreturn]] void fail(PGconn* conn, const PGresult* result, const std::string& conninfo,
                       std::string_view what)
{
    const char* primary =
        result != nullptr ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    std::string message = primary != nullptr ? primary : "";
    if (message.empty()) {
        message = PQerrorMessage(conn);
    }
    const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    std::string sqlstate = state != nullptr ? state : "";
    message = fmt::format("{} failed: {}", what, redact_secret_in(trimmed(message), conninfo));
    if (PQstatus(conn) == CONNECTION_BAD || detail::sqlstate_means_connection_lost(sqlstate)) {
        throw Error(
            "db-connection-lost",
            fmt::format("lost the connection to '{}': {}", redact_conninfo(conninfo), message),
            {.sqlstate = sqlstate});
    }
    throw Error(detail::error_code_for_sqlstate(sqlstate), message, {.sqlstate = sqlstate});
}

std::string_view first_words(const std::string& sql)
{
    return std::string_view(sql).substr(0, sql.find_first_of(" \n("));
}

} // namespace

PgConnection::PgConnection(std::unique_ptr<State> state)
    : m_state(std::move(state))
{
}
PgConnection::PgConnection(PgConnection&& other) noexcept = default;
PgConnection& PgConnection::operator=(PgConnection&& other) noexcept = default;
PgConnection::~PgConnection() = default;

PgConnection PgConnection::connect(const std::string& conninfo, const std::string& application_name)
{
    const std::array<const char*, 3> keys = {"dbname", "fallback_application_name", nullptr};
    const std::array<const char*, 3> values = {conninfo.c_str(), application_name.c_str(), nullptr};
    auto state = std::make_unique<State>();
    state->conninfo = conninfo;
    state->conn = PQconnectdbParams(keys.data(), values.data(), 1);
    if (state->conn == nullptr || PQstatus(state->conn) != CONNECTION_OK) {
        std::string message =
            state->conn != nullptr ? PQerrorMessage(state->conn) : "out of memory";
        throw Error("db-connect-failed",
                    fmt::format("could not connect to '{}': {}", redact_conninfo(conninfo),
                                redact_secret_in(trimmed(message), conninfo)));
    }
    return PgConnection(std::move(state));
}

void PgConnection::exec(const std::string& sql)
{
    Result r(PQexec(m_state->conn, sql.c_str()));
    auto status = PQresultStatus(r.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        fail(m_state->conn, r.get(), m_state->conninfo, first_words(sql));
    }
}

Rows PgConnection::query(const std::string& sql, const std::vector<Value>& params)
{
    std::vector<const char*> raw;
    raw.reserve(params.size());
    for (const auto& p : params) {
        raw.push_back(p ? p->c_str() : nullptr);
    }
    Result r(PQexecParams(m_state->conn, sql.c_str(), static_cast<int>(raw.size()), nullptr,
                          raw.data(), nullptr, nullptr, 0));
    if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) {
        fail(m_state->conn, r.get(), m_state->conninfo, first_words(sql));
    }
    Rows rows(static_cast<std::size_t>(PQntuples(r.get())));
    int columns = PQnfields(r.get());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        auto row = static_cast<int>(i);
        for (int c = 0; c < columns; ++c) {
            if (PQgetisnull(r.get(), row, c) != 0) {
                rows[i].emplace_back(std::nullopt);
            } else {
                rows[i].emplace_back(
                    std::string(PQgetvalue(r.get(), row, c),
                                static_cast<std::size_t>(PQgetlength(r.get(), row, c))));
            }
        }
    }
    return rows;
}

std::uint64_t PgConnection::copy_out(const std::string& sql,
                                     const std::function<void(std::string_view)>& on_row)
{
    PGconn* conn = m_state->conn;
    Result start(PQexec(conn, sql.c_str()));
    if (PQresultStatus(start.get()) != PGRES_COPY_OUT) {
        fail(conn, start.get(), m_state->conninfo, "COPY");
    }
    std::uint64_t rows = 0;
    for (;;) {
        char* buffer = nullptr;
        int length = PQgetCopyData(conn, &buffer, 0);
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
    Result end(PQgetResult(conn));
    if (PQresultStatus(end.get()) != PGRES_COMMAND_OK) {
        fail(conn, end.get(), m_state->conninfo, "COPY");
    }
    while (Result extra{PQgetResult(conn)}) {
    }
    return rows;
}

int PgConnection::server_version() const
{
    return PQserverVersion(m_state->conn);
}

} // namespace migsafe::platform::catalog
