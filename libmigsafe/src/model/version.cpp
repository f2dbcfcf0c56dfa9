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
    : parts_{number}
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
    version.parts_.clear();
    std::size_t start = 0;
    while (true) {
        const auto end = text.find_first_of("._", start);
        auto part = parse_part(text.substr(start, end - start));
        if (!part) {
            return std::nullopt;
        }
        version.parts_.push_back(*part);
        if (end == std::string_view::npos) {
            return version;
        }
        start = end + 1;
    }
}

Version Version::repeatable(std::string name)
{
    Version version;
    version.parts_.clear();
    version.repeatable_ = true;
    version.name_ = std::move(name);
    return version;
}

std::string Version::text() const
{
    if (repeatable_) {
        return "R__" + name_;
    }
    std::string out;
    for (std::size_t i = 0; i < parts_.size(); ++i) {
        if (i > 0) {
            out += '.';
        }
        out += std::to_string(parts_[i]);
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
    if (a.repeatable_ != b.repeatable_) {
        return a.repeatable_ ? std::strong_ordering::greater : std::strong_ordering::less;
    }
    if (a.repeatable_) {
        return a.name_ <=> b.name_;
    }
    const std::size_t count = std::max(a.parts_.size(), b.parts_.size());
    for (std::size_t i = 0; i < count; ++i) {
        const std::uint64_t left = i < a.parts_.size() ? a.parts_[i] : 0;
        const std::uint64_t right = i < b.parts_.size() ? b.parts_[i] : 0;
        if (left != right) {
            return left <=> right;
        }
    }
    return std::strong_ordering::equal;
}

} // namespace migsafe::model
