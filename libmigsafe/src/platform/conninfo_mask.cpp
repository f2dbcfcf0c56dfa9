// Secret masking for libpq connection strings, on the text as written (so that a string
// that does not parse, or an argument that holds one, is masked too, and the masked text
// keeps the user's spelling). The settings themselves are read only by ConnInfo::parse
// (conninfo.cpp, libpq's PQconninfoParse). The two syntaxes are documented in the
// PostgreSQL manual, "Connection Strings" (34.1.1): key = value pairs with optional single
// quotes and backslash escapes, and postgres:// or postgresql:// URIs with percent-encoding
// and query parameters.
#include "platform/conninfo_mask.hpp"

#include <migsafe/platform/conninfo.hpp>

#include <cctype>
#include <optional>
#include <vector>

namespace migsafe {
namespace {

constexpr std::string_view k_mask = "***";

/// The keywords whose values are secrets: masked wherever a connection string is shown.
bool is_secret(std::string_view keyword)
{
    return keyword == "password" || keyword == "sslpassword";
}

bool is_uri(std::string_view s)
{
    return s.starts_with("postgresql://") || s.starts_with("postgres://");
}

/// A located password in the original text: [begin, end).
struct Span {
    std::size_t begin;
    std::size_t end;
};

std::optional<Span> uri_userinfo_password(std::string_view s)
{
    std::size_t start = s.find("://") + 3;
    std::size_t authority_end = s.find_first_of("/?#", start);
    if (authority_end == std::string_view::npos) {
        authority_end = s.size();
    }
    // The last '@' in the authority ends the userinfo (a password may contain '@' only
    // percent-encoded, but be lenient).
    std::size_t at = s.rfind('@', authority_end);
    if (at == std::string_view::npos || at < start) {
        return std::nullopt;
    }
    std::size_t colon = s.find(':', start);
    if (colon == std::string_view::npos || colon > at) {
        return std::nullopt;
    }
    return Span{colon + 1, at};
}

std::string redact_uri(std::string_view s)
{
    std::string out(s);
    if (auto span = uri_userinfo_password(s)) {
        out.replace(span->begin, span->end - span->begin, k_mask);
    }
    // Query parameters: ...?password=x&...
    std::size_t query = out.find('?');
    while (query != std::string::npos) {
        std::size_t key = query + 1;
        std::size_t eq = out.find('=', key);
        std::size_t amp = out.find('&', key);
        if (eq == std::string::npos) {
            break;
        }
        if (amp == std::string::npos || eq < amp) {
            std::string_view name(out.data() + key, eq - key);
            std::size_t value_end = amp == std::string::npos ? out.size() : amp;
            if (is_secret(name)) {
                out.replace(eq + 1, value_end - eq - 1, k_mask);
                value_end = eq + 1 + k_mask.size();
            }
            query = value_end < out.size() ? value_end : std::string::npos;
        } else {
            query = amp;
        }
    }
    return out;
}

/// Walks key=value pairs; calls `on_pair(key, value_begin, value_end)` with offsets into s.
template <typename F>
void walk_pairs(std::string_view s, F on_pair)
{
    std::size_t i = 0;
    auto skip_space = [&] {
        while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])) != 0) {
            ++i;
        }
    };
    while (true) {
        skip_space();
        if (i >= s.size()) {
            return;
        }
        std::size_t key_begin = i;
        while (i < s.size() && s[i] != '=' && std::isspace(static_cast<unsigned char>(s[i])) == 0) {
            ++i;
        }
        std::string_view key = s.substr(key_begin, i - key_begin);
        skip_space();
        if (i >= s.size() || s[i] != '=') {
            return; // malformed: libpq will reject it; nothing more to find
        }
        ++i;
        skip_space();
        std::size_t value_begin = i;
        if (i < s.size() && s[i] == '\'') {
            ++i;
            while (i < s.size() && s[i] != '\'') {
                if (s[i] == '\\' && i + 1 < s.size()) {
                    ++i;
                }
                ++i;
            }
            if (i < s.size()) {
                ++i; // closing quote
            }
        } else {
            while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])) == 0) {
                if (s[i] == '\\' && i + 1 < s.size()) {
                    ++i;
                }
                ++i;
            }
        }
        on_pair(key, value_begin, i);
    }
}

