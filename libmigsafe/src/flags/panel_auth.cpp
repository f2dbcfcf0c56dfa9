// The flags panel's access rules (panel_auth.hpp) and where its token comes from.
#include "flags/panel_auth.hpp"

#include <migsafe/flags/panel.hpp>
#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <string>

namespace migsafe::flags {
namespace {

std::string_view trim(std::string_view text) noexcept
{
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
        text.remove_prefix(1);
    }
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
        text.remove_suffix(1);
    }
    return text;
}

bool iequals(std::string_view a, std::string_view b) noexcept
{
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

} // namespace

std::string panel_token(const std::optional<std::filesystem::path>& token_file)
{
    std::string token;
    std::string source;
    if (token_file) {
        source = token_file->string();
        std::ifstream in(*token_file);
        if (!in) {
            throw Error("panel-token-missing",
                        fmt::format("cannot read the panel's token file {}", source),
                        {.file = source, .object = "--token-file"});
        }
        std::getline(in, token);
    } else {
        source = std::string(k_panel_token_variable);
        const char* value = std::getenv(source.c_str());
        if (value != nullptr) {
            token = value;
        }
    }
    token = std::string(trim(token));
    if (token.empty()) {
        throw Error("panel-token-missing",
                    token_file ? fmt::format("the panel's token file {} is empty", source)
                               : fmt::format("no token for the flags panel: {} is not set and "
                                             "no --token-file was given",
                                             source),
                    {.object = token_file ? "--token-file" : source});
    }
    if (token.size() < k_panel_token_min_length) {
        throw Error("panel-token-weak",
                    fmt::format("the panel's token from {} has {} characters; at least {} "
                                "are needed",
                                source, token.size(), k_panel_token_min_length),
                    {.object = token_file ? "--token-file" : source});
    }
    return token;
}

namespace detail {

bool constant_time_equal(std::string_view given, std::string_view expected) noexcept
{
    // Every byte of `expected` is compared, whatever `given` holds; a length difference
    // is folded into the same accumulator instead of returning early.
    unsigned difference = given.size() == expected.size() ? 0U : 1U;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto g = i < given.size() ? static_cast<unsigned char>(given[i]) : 0U;
        difference |= g ^ static_cast<unsigned char>(expected[i]);
    }
    return difference == 0;
}

std::string_view bearer_token(std::string_view authorization) noexcept
{
    authorization = trim(authorization);
    constexpr std::string_view k_scheme = "bearer";
    if (authorization.size() <= k_scheme.size() ||
        !iequals(authorization.substr(0, k_scheme.size()), k_scheme) ||
        authorization[k_scheme.size()] != ' ') {
        return {};
    }
    return trim(authorization.substr(k_scheme.size() + 1));
}

bool authorized(std::string_view authorization, std::string_view token) noexcept
{
    const auto given = bearer_token(authorization);
    return !token.empty() && !given.empty() && constant_time_equal(given, token);
}

bool is_json_content_type(std::string_view content_type) noexcept
{
    const auto media = trim(content_type.substr(0, content_type.find(';')));
    return iequals(media, "application/json");
}

bool same_origin(std::string_view origin, std::string_view host) noexcept
{
    if (origin.empty()) {
        // Browsers send Origin on every cross-origin POST; a request without one comes
        // from the page itself (older engines) or from a program that has the token.
        return true;
    }
    for (std::string_view scheme : {"http://", "https://"}) {
        if (origin.size() > scheme.size() && iequals(origin.substr(0, scheme.size()), scheme)) {
            return !host.empty() && iequals(origin.substr(scheme.size()), host);
        }
    }
    return false;
}

} // namespace detail
} // namespace migsafe::flags
