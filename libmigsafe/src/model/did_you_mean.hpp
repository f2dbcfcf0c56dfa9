#pragma once

// "Did you mean" suggestions for unknown names (docs/style.md, "Errors").

#include <span>
#include <string>
#include <string_view>

namespace migsafe::model::detail {

/// Levenshtein distance between `a` and `b` (case-sensitive).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `name` when it is close enough to be a likely typo (at most
/// a third of its length, at least 1 edit), else "".
std::string closest_name(std::string_view name, std::span<const std::string_view> candidates);

/// ` did you mean `x`?` style hint prefix: "did you mean `x`? " or "".
std::string did_you_mean(std::string_view name, std::span<const std::string_view> candidates);

} // namespace migsafe::model::detail
