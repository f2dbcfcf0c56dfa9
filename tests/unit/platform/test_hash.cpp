#include <migsafe/platform/hash.hpp>

#include <doctest/doctest.h>

using migsafe::Hash128;

TEST_CASE("migsafe::xxh3_128 matches the reference digest of xxhsum -H2")
{
    // `printf 'migsafe' | xxh128sum` and the empty input, from xxHash's own tool.
    CHECK(migsafe::xxh3_128("").to_hex() == "99aa06d3014798d86001c324468d497f");
    CHECK(migsafe::xxh3_128("abc").to_hex() == "06b05ab6733a618578af5f94892f3950");
}

TEST_CASE("migsafe::Hasher streaming equals the one-shot digest")
{
    migsafe::Hasher hasher;
    hasher.update("ab");
    hasher.update("c");
    CHECK(hasher.digest() == migsafe::xxh3_128("abc"));
    hasher.reset();
    CHECK(hasher.digest() == migsafe::xxh3_128(""));
}

TEST_CASE("migsafe::Hash128::from_hex round-trips and rejects bad text")
{
    auto h = migsafe::xxh3_128("podiatry");
    CHECK(Hash128::from_hex(h.to_hex()) == h);
    CHECK_FALSE(Hash128::from_hex("xyz").has_value());
    CHECK_FALSE(Hash128::from_hex(std::string(32, 'g')).has_value());
    CHECK(Hash128::from_hex("0000000000000001000000000000000A") == Hash128{1, 10});
}
