#pragma once
// One table per enum of the stable names it has in JSON, the CLI and the database, and the
// two lookups every enum's `to_string` and `parse_*` are written with:
//
//     constexpr platform::EnumNames<Phase, 3> k_phase_names{{
//         {Phase::expand, "expand"}, {Phase::backfill, "backfill"}, {Phase::contract,
//         "contract"}}};
//     std::string_view to_string(Phase phase) noexcept { return k_phase_names.name(phase); }
//     std::optional<Phase> parse_phase(std::string_view text) noexcept
//     {
//         return k_phase_names.value(text);
//     }
//
// A name is written once, so the two directions cannot disagree; the unit test of this
// header checks that a table names each value once.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace migsafe::platform {

template <typename Enum, std::size_t N>
struct EnumNames {
    std::array<std::pair<Enum, std::string_view>, N> entries;

    /// The name of `value`; a value the table lacks (not a declared enumerator) gets the
    /// first entry's name, so that a report never prints an empty field.
    constexpr std::string_view name(Enum value) const noexcept
    {
        for (const auto& [candidate, text] : entries) {
            if (candidate == value) {
                return text;
            }
        }
        return entries.front().second;
    }

    /// The value named `text` exactly (case matters), or nullopt.
    constexpr std::optional<Enum> value(std::string_view text) const noexcept
    {
        for (const auto& [candidate, name] : entries) {
            if (name == text) {
                return candidate;
            }
        }
        return std::nullopt;
    }

    /// Whether each value and each name appears once (checked by the tables' tests).
    constexpr bool unique() const noexcept
    {
        for (std::size_t i = 0; i < N; ++i) {
            for (std::size_t j = i + 1; j < N; ++j) {
                if (entries[i].first == entries[j].first ||
                    entries[i].second == entries[j].second) {
                    return false;
                }
            }
        }
        return true;
    }
};

} // namespace migsafe::platform
