// How the flags panel's API says an error: the HTTP status and the JSON body
// (panel_api.hpp). The message and hint are the library's, which never hold a password.
#include "flags/panel_api.hpp"

#include <nlohmann/json.hpp>

namespace migsafe::flags::detail {

int http_status(const Error& error) noexcept
{
    const auto& code = error.code();
    if (code == "flag-unknown") {
        return 404;
    }
    if (code == "flag-conflict" || code == "flag-exists" || code == "flag-archived") {
        return 409;
    }
    switch (error.category()) {
    case Category::usage:
    case Category::input:
        return 400;
    case Category::environment:
        return 503;
    default:
        return 500;
    }
}

ApiResponse error_response(const Error& error)
{
    const nlohmann::json body{
        {"error", {{"code", error.code()}, {"message", error.message()}, {"hint", error.hint()}}}};
    return {.status = http_status(error),
            .body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

} // namespace migsafe::flags::detail
