#pragma once

#include <migsafe/export.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>

/// SQL identifiers: the one quoting function every name migsafe writes goes through, and
/// the display form of a schema-qualified name. Pure; no connection needed.
namespace migsafe::platform {

/// `name` quoted exactly as PostgreSQL's quote_ident() does: as is when it is a plain
/// lowercase identifier (`[a-z_][a-z0-9_]*`) that is not a key word needing quotes, else
/// in double quotes with inner quotes doubled (`my "t"` -> `"my ""t"""`). A unit test
/// compares it with the server's quote_ident for every key word PostgreSQL knows.
MIGSAFE_API std::string quote_ident(std::string_view name);

/// `name` always in double quotes, inner quotes doubled (`a"b` -> `"a""b"`): quote_ident's
/// quoted form, for tools that quote every name (Flyway's lock key).
MIGSAFE_API std::string always_quoted_ident(std::string_view name);

/// `schema.name` with quote_ident on each part: `public.orders`, `"x.y".z`, `x."y.z"`.
/// Two different (schema, name) pairs never give the same text.
MIGSAFE_API std::string qualified_name(std::string_view schema, std::string_view name);

/// The (schema, name) pair of a `qualified_name` text; a part without quotes is taken as
/// written (`public.Orders` -> {"public", "Orders"}, as older migsafe versions wrote
/// names). A text without a dot outside quotes is a name in schema `public`. nullopt when
/// the text is not of that form (an unterminated quote, text after a closing quote).
MIGSAFE_API std::optional<std::pair<std::string, std::string>>
split_qualified_name(std::string_view text);

/// `text` cut to at most `max_bytes` bytes, never inside a UTF-8 character.
MIGSAFE_API std::string utf8_prefix(std::string_view text, std::size_t max_bytes);

} // namespace migsafe::platform
