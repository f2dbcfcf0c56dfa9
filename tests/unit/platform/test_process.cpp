#include <migsafe/platform/process.hpp>

#include <doctest/doctest.h>

namespace platform = migsafe::platform;

TEST_CASE("platform::find_in_path searches each directory in order, skipping empty entries")
{
    CHECK(platform::find_in_path("sh", "/nonexistent::/bin:/usr/bin") ==
          std::filesystem::path("/bin/sh"));
    CHECK(platform::find_in_path("sh", "") == std::nullopt);
    CHECK(platform::find_in_path("no-such-program-here", "/bin:/usr/bin") == std::nullopt);
    // A directory is not a program.
    CHECK(platform::find_in_path("bin", "/usr") == std::nullopt);
}
