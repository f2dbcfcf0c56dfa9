// Rollout buckets: MurmurHash3 against its published vectors, the bucket against Unleash's
// cross-SDK test vectors, and the property that growing a rollout never turns a user off.
#include <migsafe/flags/bucket.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace migsafe::flags;

TEST_CASE("flags::murmur3_32 gives MurmurHash3_x86_32's published values")
{
    // SMHasher's reference implementation.
    CHECK(murmur3_32("", 0) == 0U);
    CHECK(murmur3_32("", 1) == 0x514e28b7U);
    CHECK(murmur3_32("", 0xffffffffU) == 0x81f16f39U);
    CHECK(murmur3_32(std::string_view("\0\0\0\0", 4), 0) == 0x2362f9deU);
    CHECK(murmur3_32("aaaa", 0x9747b28cU) == 0x5a97808aU);
    CHECK(murmur3_32("abc", 0) == 0xb3dd93faU);
    CHECK(murmur3_32("Hello, world!", 0x9747b28cU) == 0x24884cbaU);
    CHECK(murmur3_32("The quick brown fox jumps over the lazy dog", 0x9747b28cU) == 0x2fa826cdU);
}

TEST_CASE("flags::normalized_value matches the Unleash SDKs' shared test vectors")
{
    // The values every Unleash SDK (node, java, go) is tested against.
    CHECK(normalized_value("123", "gr1") == 73);
    CHECK(normalized_value("999", "groupX") == 25);
    CHECK(normalized_value("123", "gr1", 0) == 0);
}

TEST_CASE("flags::in_rollout: 0 is off, 100 is on, and growing the percentage turns no user off")
{
    int on_at_50 = 0;
    int wrong_at_0_or_100 = 0;
    int turned_off = 0;
    for (int user = 0; user < 10000; ++user) {
        const auto id = "user-" + std::to_string(user);
        wrong_at_0_or_100 += in_rollout(id, "checkout-v2", 0) ? 1 : 0;
        wrong_at_0_or_100 += in_rollout(id, "checkout-v2", 100) ? 0 : 1;
        bool was_on = false;
        for (int percentage = 1; percentage <= 100; percentage += 7) {
            const bool on = in_rollout(id, "checkout-v2", percentage);
            turned_off += was_on && !on ? 1 : 0;
            was_on = on;
        }
        on_at_50 += in_rollout(id, "checkout-v2", 50) ? 1 : 0;
    }
    CHECK(wrong_at_0_or_100 == 0);
    CHECK(turned_off == 0);
    // The buckets spread evenly: about half of 10,000 users at 50 %.
    CHECK(on_at_50 > 4700);
    CHECK(on_at_50 < 5300);
}
