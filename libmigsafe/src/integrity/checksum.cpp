// Row hashes combine by addition modulo 2^64 (unsigned overflow is defined), which is
// commutative and associative: the physical order of rows and the split into pieces
// never change the result, and unlike XOR a duplicated row does not cancel out.
#include <migsafe/integrity/checksum.hpp>

namespace migsafe::integrity {

void Checksum::add_row(std::string_view row_text) noexcept
{
    add_hash(xxh3_128(row_text));
}

void Checksum::add_hash(const Hash128& row_hash) noexcept
{
    ++rows;
    sum_high += row_hash.high;
    sum_low += row_hash.low;
}

void Checksum::merge(const Checksum& other) noexcept
{
    rows += other.rows;
    sum_high += other.sum_high;
    sum_low += other.sum_low;
}

std::string Checksum::sums_hex() const
{
    return Hash128{sum_high, sum_low}.to_hex();
}

std::optional<Checksum> Checksum::from_parts(std::uint64_t rows, std::string_view sums_hex)
{
    auto sums = Hash128::from_hex(sums_hex);
    if (!sums) {
        return std::nullopt;
    }
    return Checksum{rows, sums->high, sums->low};
}

} // namespace migsafe::integrity
