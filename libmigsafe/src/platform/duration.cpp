#include <migsafe/platform/duration.hpp>
#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cstdint>
#include <limits>

namespace migsafe {
namespace {

struct Unit {
    std::string_view suffix;
    std::int64_t milliseconds;
};

// Longest suffixes first so that "ms" is not read as "m".
constexpr std::array<Unit, 6> k_units{{
    {"ms", 1},
    {"s", 1000},
    {"m", 60 * 1000},
    {"h", 3600 * 1000},
    {"d", 24 * 3600 * 1000},
    {"", 1000},
}};

} // namespace

std::chrono::milliseconds parse_duration(std::string_view text, std::string_view option)
{
    auto fail = [&] {
        return Error("input-invalid-duration",
                     option.empty() ? fmt::format("invalid duration '{}'", text)
                                    : fmt::format("invalid duration '{}' for {}", text, option),
                     {.object = std::string(option)});
    };
    std::int64_t value = 0;
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    auto [rest, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc() || rest == begin || value < 0) {
        throw fail();
    }
    std::string_view suffix(rest, static_cast<std::size_t>(end - rest));
    for (const auto& unit : k_units) {
        if (suffix == unit.suffix) {
            if (value > std::numeric_limits<std::int64_t>::max() / unit.milliseconds) {
                throw fail();
            }
            return std::chrono::milliseconds(value * unit.milliseconds);
        }
    }
    throw fail();
}

std::chrono::milliseconds parse_bound(std::string_view text, std::string_view option)
{
    auto refuse = [&](std::string_view what) {
        return Error("usage-invalid-option",
                     fmt::format("{}: {} would mean no bound at all (the wait could last "
                                 "forever); give a positive duration such as 5s",
                                 option, what),
                     {.object = std::string(option)},
                     fmt::format("pass a positive duration to {}, or leave the option out for "
                                 "its default",
                                 option));
    };
    if (text.empty()) {
        throw refuse("an empty duration");
    }
    auto value = parse_duration(text, option);
    if (value.count() == 0) {
        throw refuse(fmt::format("'{}'", text));
    }
    return value;
}

std::string format_duration(std::chrono::milliseconds duration)
{
    const std::int64_t ms = duration.count();
    if (ms == 0) {
        return "0s";
    }
    for (auto it = k_units.rbegin() + 1; it != k_units.rend(); ++it) {
        if (ms % it->milliseconds == 0) {
            return fmt::format("{}{}", ms / it->milliseconds, it->suffix);
        }
    }
    return fmt::format("{}ms", ms);
}

} // namespace migsafe
