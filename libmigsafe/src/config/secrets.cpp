// No password in migsafe.toml: the file is committed, and a connection belongs in an
// environment variable named by `database_url_env` (docs/config.md, "Passwords").
#include "config/tree.hpp"

#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <regex>
#include <string>

namespace migsafe::config::detail {
namespace {

constexpr std::string_view k_hint =
    "put the connection string in an environment variable and name it with "
    "`database_url_env = \"VAR\"` under [environments.NAME] (docs/config.md)";

std::string lower(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool names_a_password(std::string_view key)
{
    static constexpr std::array<std::string_view, 5> k_names = {"password", "passwd", "pgpassword",
                                                                "db_password", "database_password"};
    const auto name = lower(key);
    return std::find(k_names.begin(), k_names.end(), name) != k_names.end();
}

// `scheme://user:secret@host` (a URL with a password in its user info), or a libpq
// conninfo with `password=` among its keywords.
bool holds_a_password(const std::string& text)
{
    static const std::regex url(R"([A-Za-z][A-Za-z0-9+.\-]*://[^/@\s:]*:[^/@\s]+@)");
    static const std::regex conninfo(R"((^|[\s?&])password\s*=)", std::regex::icase);
    return std::regex_search(text, url) || std::regex_search(text, conninfo);
}

void check(const Node& node)
{
    if (!node.key.empty() && names_a_password(node.key)) {
        throw Error(
            "config-secret", fmt::format("`{}` holds a password: migsafe.toml must not", node.key),
            {.file = node.key_at.file, .line = node.key_at.line, .column = node.key_at.column},
            std::string(k_hint));
    }
    if (node.kind == Node::Kind::string && holds_a_password(node.text)) {
        const auto what = node.key.empty() ? std::string("a value") : "`" + node.key + "`";
        throw Error("config-secret",
                    fmt::format("{} holds a connection string with a password: migsafe.toml "
                                "must not",
                                what),
                    {.file = node.value_at.file,
                     .line = node.value_at.line,
                     .column = node.value_at.column},
                    std::string(k_hint));
    }
    for (const auto& item : node.items) {
        check(item);
    }
}

} // namespace

void refuse_secrets(const Node& root)
{
    check(root);
}

} // namespace migsafe::config::detail
