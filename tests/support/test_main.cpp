// The doctest main shared by every test binary. Database test binaries bring up their
// server before the first test (see test_db.hpp); a missing prerequisite exits 125.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

int main(int argc, char** argv)
{
    doctest::Context context(argc, argv);
    return context.run();
}
