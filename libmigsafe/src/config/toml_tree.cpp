// The one file that includes toml++: migsafe.toml's text to a plain tree.
//
// toml++ is used header-only (docs/toolchain.md #14): Debian's CMake target and .pc
// would link its shared library, which a static libmigsafe would then hand on to every
// consumer and to migsafe.pc.
#include "config/tree.hpp"

#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

#include <algorithm>

// toml++'s own switches, before its header.
#define TOML_HEADER_ONLY 1 // NOLINT(readability-identifier-naming)
#define TOML_EXCEPTIONS 1  // NOLINT(readability-identifier-naming)
#include <toml++/toml.h>

namespace migsafe::config::detail {
namespace {

Location at(const toml::source_region& region, const std::string& file)
{
    return {.file = file,
            .line = static_cast<int>(region.begin.line),
            .column = static_cast<int>(region.begin.column)};
}

bool before(const Node& a, const Node& b)
{
    return std::pair(a.key_at.line, a.key_at.column) < std::pair(b.key_at.line, b.key_at.column);
}

Node convert(const toml::node& value, const std::string& file)
{
    Node node;
    node.value_at = at(value.source(), file);
    node.key_at = node.value_at;
    switch (value.type()) {
    case toml::node_type::table:
        node.kind = Node::Kind::table;
        for (auto&& [key, member] : *value.as_table()) {
            Node item = convert(member, file);
            item.key = std::string(key.str());
            if (key.source().begin) {
                item.key_at = at(key.source(), file);
            }
            node.items.push_back(std::move(item));
        }
        // toml++ keeps a table's keys sorted: the checks report the first fault in
        // the file's order.
        std::stable_sort(node.items.begin(), node.items.end(), before);
        break;
    case toml::node_type::array:
        node.kind = Node::Kind::array;
        for (const auto& element : *value.as_array()) {
            node.items.push_back(convert(element, file));
        }
        break;
    case toml::node_type::string:
        node.kind = Node::Kind::string;
        node.text = value.as_string()->get();
        break;
    case toml::node_type::integer:
        node.kind = Node::Kind::integer;
        node.integer = value.as_integer()->get();
        node.text = std::to_string(node.integer);
        break;
    case toml::node_type::floating_point:
        node.kind = Node::Kind::floating;
        node.text = fmt::format("{}", value.as_floating_point()->get());
        break;
    case toml::node_type::boolean:
        node.kind = Node::Kind::boolean;
        node.text = value.as_boolean()->get() ? "true" : "false";
        break;
    default: // a date, a time or both: no key of migsafe.toml takes one
        node.kind = Node::Kind::date_time;
        break;
    }
    return node;
}

} // namespace

Node parse_tree(std::string_view text, const std::string& file)
{
    try {
        toml::table table = toml::parse(text, std::string_view(file));
        Node root = convert(table, file);
        root.key_at = root.value_at = {.file = file, .line = 1, .column = 1};
        return root;
    } catch (const toml::parse_error& e) {
        throw Error("config-invalid", fmt::format("not valid TOML: {}", e.description()),
                    {.file = file,
                     .line = static_cast<int>(e.source().begin.line),
                     .column = static_cast<int>(e.source().begin.column)});
    }
}

} // namespace migsafe::config::detail
