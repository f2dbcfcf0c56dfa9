// XXH3-128 through the header-only xxHash (XXH_INLINE_ALL, set by the build): libpg_query
// exports an older copy of the XXH3 symbols that would otherwise win at link time
// (docs/toolchain.md #1).
#include <migsafe/platform/hash.hpp>

#include <fmt/format.h>
#include <xxhash.h>

namespace migsafe {

struct Hasher::State {
    XXH3_state_t xxh;
};

std::string Hash128::to_hex() const
{
    return fmt::format("{:016x}{:016x}", high, low);
}

std::optional<Hash128> Hash128::from_hex(std::string_view text)
{
    if (text.size() != 32) {
        return std::nullopt;
    }
    auto parse_half = [](std::string_view half) -> std::optional<std::uint64_t> {
        std::uint64_t value = 0;
        for (char c : half) {
            int digit = 0;
            if (c >= '0' && c <= '9') {
                digit = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                digit = c - 'a' + 10;
            } else if (c >= 'A' && c <= 'F') {
                digit = c - 'A' + 10;
            } else {
                return std::nullopt;
            }
            value = (value << 4U) | static_cast<std::uint64_t>(digit);
        }
        return value;
    };
    auto high = parse_half(text.substr(0, 16));
    auto low = parse_half(text.substr(16));
    if (!high || !low) {
        return std::nullopt;
    }
    return Hash128{*high, *low};
}

Hash128 xxh3_128(std::string_view data) noexcept
{
    XXH128_hash_t h = XXH3_128bits(data.data(), data.size());
    return {h.high64, h.low64};
}

Hasher::Hasher()
    : m_state(std::make_unique<State>())
{
    reset();
}
Hasher::~Hasher() = default;
Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;

void Hasher::update(std::string_view data) noexcept
{
    XXH3_128bits_update(&m_state->xxh, data.data(), data.size());
}

Hash128 Hasher::digest() const noexcept
{
    XXH128_hash_t h = XXH3_128bits_digest(&m_state->xxh);
    return {h.high64, h.low64};
}

void Hasher::reset() noexcept
{
    XXH3_128bits_reset(&m_state->xxh);
}

} // namespace migsafe
