// Table patterns: shell-like globs over the raw (unquoted) names.
#include <migsafe/integrity/verify.hpp>

namespace migsafe::integrity {
namespace {

bool glob(std::string_view pattern, std::string_view text)
{
    // Iterative glob with backtracking to the last '*'.
    std::size_t p = 0;
    std::size_t t = 0;
    std::size_t star = std::string_view::npos;
    std::size_t mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') {
        ++p;
    }
    return p == pattern.size();
}

} // namespace

bool table_matches(std::string_view pattern, std::string_view schema, std::string_view name)
{
    if (pattern.find('.') == std::string_view::npos) {
        return glob(pattern, name);
    }
    std::string qualified;
    qualified.append(schema).append(".").append(name);
    return glob(pattern, qualified);
}

} // namespace migsafe::integrity
