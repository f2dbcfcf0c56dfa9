#pragma once
// doctest prints a list of lines (differences, describe() output) as `[a | b | c]` when a
// check on it fails.

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <string>
#include <vector>

namespace doctest {
template <>
struct StringMaker<std::vector<std::string>> {
    static String convert(const std::vector<std::string>& lines)
    {
        return fmt::format("[{}]", fmt::join(lines, " | ")).c_str();
    }
};
} // namespace doctest
