#include <migsafe/model/version.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

using migsafe::model::Version;

namespace {

Version v(const char* text)
{
    auto version = Version::parse(text);
    REQUIRE_MESSAGE(version.has_value(), text);
    return *version;
}

} // namespace

TEST_CASE("migsafe::model::Version reads numbers, dotted versions and repeatables")
{
    CHECK(v("0003").text() == "3");
    CHECK(v("0003").is_number());
    CHECK(v("20240101120000").major() == 20240101120000ULL);
    CHECK(v("1.2.10").text() == "1.2.10");
    CHECK(v("1_2").text() == "1.2");
    CHECK(v("1.02").text() == "1.2");
    CHECK_FALSE(v("1.2").is_number());
    CHECK(v("R__views").is_repeatable());
    CHECK(v("R__views").text() == "R__views");
    CHECK(Version(7).text() == "7");
    CHECK(Version(7).padded() == "0007");
    CHECK(v("1.2").padded() == "1.2");
    for (const char* bad : {"", ".", "1.", ".1", "1..2", "1.a", "v1", "1 2", "-1", "R__",
                            "1234567890123456789", "1.1234567890123456789"}) {
        CAPTURE(bad);
        CHECK_FALSE(Version::parse(bad).has_value());
    }
}

TEST_CASE("migsafe::model::Version orders part by part as Flyway does, repeatables last")
{
    std::vector<Version> versions{v("R__b"), v("2"),  v("1.10"), v("R__a"),
                                  v("1.9"),  v("10"), v("1"),    v("1.2")};
    std::sort(versions.begin(), versions.end());
    std::vector<std::string> texts;
    for (const auto& version : versions) {
        texts.push_back(version.text());
    }
    CHECK(texts == std::vector<std::string>{"1", "1.2", "1.9", "1.10", "2", "10", "R__a", "R__b"});
    CHECK(v("1.2") == v("1.2.0"));
    CHECK(v("1") == v("1.0.0"));
    CHECK(v("1.0.1") > v("1"));
    CHECK(Version(3) == v("0003"));
    CHECK(v("R__a") != v("R__b"));
}
