// Format names and the dispatch to each rendering.
#include "platform/enum_names.hpp"

#include <migsafe/plan/render.hpp>

#include <array>

namespace migsafe::plan {

namespace {

constexpr platform::EnumNames<Format, 4> k_format_names{{{{Format::text, "text"},
                                                          {Format::json, "json"},
                                                          {Format::sarif, "sarif"},
                                                          {Format::github, "github"}}}};
static_assert(k_format_names.unique());

} // namespace

std::string_view to_string(Format format) noexcept
{
    return k_format_names.name(format);
}

std::optional<Format> parse_format(std::string_view text) noexcept
{
    return k_format_names.value(text);
}

std::string render(const PlanReport& report, Format format, Colour colour)
{
    switch (format) {
    case Format::text:
        return render_text(report, colour);
    case Format::json:
        return report.to_json();
    case Format::sarif:
        return render_sarif(report);
    case Format::github:
        return render_github(report);
    }
    return report.to_json();
}

} // namespace migsafe::plan
