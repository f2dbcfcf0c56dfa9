// Migration versions and their Flyway-compatible order.
#include <migsafe/model/version.hpp>

#include <algorithm>
#include <charconv>

namespace migsafe::model {
namespace {

constexpr std::size_t k_max_part_digits = 18; // fits std::uint64_t

std::optional<std::uint64_t> parse_part(std::string_view digits)
{
    if (digits.empty() || digits.size() > k_max_part_digits) {
        return std::nullopt;
    }
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc{} || end != digits.data() + digits.size()) {
        return std::nullopt;
    }
    return value;
}

} // namespace

Version::Version(std::uint64_t number)
    : m_parts{number}
{
}

std::optional<Version> Version::parse(std::string_view text)
{
    if (text.starts_with("R__")) {
        if (text.size() == 3) {
            return std::nullopt;
        }
        return repeatable(std::string(text.substr(3)));
    }
    Version version;
    version.m_parts.clear();
    std::size_t start = 0;
    while (true) {
        const auto end = text.find_first_of("._", start);
        auto part = parse_part(text.substr(start, end - start));
        if (!part) {
            return std::nullopt;
        }
        version.m_parts.push_back(*part);
        if (end == std::string_view::npos) {
            return version;
        }
        start = end + 1;
    }
}

Version Version::repeatable(std::string name)
{
    Version version;
    version.m_parts.clear();
    version.m_repeatable = true;
    version.m_name = std::move(name);
    return version;
}

std::string Version::text() const
{
    if (m_repeatable) {
        return "R__" + m_name;
    }
    std::string out;
    for (std::size_t i = 0; i < m_parts.size(); ++i) {
        if (i > 0) {
            out += '.';
        }
        out += std::to_string(m_parts[i]);
    }
    return out;
}

std::string Version::padded(std::size_t width) const
{
    std::string out = text();
    if (is_number() && out.size() < width) {
        out.insert(0, width - out.size(), '0');
    }
    return out;
}

std::strong_ordering operator<=>(const Version& a, const Version& b) noexcept
{
    if (a.m_repeatable != b.m_repeatable) {
        return a.m_repeatable ? std::strong_ordering::greater : std::strong_ordering::less;
    }
    if (a.m_repeatable) {
        return a.m_name <=> b.m_name;
    }
    const std::size_t count = std::max(a.m_parts.size(), b.m_parts.size());
    for (std::size_t i = 0; i < count; ++i) {
        const std::uint64_t left = i < a.m_parts.size() ? a.m_parts[i] : 0;
        const std::uint64_t right = i < b.m_parts.size() ? b.m_parts[i] : 0;
        if (left != right) {
            return left <=> right;
        }
    }
    return std::strong_ordering::equal;
}

} // namespace migsafe::model
