// Rollout buckets compatible with Unleash's SDKs (docs/flags.md, "Buckets").
#include <migsafe/flags/bucket.hpp>

#include <algorithm>
#include <array>
#include <string>

namespace migsafe::flags {
namespace {

constexpr std::uint32_t rotl(std::uint32_t x, int r) noexcept
{
    return (x << r) | (x >> (32 - r));
}

/// The final avalanche of MurmurHash3.
constexpr std::uint32_t fmix(std::uint32_t h) noexcept
{
    h ^= h >> 16;
    h *= 0x85ebca6bU;
    h ^= h >> 13;
    h *= 0xc2b2ae35U;
    h ^= h >> 16;
    return h;
}

} // namespace

std::uint32_t murmur3_32(std::string_view data, std::uint32_t seed) noexcept
{
    constexpr std::uint32_t k_c1 = 0xcc9e2d51U;
    constexpr std::uint32_t k_c2 = 0x1b873593U;
    const auto byte = [&](std::size_t i) {
        return static_cast<std::uint32_t>(static_cast<unsigned char>(data[i]));
    };
    std::uint32_t h = seed;
    const std::size_t blocks = data.size() / 4;
    for (std::size_t i = 0; i < blocks; ++i) {
        // Little-endian 4-byte blocks, whatever the machine's byte order.
        std::uint32_t k = byte(4 * i) | (byte(4 * i + 1) << 8) | (byte(4 * i + 2) << 16) |
                          (byte(4 * i + 3) << 24);
        k *= k_c1;
        k = rotl(k, 15);
        k *= k_c2;
        h ^= k;
        h = rotl(h, 13);
        h = h * 5 + 0xe6546b64U;
    }
    std::uint32_t k = 0;
    const std::size_t tail = blocks * 4;
    switch (data.size() & 3U) {
    case 3:
        k ^= byte(tail + 2) << 16;
        [[fallthrough]];
    case 2:
        k ^= byte(tail + 1) << 8;
        [[fallthrough]];
    case 1:
        k ^= byte(tail);
        k *= k_c1;
        k = rotl(k, 15);
        k *= k_c2;
        h ^= k;
        break;
    default:
        break;
    }
    h ^= static_cast<std::uint32_t>(data.size());
    return fmix(h);
}

int normalized_value(std::string_view id, std::string_view group, int normalizer) noexcept
{
    if (normalizer <= 0) {
        return 0;
    }
    // `GROUP:ID` on the stack: an evaluation allocates nothing for ids of usual length.
    const std::size_t size = group.size() + 1 + id.size();
    std::array<char, 256> buffer{};
    std::string heap;
    char* key = buffer.data();
    if (size > buffer.size()) {
        heap.resize(size);
        key = heap.data();
    }
    std::copy(group.begin(), group.end(), key);
    key[group.size()] = ':';
    std::copy(id.begin(), id.end(), key + group.size() + 1);
    return static_cast<int>(murmur3_32(std::string_view(key, size), 0) %
                            static_cast<std::uint32_t>(normalizer)) +
           1;
}

bool in_rollout(std::string_view id, std::string_view group, int percentage) noexcept
{
    return percentage > 0 && normalized_value(id, group) <= percentage;
}

} // namespace migsafe::flags
