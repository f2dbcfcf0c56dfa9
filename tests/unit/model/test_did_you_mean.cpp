#include "model/did_you_mean.hpp"

#include <doctest/doctest.h>

#include <array>
#include <string_view>

using namespace migsafe::model::detail;

TEST_CASE("migsafe::model::detail::edit_distance counts single-character edits")
{
    CHECK(edit_distance("", "") == 0);
    CHECK(edit_distance("phase", "phase") == 0);
    CHECK(edit_distance("phse", "phase") == 1);
    CHECK(edit_distance("expnad", "expand") == 2);
    CHECK(edit_distance("", "abc") == 3);
    CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("migsafe::model::detail::closest_name suggests only likely typos")
{
    constexpr std::array<std::string_view, 3> names{"expand", "backfill", "contract"};
    CHECK(closest_name("expnad", names) == "expand");
    CHECK(closest_name("contrat", names) == "contract");
    CHECK(closest_name("xyz", names).empty());
    CHECK(did_you_mean("backfil", names) == "did you mean `backfill`? ");
    CHECK(did_you_mean("zzzzzz", names).empty());
}
