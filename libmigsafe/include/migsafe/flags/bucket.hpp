#pragma once

/// Gradual rollout buckets, computed the way Unleash's SDKs compute them, so that a team
/// moving between Unleash and migsafe's flags keeps every user in the same bucket
/// (docs/flags.md): MurmurHash3 (x86, 32 bits, seed 0) of `GROUP:ID`, modulo 100, plus 1.

#include <migsafe/export.hpp>

#include <cstdint>
#include <string_view>

namespace migsafe::flags {

/// MurmurHash3_x86_32 of `data` with `seed` (Austin Appleby's reference algorithm).
MIGSAFE_API std::uint32_t murmur3_32(std::string_view data, std::uint32_t seed = 0) noexcept;

/// The bucket of `id` in `group` (a flag's key, or its rollout group): 1..`normalizer`.
/// Unleash's `normalizedValue(id, groupId)`: murmur3_32("GROUP:ID", 0) % normalizer + 1.
MIGSAFE_API int normalized_value(std::string_view id, std::string_view group,
                                 int normalizer = 100) noexcept;

/// Whether `id` is inside a rollout of `percentage` (0..100) in `group`: its bucket is at
/// most the percentage. Growing the percentage never turns an id off; 0 turns every id
/// off, 100 every id on.
MIGSAFE_API bool in_rollout(std::string_view id, std::string_view group, int percentage) noexcept;

} // namespace migsafe::flags
