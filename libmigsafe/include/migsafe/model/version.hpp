#pragma once

#include <migsafe/export.hpp>

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::model {

/// The version of a migration: one number (`0003`, a timestamp `20240101120000`), a Flyway
/// dotted version (`1.2.10`) or a Flyway repeatable migration (`R__name.sql`, no number).
///
/// Versions order as Flyway orders them: part by part, numerically, a missing part counting
/// as 0 (so `1.2` == `1.2.0` and `1.10` > `1.9`); repeatable migrations come after every
/// versioned one, by name. A plain number is the one-part case, so every other layout keeps
/// its numeric order (2 before 10).
class Version {
public:
    Version() = default;
    /// The one-part version `number` (implicit: a number is a version).
    Version(std::uint64_t number); // NOLINT(google-explicit-constructor)

    /// Reads `3`, `0003` (the same as 3), `1.2.10` or `1_2` (Flyway writes `_` for `.` in
    /// file names), each part at most 18 digits, or `R__name` (what text() gives for a
    /// repeatable migration). nullopt for anything else.
    static std::optional<Version> parse(std::string_view text);
    /// The repeatable migration `name` (Flyway `R__name.sql`).
    static Version repeatable(std::string name);

    bool is_repeatable() const noexcept { return m_repeatable; }
    /// The numeric parts, most significant first; empty for a repeatable migration.
    const std::vector<std::uint64_t>& parts() const noexcept { return m_parts; }
    /// The first part (the whole version of every layout but Flyway's dotted ones).
    std::uint64_t major() const noexcept { return m_parts.empty() ? 0 : m_parts.front(); }
    /// True when the version is one number (fits the JSON number of earlier reports).
    bool is_number() const noexcept { return !m_repeatable && m_parts.size() == 1; }

    /// `3`, `1.2.10` (parts without leading zeros), or `R__name` for a repeatable migration.
    /// This is the key of the version in migsafe.history and what messages print.
    std::string text() const;
    /// text(), a one-number version zero-padded to `width` digits (`0003`): how people and
    /// file names write versions.
    std::string padded(std::size_t width = 4) const;

    friend MIGSAFE_API std::strong_ordering operator<=>(const Version& a,
                                                        const Version& b) noexcept;
    friend bool operator==(const Version& a, const Version& b) noexcept
    {
        return (a <=> b) == std::strong_ordering::equal;
    }

private:
    std::vector<std::uint64_t> m_parts{0};
    bool m_repeatable = false;
    std::string m_name{}; ///< a repeatable migration's name
};

} // namespace migsafe::model
