#pragma once
// The flags panel's JSON API, apart from HTTP: each call takes a request's parameters
// and body, works on a pooled session, and returns the status and the JSON body
// (docs/flags.md, "Panel", API). Errors become `{"error": {code, message, hint}}` with
// the status `http_status` gives.

#include "flags/panel_pool.hpp"

#include <migsafe/platform/error.hpp>

#include <string>
#include <string_view>

namespace migsafe::flags::detail {

struct ApiResponse {
    int status = 200;
    std::string body; ///< JSON
};

/// The HTTP status for an error: 404 unknown flag, 409 conflict (a stale version, an
/// existing or archived flag), 400 bad input or usage, 503 the database unavailable,
/// 500 anything else.
int http_status(const Error& error) noexcept;
/// `{"error": {"code", "message", "hint"}}` with `http_status`.
ApiResponse error_response(const Error& error);

class PanelApi {
public:
    PanelApi(SessionPool& pool, std::string default_env);

    /// GET /api/flags?env=ENV: every flag, the environments known, the stale keys.
    ApiResponse list_flags(std::string_view env);
    /// GET /api/events?key=K&env=E&limit=N: a flag's history, or the newest events.
    ApiResponse events(std::string_view key, std::string_view env, std::string_view limit);
    /// POST /api/flags/KEY/ACTION (`enable`, `disable`, `kill`, `rollout`) with
    /// `{"env", "reason", "version", "actor"[, "percentage"]}`.
    ApiResponse change(std::string_view key, std::string_view action, std::string_view body);
    /// POST /api/eval with `{"key", "user_id", "env"[, "attributes": {name: value}]}`.
    ApiResponse evaluate(std::string_view body);

private:
    SessionPool& m_pool;
    std::string m_default_env;
};

} // namespace migsafe::flags::detail
