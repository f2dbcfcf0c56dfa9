#pragma once

// migsafe.toml as a plain tree, so that toml++ stays in one file (toml_tree.cpp) and the
// checks (secrets.cpp, schema.cpp) read the same structure.

#include <migsafe/config/config_file.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::config::detail {

struct Node {
    enum class Kind { string, integer, floating, boolean, date_time, array, table };
    Kind kind = Kind::table;
    std::string key{};         ///< the name in its table; "" for an array element
    Location key_at{};         ///< where the key is written (the value's place for elements)
    Location value_at{};       ///< where the value starts
    std::string text{};        ///< a string's value, or a scalar as TOML writes it
    std::int64_t integer = 0;  ///< for `integer`
    std::vector<Node> items{}; ///< a table's members in file order, or an array's elements
};

/// "a string", "an integer", "a table", ...
std::string_view describe(Node::Kind kind);

/// Parses `text` (TOML 1.0). Throws `config-invalid` at the syntax error's line and
/// column.
Node parse_tree(std::string_view text, const std::string& file);

/// Throws `config-secret` at the first password found: a key named like one, or a string
/// holding a URL or conninfo with a password.
void refuse_secrets(const Node& root);

/// The validated settings of a tree (docs/config.md). Throws `config-unknown-key` and
/// `config-invalid`.
ConfigFile read_settings(const Node& root, const std::filesystem::path& path);

} // namespace migsafe::config::detail
