#pragma once

/// One effective setting and where its value came from.

#include <migsafe/export.hpp>

#include <string>
#include <string_view>

namespace migsafe::config {

/// Where an effective value came from, in precedence order.
enum class Source { option, environment_variable, file, default_value };

/// `option`, `env`, `file`, `default`.
MIGSAFE_API std::string_view to_string(Source source) noexcept;

/// One effective setting.
struct Setting {
    std::string key{};   ///< dotted key, or `config`, `environment`, `database`
    std::string value{}; ///< as text; a connection string is shown with its password masked
    Source source = Source::default_value;
    /// `--lock-timeout`, `MIGSAFE_APPLY_LOCK_TIMEOUT`, `migsafe.toml:12`, or "" (default)
    std::string origin{};
    friend bool operator==(const Setting&, const Setting&) = default;
};

} // namespace migsafe::config
