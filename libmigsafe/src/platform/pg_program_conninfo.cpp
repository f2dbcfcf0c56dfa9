#include "platform/pg_program_conninfo.hpp"

#include <migsafe/platform/conninfo.hpp>
#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

#include <libpq-fe.h>

namespace migsafe::platform {
namespace {

std::string quoted(std::string_view value)
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

bool is_nested(std::string_view dbname)
{
    return dbname.starts_with("postgresql://") || dbname.starts_with("postgres://") ||
           dbname.find('=') != std::string_view::npos;
}

/// The settings of `conninfo` as PQconninfoParse reads them (no expansion).
std::vector<ConnectionSetting> parse(std::string_view conninfo, std::string_view whole)
{
    const std::string text(conninfo);
    char* parse_error = nullptr;
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
        PQconninfoParse(text.c_str(), &parse_error), &PQconninfoFree);
    if (!options) {
        std::string reason = parse_error != nullptr ? parse_error : "out of memory";
        PQfreemem(parse_error);
        while (!reason.empty() && reason.back() == '\n') {
            reason.pop_back();
        }
        throw Error("db-conninfo-invalid",
                    fmt::format("invalid connection string {}: {}", redact_conninfo(whole),
                                redact_secret_in(reason, whole)));
    }
    std::vector<ConnectionSetting> out;
    for (auto* option = options.get(); option->keyword != nullptr; ++option) {
        if (option->val != nullptr) {
            out.push_back({.keyword = option->keyword,
                           .envvar = option->envvar != nullptr ? option->envvar : "",
                           .value = option->val});
        }
    }
    return out;
}

} // namespace

std::vector<ConnectionSetting> connection_settings(std::string_view conninfo)
{
    auto settings = parse(conninfo, conninfo);
    auto dbname = std::find_if(settings.begin(), settings.end(),
                               [](const auto& s) { return s.keyword == "dbname"; });
    if (dbname == settings.end() || !is_nested(dbname->value)) {
        return settings;
    }
    const std::string nested = dbname->value;
    settings.erase(dbname);
    for (auto& setting : parse(nested, conninfo)) {
        auto same = std::find_if(settings.begin(), settings.end(),
                                 [&](const auto& s) { return s.keyword == setting.keyword; });
        if (same != settings.end()) {
            *same = std::move(setting);
        } else {
            settings.push_back(std::move(setting));
        }
    }
    return settings;
}

ProgramConnection program_connection(std::string_view conninfo)
{
    ProgramConnection out;
    for (const auto& setting : connection_settings(conninfo)) {
        if (setting.keyword == "password") {
            out.env.emplace_back("PGPASSWORD", setting.value);
            continue;
        }
        out.conninfo += fmt::format("{}{}={}", out.conninfo.empty() ? "" : " ", setting.keyword,
                                    quoted(setting.value));
    }
    // Children do not inherit PGPASSWORD (process.hpp): the one that connects gets it here.
    if (const char* password = std::getenv("PGPASSWORD"); out.env.empty() && password != nullptr) {
        out.env.emplace_back("PGPASSWORD", password);
    }
    return out;
}

} // namespace migsafe::platform
