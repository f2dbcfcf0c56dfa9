// platform::EnumNames: the one table an enum's to_string and parse_* read.
#include "platform/enum_names.hpp"

#include <doctest/doctest.h>

namespace {

enum class Colour { red, green, blue };

constexpr migsafe::platform::EnumNames<Colour, 3> k_colours{
    {{{Colour::red, "red"}, {Colour::green, "green"}, {Colour::blue, "light-blue"}}}};
static_assert(k_colours.unique());

} // namespace

TEST_CASE("platform::EnumNames: both directions from one table")
{
    CHECK(k_colours.name(Colour::green) == "green");
    CHECK(k_colours.name(Colour::blue) == "light-blue");
    CHECK(k_colours.value("light-blue") == Colour::blue);
    CHECK(k_colours.value("red") == Colour::red);
    CHECK_FALSE(k_colours.value("Red").has_value()); // exact names only
    CHECK_FALSE(k_colours.value("").has_value());
    // Not a declared enumerator: the first name, never an empty field.
    CHECK(k_colours.name(static_cast<Colour>(7)) == "red");
}

TEST_CASE("platform::EnumNames::unique: a repeated value or name is caught")
{
    constexpr migsafe::platform::EnumNames<Colour, 2> same_name{
        {{{Colour::red, "red"}, {Colour::green, "red"}}}};
    constexpr migsafe::platform::EnumNames<Colour, 2> same_value{
        {{{Colour::red, "red"}, {Colour::red, "green"}}}};
    static_assert(!same_name.unique());
    static_assert(!same_value.unique());
    CHECK_FALSE(same_name.unique());
    CHECK_FALSE(same_value.unique());
}
