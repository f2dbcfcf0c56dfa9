#pragma once

#include <migsafe/export.hpp>
#include <migsafe/platform/hash.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace migsafe::integrity {

/// The order-independent checksum of a multiset of rows: the row count plus the sums,
/// modulo 2^64, of the high and low halves of each row's XXH3-128. Sums (not XOR) keep
/// duplicates: two identical rows are not zero rows. Two checksums of disjoint row sets
/// merge by addition, so a table can be hashed in any order and in pieces.
struct Checksum {
    std::uint64_t rows = 0;     ///< number of rows added
    std::uint64_t sum_high = 0; ///< sum of the rows' high hash halves, modulo 2^64
    std::uint64_t sum_low = 0;  ///< sum of the rows' low hash halves, modulo 2^64

    friend bool operator==(const Checksum&, const Checksum&) = default;

    /// Adds one row given by its text (a COPY text line without its newline).
    /// Cost: one XXH3-128 of `row_text`.
    MIGSAFE_API void add_row(std::string_view row_text) noexcept;
    /// Adds one row given by its hash.
    MIGSAFE_API void add_hash(const Hash128& row_hash) noexcept;
    /// Adds every row of `other` (a disjoint set of rows).
    MIGSAFE_API void merge(const Checksum& other) noexcept;
    /// The two sums as 32 lowercase hex digits, `sum_high` first (the row count is
    /// reported apart).
    MIGSAFE_API std::string sums_hex() const;
    /// Reads `rows` and the 32 hex digits `sums_hex()` writes; nullopt when malformed.
    MIGSAFE_API static std::optional<Checksum> from_parts(std::uint64_t rows,
                                                          std::string_view sums_hex);
};

} // namespace migsafe::integrity
