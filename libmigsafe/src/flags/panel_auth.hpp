#pragma once
// Who may use the flags panel's API, and which writes a browser may send: the bearer
// token (compared in constant time), the JSON content type and the same origin
// (docs/flags.md, "Panel", security model).

#include <string_view>

namespace migsafe::flags::detail {

/// Whether `given` equals `expected`, in a time that depends only on `expected`'s length
/// (never on where the first difference is).
bool constant_time_equal(std::string_view given, std::string_view expected) noexcept;

/// The token of an `Authorization` header value `Bearer <token>` (the scheme in any case),
/// or empty when the header is not one.
std::string_view bearer_token(std::string_view authorization) noexcept;

/// Whether a request with this `Authorization` header value carries `token`.
bool authorized(std::string_view authorization, std::string_view token) noexcept;

/// Whether `content_type` is `application/json` (parameters such as a charset allowed).
bool is_json_content_type(std::string_view content_type) noexcept;

/// Whether a write may come from `origin` (the `Origin` header, empty when absent) to the
/// panel reached as `host` (the `Host` header): absent, or `http://HOST` / `https://HOST`.
/// `Origin: null` (sandboxed frames, files) is refused.
bool same_origin(std::string_view origin, std::string_view host) noexcept;

} // namespace migsafe::flags::detail
