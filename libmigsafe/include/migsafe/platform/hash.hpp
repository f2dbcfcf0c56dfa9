#pragma once

#include <migsafe/export.hpp>

#include <compare>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace migsafe {

/// An XXH3-128 digest. Its text form is 32 lowercase hex digits, high half first
/// (the canonical form `xxhsum -H2` prints).
struct Hash128 {
    std::uint64_t high = 0;
    std::uint64_t low = 0;

    friend auto operator<=>(const Hash128&, const Hash128&) = default;

    /// 32 lowercase hex digits.
    MIGSAFE_API std::string to_hex() const;
    /// Parses 32 hex digits (either case); nullopt for anything else.
    MIGSAFE_API static std::optional<Hash128> from_hex(std::string_view text);
};

/// XXH3-128 of `data` in one call. Cost: about 20 GB/s on one core.
MIGSAFE_API Hash128 xxh3_128(std::string_view data) noexcept;

/// Streaming XXH3-128: feed it pieces, read the digest of all of them.
class MIGSAFE_API Hasher {
public:
    Hasher();
    ~Hasher();
    Hasher(Hasher&&) noexcept;
    Hasher& operator=(Hasher&&) noexcept;
    Hasher(const Hasher&) = delete;
    Hasher& operator=(const Hasher&) = delete;

    /// Adds `data` to the digest.
    void update(std::string_view data) noexcept;
    /// The digest of everything added so far (more may be added afterwards).
    Hash128 digest() const noexcept;
    /// Starts again from nothing.
    void reset() noexcept;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace migsafe
