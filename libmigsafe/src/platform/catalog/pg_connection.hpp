#pragma once
// A thin libpq connection for what libpqxx 6.4 cannot do well: COPY TO STDOUT streamed row
// by row (PQgetCopyData) on the same connection as the snapshot transaction. Private to
// the library; every failure becomes a migsafe::Error with the SQLSTATE in its context.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::platform::catalog {

/// One value in text format; nullopt is SQL NULL.
using Value = std::optional<std::string>;
/// Rows of text values.
using Rows = std::vector<std::vector<Value>>;

/// One libpq connection. Not thread-safe; move-only.
class PgConnection {
public:
    /// Connects with `conninfo` (URL or key=value). Throws `db-connect-failed` (password
    /// redacted from the message).
    static PgConnection connect(const std::string& conninfo, const std::string& application_name);

    PgConnection(PgConnection&& other) noexcept;
    PgConnection& operator=(PgConnection&& other) noexcept;
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;
    ~PgConnection();

    /// Runs `sql` (may hold several statements, no parameters). Throws `db-query-failed`.
    void exec(const std::string& sql);
    /// Runs one statement with `params` as `$1`, `$2`, ... and returns its rows in text.
    Rows query(const std::string& sql, const std::vector<Value>& params = {});
    /// Runs `COPY ... TO STDOUT` (text format) and calls `on_row` with each row's text,
    /// without its newline. Returns the number of rows. Throws `db-query-failed`.
    std::uint64_t copy_out(const std::string& sql,
                           const std::function<void(std::string_view)>& on_row);
    /// The server version number, e.g. 150018.
    int server_version() const;

private:
    struct State;
    explicit PgConnection(std::unique_ptr<State> state);
    std::unique_ptr<State> m_state;
};

} // namespace migsafe::platform::catalog
