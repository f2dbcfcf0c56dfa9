// ConnInfo: the one place a connection string is parsed (libpq's PQconninfoParse), and
// the one quoting of a conninfo value. Everything else that needs a setting, the masked
// text, a child's environment or another database of the same server asks a ConnInfo.
#include "platform/conninfo_mask.hpp"
#include "platform/one_line.hpp"

#include <migsafe/platform/conninfo.hpp>
#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

#include <libpq-fe.h>

namespace migsafe::platform {
namespace {

bool is_nested(std::string_view dbname)
{
    return dbname.starts_with("postgresql://") || dbname.starts_with("postgres://") ||
           dbname.find('=') != std::string_view::npos;
}

[[noreturn]] void throw_invalid(std::string_view whole, char* parse_error)
{
    std::string reason = parse_error != nullptr ? parse_error : "out of memory";
    PQfreemem(parse_error);
    const std::string line = one_line(reason);
    throw Error("db-conninfo-invalid",
                fmt::format("invalid connection string {}: {}", redact_conninfo(whole),
                            redact_secret_in(line, whole)));
}

/// The settings of `text` as PQconninfoParse reads them (no expansion, no defaults).
std::vector<ConnSetting> parse_settings(std::string_view text, std::string_view whole)
{
    const std::string owned(text);
    char* parse_error = nullptr;
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
        PQconninfoParse(owned.c_str(), &parse_error), &PQconninfoFree);
    if (!options) {
        throw_invalid(whole, parse_error);
    }
    std::vector<ConnSetting> out;
    for (auto* option = options.get(); option->keyword != nullptr; ++option) {
        if (option->val != nullptr) {
            out.push_back({.keyword = option->keyword,
                           .envvar = option->envvar != nullptr ? option->envvar : "",
                           .value = option->val});
        }
    }
    return out;
}

bool is_secret(std::string_view keyword)
{
    return keyword == "password" || keyword == "sslpassword";
}

/// PGPASSWORD of this process, for the child that connects: children do not inherit it
/// (process.hpp).
std::optional<std::string> own_password()
{
    const char* value = std::getenv("PGPASSWORD");
    return value == nullptr ? std::nullopt : std::optional<std::string>(value);
}

} // namespace

ConnInfo ConnInfo::parse(std::string_view text)
{
    ConnInfo out;
    out.m_text = text;
    out.m_settings = parse_settings(text, text);
    auto dbname = std::find_if(out.m_settings.begin(), out.m_settings.end(),
                               [](const auto& s) { return s.keyword == "dbname"; });
    if (dbname != out.m_settings.end() && is_nested(dbname->value)) {
        const std::string nested = dbname->value;
        out.m_settings.erase(dbname);
        for (auto& setting : parse_settings(nested, text)) {
            auto same = std::find_if(out.m_settings.begin(), out.m_settings.end(),
                                     [&](const auto& s) { return s.keyword == setting.keyword; });
            if (same != out.m_settings.end()) {
                *same = std::move(setting);
            } else {
                out.m_settings.push_back(std::move(setting));
            }
        }
    }
    out.m_masked = redact_conninfo(text);
    out.m_secrets = detail::secrets_as_written(text);
    for (const auto& setting : out.m_settings) {
        if (is_secret(setting.keyword) && !setting.value.empty()) {
            out.m_secrets.push_back(setting.value);
        }
    }
    // Longest first, so that a secret containing another is masked whole.
    std::sort(out.m_secrets.begin(), out.m_secrets.end(), [](const auto& a, const auto& b) {
        return a.size() != b.size() ? a.size() > b.size() : a < b;
    });
    out.m_secrets.erase(std::unique(out.m_secrets.begin(), out.m_secrets.end()),
                        out.m_secrets.end());
    return out;
}

const std::string& ConnInfo::text() const noexcept
{
    return m_text;
}

const std::string& ConnInfo::masked() const noexcept
{
    return m_masked;
}

const std::vector<ConnSetting>& ConnInfo::settings() const noexcept
{
    return m_settings;
}

std::optional<std::string> ConnInfo::value(std::string_view keyword) const
{
    for (const auto& setting : m_settings) {
        if (setting.keyword == keyword) {
            return setting.value;
        }
    }
    return std::nullopt;
}

std::string ConnInfo::mask_secrets_in(std::string_view message) const
{
    constexpr std::string_view k_mask = "***";
    std::string out(message);
    for (const auto& secret : m_secrets) {
        std::size_t pos = 0;
        while ((pos = out.find(secret, pos)) != std::string::npos) {
            out.replace(pos, secret.size(), k_mask);
            pos += k_mask.size();
        }
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> ConnInfo::environment() const
{
    std::vector<std::pair<std::string, std::string>> env;
    bool password = false;
    for (const auto& setting : m_settings) {
        if (!setting.envvar.empty() && !setting.value.empty()) {
            env.emplace_back(setting.envvar, setting.value);
            password = password || setting.envvar == "PGPASSWORD";
        }
    }
    if (auto own = own_password(); !password && own) {
        env.emplace_back("PGPASSWORD", std::move(*own));
    }
    return env;
}

ConnInfo::ForProgram ConnInfo::for_program() const
{
    ForProgram out;
    for (const auto& setting : m_settings) {
        if (setting.keyword == "password") {
            out.env.emplace_back("PGPASSWORD", setting.value);
            continue;
        }
        out.conninfo += fmt::format("{}{}={}", out.conninfo.empty() ? "" : " ", setting.keyword,
                                    quote_conninfo_value(setting.value));
    }
    if (auto own = own_password(); out.env.empty() && own) {
        out.env.emplace_back("PGPASSWORD", std::move(*own));
    }
    return out;
}

ConnInfo ConnInfo::other_database(std::string_view dbname) const
{
    ConnInfo out;
    for (const auto& setting : m_settings) {
        if (setting.keyword != "dbname") {
            out.m_settings.push_back(setting);
            out.m_text +=
                fmt::format("{}={} ", setting.keyword, quote_conninfo_value(setting.value));
        }
    }
    out.m_settings.push_back(
        {.keyword = "dbname", .envvar = "PGDATABASE", .value = std::string(dbname)});
    out.m_text += fmt::format("dbname={}", quote_conninfo_value(dbname));
    out.m_masked = redact_conninfo(out.m_text);
    out.m_secrets = m_secrets;
    return out;
}

std::string quote_conninfo_value(std::string_view value)
{
    std::string out = "'";
    for (char c : value) {
        if (c == '\'' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out + "'";
}

} // namespace migsafe::platform
