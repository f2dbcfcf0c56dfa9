#pragma once

// Which ALTER COLUMN ... TYPE changes PostgreSQL does without rewriting the table.

#include <string_view>

namespace migsafe::plan::detail {

/// The session facts a type change depends on.
struct TypeChangeContext {
    int pg_version = 15;
    bool timezone_utc = false; ///< timestamp -> timestamptz is rewrite-free only under UTC
};

/// True when changing a column from `from` to `to` (model display text: `varchar(100)`,
/// `numeric(10,2)`, `text`) needs no rewrite and no scan. `from` empty means unknown: then
/// only a change to `text` or unbounded `varchar` is assumed safe.
bool binary_coercible(std::string_view from, std::string_view to, TypeChangeContext context);

} // namespace migsafe::plan::detail
