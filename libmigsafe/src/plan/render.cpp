// Format names and the dispatch to each rendering.
#include <migsafe/plan/render.hpp>

#include <array>

namespace migsafe::plan {

std::string_view to_string(Format format) noexcept
{
    constexpr std::array<std::string_view, 4> k_names{"text", "json", "sarif", "github"};
    return k_names.at(static_cast<std::size_t>(format));
}

std::optional<Format> parse_format(std::string_view text) noexcept
{
    for (auto format : {Format::text, Format::json, Format::sarif, Format::github}) {
        if (to_string(format) == text) {
            return format;
        }
    }
    return std::nullopt;
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
