#pragma once

#include <migsafe/export.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace migsafe {

/// Removes the secrets (`password`, `sslpassword`) from a libpq connection string, in
/// either form: a URL (`postgresql://user:secret@host/db?password=x`) or `key=value` pairs
/// (`password=secret`, quoted or not). A secret is replaced by `***`; everything else is
/// kept as written, so the result still says which server and user were meant, even when
/// the text does not parse. Use it on every connection string that is printed, logged,
/// stored in a manifest or put in an error (a parsed `platform::ConnInfo` holds its own).
MIGSAFE_API std::string redact_conninfo(std::string_view conninfo);

/// Replaces every occurrence of a secret found in `conninfo` inside `text` by `***`
/// (for server or libpq messages that may echo it). Returns `text` unchanged when the
/// connection string has no secret.
MIGSAFE_API std::string redact_secret_in(std::string_view text, std::string_view conninfo);

} // namespace migsafe

namespace migsafe::platform {

/// One connection setting: libpq's keyword, its environment variable (empty when it has
/// none, e.g. `sslpassword`) and the value.
struct ConnSetting {
    std::string keyword{};
    std::string envvar{};
    std::string value{};
};

/// A libpq connection string, parsed once (libpq's own PQconninfoParse) and carried down
/// instead of the text: what to show (masked), the settings, the environment for child
/// programs and the same server's other databases. Copyable; holds no connection.
class MIGSAFE_API ConnInfo {
public:
    /// Parses `text` (key=value pairs or a postgres:// URI). A `dbname` that is itself a
    /// URI or key=value string is expanded as libpq does (its settings override the
    /// others). Throws `db-conninfo-invalid` (secrets masked). Cost: parsing only.
    static ConnInfo parse(std::string_view text);

    /// The text as given, secrets included: for libpq only, never for people.
    const std::string& text() const noexcept;
    /// The text as written with every secret replaced by `***`: for logs, errors and
    /// manifests.
    const std::string& masked() const noexcept;
    /// The settings given (libpq's keyword order), nested dbname expanded.
    const std::vector<ConnSetting>& settings() const noexcept;
    /// The value of `keyword`, or nullopt when the string does not set it.
    std::optional<std::string> value(std::string_view keyword) const;

    /// `message` with every secret of this connection string (as written and decoded)
    /// replaced by `***`, for libpq or server messages that may echo one.
    std::string mask_secrets_in(std::string_view message) const;

    /// The libpq environment variables (`PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`, ...)
    /// that say the same, for programs that take no connection string (pg_amcheck,
    /// pg_dump without `-d`). PGPASSWORD comes from the string, else from this process's
    /// environment (children do not inherit it, process.hpp).
    std::vector<std::pair<std::string, std::string>> environment() const;
    /// For a child that takes `--dbname=`: the settings as key=value pairs without the
    /// password, and PGPASSWORD (from the string, else this process's) for its
    /// environment. The password never reaches an argument list.
    struct ForProgram {
        std::string conninfo{};
        std::vector<std::pair<std::string, std::string>> env{};
    };
    ForProgram for_program() const;

    /// The same server, user and settings with database `dbname` instead (key=value
    /// pairs, `dbname` last). Used to reach a scratch database beside the target.
    ConnInfo other_database(std::string_view dbname) const;

private:
    ConnInfo() = default;
    std::string m_text{};
    std::string m_masked{};
    std::vector<ConnSetting> m_settings{};
    std::vector<std::string> m_secrets{};
};

/// `value` as a single-quoted conninfo value (`it's` -> `'it\'s'`): the one quoting of a
/// value written into a connection string. Pure.
MIGSAFE_API std::string quote_conninfo_value(std::string_view value);

} // namespace migsafe::platform
