#include <migsafe/integrity/checksum.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

using migsafe::integrity::Checksum;

namespace {

Checksum of(const std::vector<std::string>& rows)
{
    Checksum c;
    for (const auto& row : rows) {
        c.add_row(row);
    }
    return c;
}

} // namespace

TEST_CASE("integrity::Checksum::add_row does not depend on row order")
{
    CHECK(of({"1\ta", "2\tb", "3\t\\N"}) == of({"3\t\\N", "1\ta", "2\tb"}));
}

TEST_CASE("integrity::Checksum::add_row keeps duplicates: two identical rows are not zero rows")
{
    Checksum empty;
    Checksum twice = of({"1\ta", "1\ta"});
    CHECK(twice.rows == 2);
    CHECK(twice.sum_high != 0);
    CHECK(twice != empty);
    CHECK(of({"x", "1\ta", "1\ta"}) != of({"x"}));
}

TEST_CASE("integrity::Checksum::add_row tells byte-different rows apart")
{
    CHECK(of({"1.0"}) != of({"1.00"}));
    CHECK(of({"-0"}) != of({"0"}));
    CHECK(of({"\\N"}) != of({""}));
}

TEST_CASE("integrity::Checksum::merge equals hashing all rows at once")
{
    Checksum a = of({"1", "2"});
    a.merge(of({"3"}));
    CHECK(a == of({"1", "2", "3"}));
}

TEST_CASE("integrity::Checksum::sums_hex round-trips through from_parts")
{
    Checksum c = of({"a", "b"});
    auto back = Checksum::from_parts(c.rows, c.sums_hex());
    REQUIRE(back);
    CHECK(*back == c);
    CHECK(c.sums_hex().size() == 32);
    CHECK_FALSE(Checksum::from_parts(1, "xyz"));
}

TEST_CASE("integrity::Checksum::add_hash wraps modulo 2^64")
{
    Checksum c;
    c.add_hash({~0ULL, ~0ULL});
    c.add_hash({1, 2});
    CHECK(c.sum_high == 0);
    CHECK(c.sum_low == 1);
    CHECK(c.rows == 2);
}
