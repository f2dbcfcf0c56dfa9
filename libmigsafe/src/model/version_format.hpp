#pragma once
// Private: fmt prints a model::Version as its text (`3`, `1.2.10`, `R__name`), and JSON
// writes it as a number when it is one (as reports did before dotted versions) and as a
// string otherwise.

#include <migsafe/model/version.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

// `{}` prints text(); `{:04}` prints padded(4) (`0003`, but `1.2.10` as it is).
template <>
struct fmt::formatter<migsafe::model::Version> {
    std::size_t width = 0;

    constexpr auto parse(fmt::format_parse_context& context)
    {
        auto it = context.begin();
        if (it != context.end() && *it == '0') {
            ++it;
        }
        while (it != context.end() && *it >= '0' && *it <= '9') {
            width = width * 10 + static_cast<std::size_t>(*it - '0');
            ++it;
        }
        if (it != context.end() && *it != '}') {
            throw fmt::format_error("a Version takes {} or {:0N}");
        }
        return it;
    }

    template <class Context>
    auto format(const migsafe::model::Version& version, Context& context) const
    {
        const std::string text = version.padded(width);
        return std::copy(text.begin(), text.end(), context.out());
    }
};

namespace migsafe::model {

/// nlohmann's hook: a one-part version is a JSON number, any other a string.
inline void to_json(nlohmann::json& json, const Version& version)
{
    if (version.is_number()) {
        json = version.major();
    } else {
        json = version.text();
    }
}

/// nlohmann's hook, the inverse of to_json. Throws nlohmann's type_error for anything else.
inline void from_json(const nlohmann::json& json, Version& version)
{
    if (json.is_number_unsigned()) {
        version = Version(json.get<std::uint64_t>());
        return;
    }
    const auto text = json.get<std::string>();
    auto parsed = Version::parse(text);
    if (!parsed) {
        throw nlohmann::json::type_error::create(302, "not a migration version: " + text, &json);
    }
    version = *parsed;
}

} // namespace migsafe::model