std::string unquote(std::string_view value)
{
    if (value.size() >= 2 && value.front() == '\'') {
        value = value.substr(1, value.size() - 2);
    }
    std::string out;
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (value[i] == '\\' && i + 1 < value.size()) {
            ++i;
        }
        out += value[i];
    }
    return out;
}

int hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

std::string percent_decode(std::string_view s)
{
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
            hex_value(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

/// Whether libpq reads a `dbname` value as a connection string of its own (a URL, or
/// key=value pairs): its password must be masked too.
bool is_nested_conninfo(std::string_view value)
{
    return is_uri(value) || value.find('=') != std::string_view::npos;
}

} // namespace

std::vector<std::string> detail::secrets_as_written(std::string_view conninfo)
{
    std::vector<std::string> found;
    if (is_uri(conninfo)) {
        if (auto span = uri_userinfo_password(conninfo)) {
            auto raw = conninfo.substr(span->begin, span->end - span->begin);
            found.emplace_back(raw);
            found.push_back(percent_decode(raw));
        }
        // Query parameters: ...?password=x&sslpassword=y...
        for (std::size_t at = conninfo.find('?'); at != std::string_view::npos;) {
            const std::size_t begin = at + 1;
            at = conninfo.find('&', begin);
            const auto pair =
                conninfo.substr(begin, at == std::string_view::npos ? at : at - begin);
            if (const auto eq = pair.find('=');
                eq != std::string_view::npos && is_secret(pair.substr(0, eq))) {
                found.emplace_back(pair.substr(eq + 1));
                found.push_back(percent_decode(pair.substr(eq + 1)));
            }
        }
    } else {
        walk_pairs(conninfo, [&](std::string_view key, std::size_t b, std::size_t e) {
            if (is_secret(key)) {
                found.emplace_back(conninfo.substr(b, e - b));
                found.push_back(unquote(conninfo.substr(b, e - b)));
            }
            if (const auto value = unquote(conninfo.substr(b, e - b));
                key == "dbname" && is_nested_conninfo(value)) {
                for (auto& nested : secrets_as_written(value)) {
                    found.push_back(std::move(nested));
                }
            }
        });
    }
    std::erase_if(found, [](const std::string& p) { return p.empty(); });
    return found;
}

std::string redact_conninfo(std::string_view conninfo)
{
    if (is_uri(conninfo)) {
        return redact_uri(conninfo);
    }
    std::string out;
    std::size_t copied = 0;
    walk_pairs(conninfo, [&](std::string_view key, std::size_t b, std::size_t e) {
        if (is_secret(key)) {
            out.append(conninfo.substr(copied, b - copied));
            out.append(k_mask);
            copied = e;
        }
        // libpq expands a dbname that is itself a URL or key=value string
        // (`dbname=postgresql://u:secret@h/d`): its password is masked in place.
        const auto value = unquote(conninfo.substr(b, e - b));
        if (key == "dbname" && is_nested_conninfo(value)) {
            const auto masked = redact_conninfo(value);
            if (masked != value) {
                out.append(conninfo.substr(copied, b - copied));
                out.append(platform::quote_conninfo_value(masked));
                copied = e;
            }
        }
    });
    out.append(conninfo.substr(copied));
    return out;
}

std::string redact_secret_in(std::string_view text, std::string_view conninfo)
{
    std::string out(text);
    for (const auto& secret : detail::secrets_as_written(conninfo)) {
        std::size_t pos = 0;
        while ((pos = out.find(secret, pos)) != std::string::npos) {
            out.replace(pos, secret.size(), k_mask);
            pos += k_mask.size();
        }
    }
    return out;
}

} // namespace migsafe
