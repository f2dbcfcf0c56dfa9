#pragma once

/// The project config file `migsafe.toml`, read and validated (docs/config.md): every key
/// known, every value of the right type and range, and no password anywhere in it.

#include <migsafe/export.hpp>
#include <migsafe/plan/rule.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::config {

/// The file's name, looked for in the current directory and above.
inline constexpr std::string_view k_config_file_name = "migsafe.toml";

/// Where something is written in the file (1-based line and column).
struct Location {
    std::string file{};
    int line = 0;
    int column = 0;
    /// `file:line` (or `file` when the line is unknown).
    std::string text() const;
    friend bool operator==(const Location&, const Location&) = default;
};

/// One scalar setting as the file writes it, validated and as text (`"5s"`, `"3"`).
struct FileValue {
    std::string text{};
    Location where{};
    friend bool operator==(const FileValue&, const FileValue&) = default;
};

/// `[plan] severity = { "MS-IDX-01" = "warning" }`: one rule's severity.
struct SeverityOverride {
    std::string rule{}; ///< the catalog id (a slug in the file is read as its id)
    plan::Severity severity = plan::Severity::error;
    Location where{};
    friend bool operator==(const SeverityOverride&, const SeverityOverride&) = default;
};

/// `[[plan.allow]] rule, path, reason`: findings of `rule` in files matching the glob.
struct RuleAllowance {
    std::string rule{};
    std::string path{}; ///< fnmatch(3) glob on the migration's path relative to its set
    std::string reason{};
    Location where{};
    friend bool operator==(const RuleAllowance&, const RuleAllowance&) = default;
};

/// `[plan] disabled_rules = [...]`: one rule switched off.
struct DisabledRule {
    std::string rule{};
    Location where{};
    friend bool operator==(const DisabledRule&, const DisabledRule&) = default;
};

/// `[environments.NAME]`: a deploy target whose connection string is read from an
/// environment variable, never from the file.
struct Environment {
    std::string name{};
    FileValue database_url_env{};              ///< the variable's name, e.g. `PROD_DATABASE_URL`
    std::map<std::string, FileValue> values{}; ///< per-environment keys (`store`)
    Location where{};
    friend bool operator==(const Environment&, const Environment&) = default;
};

/// A validated migsafe.toml.
struct ConfigFile {
    std::filesystem::path path{};
    /// Scalar keys by their dotted name (`apply.lock_timeout`), see `config_keys()`.
    std::map<std::string, FileValue> values{};
    std::vector<DisabledRule> disabled_rules{};
    std::vector<SeverityOverride> severity{};
    std::vector<RuleAllowance> allowances{};
    std::map<std::string, Environment> environments{};
    friend bool operator==(const ConfigFile&, const ConfigFile&) = default;
};

/// Reads and validates `text` as the config file `path` (named in errors). Throws, with
/// the file, line and column: `config-secret` for a password, a URL or conninfo holding
/// one, anywhere in the file (checked first); `config-invalid` for TOML syntax, a value of
/// the wrong type, a bad duration, number or choice, an unknown rule id or severity;
/// `config-unknown-key` for a key migsafe does not know. Unknown names get a "did you
/// mean". Cost: linear in the text.
MIGSAFE_API ConfigFile parse_config(std::string_view text, const std::filesystem::path& path);

/// `parse_config` of the file at `path`. Also throws `input-not-found` and the file
/// reading errors of platform::read_file.
MIGSAFE_API ConfigFile read_config(const std::filesystem::path& path);

} // namespace migsafe::config
