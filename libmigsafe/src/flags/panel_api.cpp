// The flags panel's JSON API (panel_api.hpp): reads and changes through the store, with
// the actor `panel:<name>`, the reason and the version the page showed.
#include "flags/panel_api.hpp"

#include <migsafe/flags/json.hpp>
#include <migsafe/flags/snapshot.hpp>
#include <migsafe/flags/store.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>
#include <utility>
#include <vector>

namespace migsafe::flags::detail {
namespace {

using nlohmann::json;

constexpr std::size_t k_max_reason = 2000;
constexpr std::size_t k_max_actor = 64;
constexpr int k_default_events = 50;
constexpr int k_max_events = 500;

Error request_invalid(std::string message)
{
    return Error("panel-request-invalid", std::move(message));
}

std::string dump(const json& value)
{
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

json parse_body(std::string_view body)
{
    auto value = json::parse(body, nullptr, false);
    if (value.is_discarded() || !value.is_object()) {
        throw request_invalid("the request body is not a JSON object");
    }
    return value;
}

std::string string_field(const json& body, const char* name, std::string fallback = {})
{
    const auto it = body.find(name);
    if (it == body.end() || it->is_null()) {
        return fallback;
    }
    if (!it->is_string()) {
        throw request_invalid(fmt::format("`{}` must be a string", name));
    }
    return it->get<std::string>();
}

std::int64_t integer_field(const json& body, const char* name, std::string_view what)
{
    const auto it = body.find(name);
    if (it == body.end() || !it->is_number_integer()) {
        throw request_invalid(fmt::format("`{}` (an integer) is required: {}", name, what));
    }
    return it->get<std::int64_t>();
}

std::string trimmed(std::string text)
{
    const auto space = [](unsigned char c) { return std::isspace(c) != 0; };
    text.erase(text.begin(), std::find_if_not(text.begin(), text.end(), space));
    text.erase(std::find_if_not(text.rbegin(), text.rend(), space).base(), text.end());
    return text;
}

/// `panel:<name>`, the name typed in the login box (default `panel`).
std::string actor_of(const json& body)
{
    auto name = trimmed(string_field(body, "actor"));
    if (name.empty()) {
        name = "panel";
    }
    const bool valid =
        name.size() <= k_max_actor && std::all_of(name.begin(), name.end(), [](unsigned char c) {
            return std::isalnum(c) != 0 || c == '.' || c == '_' || c == '-' || c == '@';
        });
    if (!valid) {
        throw request_invalid(fmt::format("the name `{}` is not 1..{} letters, digits or . _ - @",
                                          name, k_max_actor));
    }
    return "panel:" + name;
}

Change change_of(const json& body, std::string_view key)
{
    auto reason = trimmed(string_field(body, "reason"));
    if (reason.empty()) {
        throw Error("flag-reason-required",
                    fmt::format("a change to flag {} needs a reason; nothing was changed", key),
                    {.object = std::string(key)},
                    "type the reason in the dialog; it goes to the flag's event log");
    }
    if (reason.size() > k_max_reason) {
        throw request_invalid(fmt::format("the reason is longer than {} bytes", k_max_reason));
    }
    return Change{.actor = actor_of(body),
                  .reason = std::move(reason),
                  .expected_version = integer_field(
                      body, "version", "the version of the flag's environment the page showed")};
}

/// Runs `work` on a pooled session; errors become responses. A session that saw a
/// database error is closed rather than reused (it may be in a failed state).
template <typename Work>
ApiResponse with_session(SessionPool& pool, Work&& work)
{
    try {
        auto lease = pool.acquire();
        try {
            return ApiResponse{.status = 200, .body = work(*lease)};
        } catch (const Error& e) {
            if (e.code().rfind("db-", 0) == 0) {
                lease.discard();
            }
            throw;
        }
    } catch (const Error& e) {
        return error_response(e);
    }
}

} // namespace

PanelApi::PanelApi(SessionPool& pool, std::string default_env)
    : m_pool(pool)
    , m_default_env(std::move(default_env))
{
}

ApiResponse PanelApi::list_flags(std::string_view env_param)
{
    const std::string env = env_param.empty() ? m_default_env : std::string(env_param);
    return with_session(m_pool, [&](platform::Session& session) {
        const auto flags = flags::list_flags(session);
        const auto now = Clock::now();
        std::set<std::string> environments{env, m_default_env};
        json stale = json::array();
        for (const auto& flag : flags) {
            for (const auto& state : flag.environments) {
                environments.insert(state.env);
            }
            if (flag.stale_in(env, now)) {
                stale.push_back(flag.key);
            }
        }
        // The flags' JSON is the library's, spliced in as it is (500 flags are not
        // parsed again just to be wrapped).
        return fmt::format(R"({{"env":{},"default_env":{},"environments":{},"now":{},)"
                           R"("stale":{},"flags":{}}})",
                           dump(env), dump(m_default_env), dump(environments),
                           dump(format_time(now)), dump(stale), to_json(flags));
    });
}

ApiResponse PanelApi::events(std::string_view key, std::string_view env, std::string_view limit)
{
    int count = k_default_events;
    if (!limit.empty()) {
        const auto* end = limit.data() + limit.size();
        const auto [ptr, ec] = std::from_chars(limit.data(), end, count);
        if (ec != std::errc() || ptr != end || count < 1 || count > k_max_events) {
            return error_response(request_invalid(
                fmt::format("limit={} is not a number 1..{}", limit, k_max_events)));
        }
    }
    return with_session(m_pool, [&](platform::Session& session) {
        const auto events =
            key.empty() ? recent_events(session, count) : flag_history(session, key, env, count);
        return fmt::format(R"({{"events":{}}})", to_json(events));
    });
}

ApiResponse PanelApi::change(std::string_view key, std::string_view action, std::string_view body)
{
    json request;
    Change change;
    std::string env;
    int percentage = 0;
    try {
        request = parse_body(body);
        env = string_field(request, "env", m_default_env);
        change = change_of(request, key);
        if (action == "rollout") {
            const auto value = integer_field(request, "percentage", "the rollout 0..100");
            percentage = static_cast<int>(std::clamp<std::int64_t>(value, -1, 101));
        }
    } catch (const Error& e) {
        return error_response(e);
    }
    return with_session(m_pool, [&](platform::Session& session) {
        Flag flag;
        if (action == "enable") {
            flag = set_enabled(session, key, env, true, change);
        } else if (action == "disable" || action == "kill") {
            flag = set_enabled(session, key, env, false, change);
        } else if (action == "rollout") {
            flag = set_rollout(session, key, env, percentage, change);
        } else {
            throw request_invalid(fmt::format("unknown action `{}`: use enable, disable, kill "
                                              "or rollout",
                                              action));
        }
        return fmt::format(R"({{"flag":{}}})", to_json(flag));
    });
}

ApiResponse PanelApi::evaluate(std::string_view body)
{
    json request;
    std::string key, user_id, env;
    std::vector<std::pair<std::string, std::string>> attributes;
    try {
        request = parse_body(body);
        key = trimmed(string_field(request, "key"));
        if (key.empty()) {
            throw request_invalid("`key` (the flag to evaluate) is required");
        }
        user_id = string_field(request, "user_id");
        env = string_field(request, "env", m_default_env);
        if (const auto it = request.find("attributes"); it != request.end() && !it->is_null()) {
            if (!it->is_object()) {
                throw request_invalid("`attributes` must be an object of strings");
            }
            for (const auto& [name, value] : it->items()) {
                if (!value.is_string()) {
                    throw request_invalid(fmt::format("attribute `{}` must be a string", name));
                }
                attributes.emplace_back(name, value.get<std::string>());
            }
        }
    } catch (const Error& e) {
        return error_response(e);
    }
    return with_session(m_pool, [&](platform::Session& session) {
        const Snapshot snapshot(flags::list_flags(session), m_default_env);
        if (snapshot.find(key) == nullptr) {
            (void)get_flag(session, key); // throws flag-unknown with "did you mean"
        }
        Context context{.user_id = user_id, .env = env, .attributes = {}};
        for (const auto& [name, value] : attributes) {
            context.attributes.emplace_back(name, value);
        }
        const auto explanation = snapshot.explain(key, context);
        const json result{
            {"key", key},
            {"env", explanation.env},
            {"user_id", user_id},
            {"enabled", explanation.enabled},
            {"bucket", explanation.bucket ? json(*explanation.bucket) : json(nullptr)},
            {"reason", explanation.reason}};
        return dump(result);
    });
}

} // namespace migsafe::flags::detail
