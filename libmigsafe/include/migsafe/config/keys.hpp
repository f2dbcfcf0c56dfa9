#pragma once

/// The catalog of migsafe.toml's scalar keys: their type, default, environment variable
/// and the command-line options they give a value to (docs/config.md lists the same).

#include <migsafe/export.hpp>

#include <span>
#include <string>
#include <string_view>

namespace migsafe::config {

/// What a key holds.
enum class ValueKind {
    text,     ///< a string (a path)
    duration, ///< `500ms`, `10s`, `24h`, `30d`; 0 allowed
    bound,    ///< a duration that bounds a wait: 0 is refused
    integer,  ///< a whole number in [min, max]
    choice,   ///< one of `choices`
};

/// One scalar key.
struct KeySpec {
    std::string_view key;                        ///< dotted: `apply.lock_timeout`
    ValueKind kind;                              ///< what it holds
    std::string_view default_text;               ///< the built-in default; "" for none
    std::string_view env;                        ///< `MIGSAFE_APPLY_LOCK_TIMEOUT`
    std::span<const std::string_view> options;   ///< `apply --lock-timeout`, ...
    std::span<const std::string_view> choices{}; ///< for `choice`
    long long min = 0;                           ///< for `integer`
    long long max = 0;                           ///< for `integer`
    std::string_view fallback{};                 ///< key read when this one is unset
    std::string_view summary{};                  ///< one line for docs and `migsafe config`
};

/// Every scalar key, in the order of docs/config.md. Constant; no allocation.
MIGSAFE_API std::span<const KeySpec> config_keys() noexcept;

/// The key named `key` (dotted), or nullptr.
MIGSAFE_API const KeySpec* find_key(std::string_view key) noexcept;

/// Checks `text` as a value of `spec` and returns it normalised (an integer without
/// leading zeros). Throws `config-invalid`, its message starting with `where` (e.g.
/// `MIGSAFE_APPLY_RETRIES: `) unless empty: an empty path, a bad duration, a zero bound,
/// a number out of range, a choice not listed (with a "did you mean").
MIGSAFE_API std::string check_value(const KeySpec& spec, std::string_view text,
                                    std::string_view where);

} // namespace migsafe::config
