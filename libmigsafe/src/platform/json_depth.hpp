#pragma once
// Private: how deeply a JSON text nests, read without parsing it. nlohmann's parser keeps
// its own stack, but dump() and migsafe's readers recurse once per level: a document from
// outside is measured first, so that a deep one is refused instead of overflowing the stack.

#include <cstddef>
#include <string_view>

namespace migsafe::platform {

/// The deepest nesting of `[` and `{` in `json` (brackets inside strings are skipped).
/// Linear in the text; no allocation.
std::size_t json_nesting_depth(std::string_view json) noexcept;

} // namespace migsafe::platform
