#include <migsafe/platform/conninfo.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/libpq_environment.hpp>

#include <fmt/format.h>

#include <memory>

#include <libpq-fe.h>

namespace migsafe::platform {

std::vector<std::pair<std::string, std::string>> libpq_environment(std::string_view conninfo)
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
                    fmt::format("invalid connection string {}: {}", redact_conninfo(conninfo),
                                redact_secret_in(reason, conninfo)));
    }
    std::vector<std::pair<std::string, std::string>> env;
    for (auto* option = options.get(); option->keyword != nullptr; ++option) {
        if (option->val != nullptr && option->envvar != nullptr && *option->val != '\0') {
            env.emplace_back(option->envvar, option->val);
        }
    }
    return env;
}

} // namespace migsafe::platform
