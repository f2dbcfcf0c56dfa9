#include <migsafe/platform/interrupt.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

using migsafe::interrupt::Cleanup;

TEST_CASE("migsafe::interrupt::Cleanup runs newest first and only while registered")
{
    std::vector<std::string> ran;
    Cleanup first("first", [&] { ran.push_back("first"); });
    Cleanup second("second", [&] { ran.push_back("second"); });
    {
        Cleanup gone("gone", [&] { ran.push_back("gone"); });
    }
    Cleanup released("released", [&] { ran.push_back("released"); });
    released.release();

    CHECK(migsafe::interrupt::run_cleanups_for_test() == 2);
    CHECK(ran == std::vector<std::string>{"second", "first"});
    // Each cleanup runs at most once.
    CHECK(migsafe::interrupt::run_cleanups_for_test() == 0);
}

TEST_CASE("migsafe::interrupt::Cleanup moves ownership of its registration")
{
    int count = 0;
    Cleanup moved_to;
    {
        Cleanup original("counter", [&] { ++count; });
        moved_to = std::move(original);
    }
    CHECK(migsafe::interrupt::run_cleanups_for_test() == 1);
    CHECK(count == 1);
}

TEST_CASE("migsafe::interrupt::Cleanup keeps running the others when one throws")
{
    int count = 0;
    Cleanup a("a", [&] { ++count; });
    Cleanup b("b", [] { throw 42; });
    CHECK(migsafe::interrupt::run_cleanups_for_test() == 2);
    CHECK(count == 1);
}

TEST_CASE("migsafe::interrupt::Cleanup at_once actions run first and once; on_exit ones wait for "
          "the end")
{
    std::vector<std::string> ran;
    Cleanup remove("remove a folder", [&] { ran.push_back("remove"); });
    Cleanup cancel(
        "cancel a statement", [&] { ran.push_back("cancel"); }, migsafe::interrupt::When::at_once);
    CHECK(migsafe::interrupt::run_at_once_for_test() == 1);
    CHECK(ran == std::vector<std::string>{"cancel"});
    CHECK(migsafe::interrupt::run_at_once_for_test() == 0);
    // What a second signal (or an interrupt without an Unwind) does: the rest, once.
    CHECK(migsafe::interrupt::run_cleanups_for_test() == 1);
    CHECK(ran == std::vector<std::string>{"cancel", "remove"});
}

TEST_CASE("migsafe::interrupt::exit_code is the caller's until a signal arrived")
{
    CHECK_FALSE(migsafe::interrupt::requested());
    CHECK(migsafe::interrupt::signal_number() == 0);
    CHECK(migsafe::interrupt::signal_name().empty());
    CHECK(migsafe::interrupt::exit_code(4) == 4);
    migsafe::interrupt::Unwind unwind; // nestable, releases nothing by itself
    migsafe::interrupt::Unwind nested;
    CHECK(migsafe::interrupt::exit_code(0) == 0);
}
