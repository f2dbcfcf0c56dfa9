#include "platform/pg_program_conninfo.hpp"

#include <migsafe/platform/conninfo.hpp>
#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

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

} // namespace

ProgramConnection program_connection(std::string_view conninfo)
{
    char* parse_error = nullptr;
    const std::string text(conninfo);
    PQconninfoOption* options = PQconninfoParse(text.c_str(), &parse_error);
    if (options == nullptr) {
        PQfreemem(parse_error);
        throw Error("db-conninfo-invalid",
                    fmt::format("invalid connection string {}", redact_conninfo(conninfo)));
    }
    ProgramConnection out;
    for (auto* option = options; option->keyword != nullptr; ++option) {
        if (option->val == nullptr) {
            continue;
        }
        std::string_view keyword = option->keyword;
        if (keyword == "password") {
            out.env.emplace_back("PGPASSWORD", option->val);
            continue;
        }
        out.conninfo +=
            fmt::format("{}{}={}", out.conninfo.empty() ? "" : " ", keyword, quoted(option->val));
    }
    PQconninfoFree(options);
    return out;
}

} // namespace migsafe::platform
